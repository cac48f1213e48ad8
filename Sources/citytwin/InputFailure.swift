import ArgumentParser
import CityTwinCore
import Scenario

/// Runs `body`; input errors are printed to standard error with their locations and end the command
/// with exit status 1 (usage errors keep ArgumentParser's 64).
func reportingInputErrors<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let errors as InputErrors {
        StandardError.line(errors.description)
        throw ExitCode.failure
    }
}
