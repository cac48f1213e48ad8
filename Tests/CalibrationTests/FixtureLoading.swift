import Foundation

/// Reads a fixture file shipped with the test target (never /work/shared: a user's machine lacks it).
func fixtureText(_ relativePath: String) throws -> String {
    let url = Bundle.module.resourceURL!.appendingPathComponent("Fixtures").appendingPathComponent(relativePath)
    return try String(contentsOf: url, encoding: .utf8)
}
