import ArgumentParser
import CityTwinCore
import Forecast
import Foundation
import Scenario

/// What a command's run argument may name: an archived run (id, id prefix, name, `name@vN`), a run
/// folder (its manifest's run id), or a scenario file, which is run first unless already archived.
enum RunReference {
    static func resolve(_ reference: String, archive: RunArchive, out: String, threads: Int, quiet: Bool) throws -> String {
        var isDirectory: ObjCBool = false
        let exists = FileManager.default.fileExists(atPath: reference, isDirectory: &isDirectory)
        if exists, isDirectory.boolValue {
            guard let id = ArchivedRun.folderRunID(URL(fileURLWithPath: reference)) else {
                throw ValidationError("\(reference) is not a run folder with a run id in its manifest.json")
            }
            guard try archive.summary(id) != nil else {
                throw ValidationError("run \(id) (folder \(reference)) is not in \(archive.path)")
            }
            return id
        }
        if exists, reference.hasSuffix(".yaml") || reference.hasSuffix(".yml") {
            let plan = try reportingInputErrors { try ScenarioLoader.loadPlan(reference) }
            let name = plan.problem.scenario.name
            let outcome = try ArchivedRun.run(
                plan, archive: archive, out: out, threads: threads, memberOutput: false,
                progress: { completed, total in
                    if !quiet { StandardError.progress("\(name)", completed: completed, total: total) }
                })
            StandardError.line(
                outcome.reused
                    ? "\(name): reusing archived run \(outcome.id) (same inputs)"
                    : "\(name): ran and archived \(outcome.id) (version \(outcome.version))")
            return outcome.id
        }
        do {
            return try archive.resolve(reference)
        } catch let error as RunArchive.ArchiveError {
            throw ValidationError(error.description)
        }
    }
}

/// `--archive`, shared by the commands that read the archive.
struct ArchiveOptions: ParsableArguments {
    @Option(name: .customLong("archive"), help: "The run archive.")
    var path: String = "runs/archive.sqlite"

    func open() throws -> RunArchive {
        do {
            return try RunArchive(path: path)
        } catch {
            throw ValidationError("cannot open the run archive \(path): \(error)")
        }
    }

    /// Where scenarios named on the command line are run: the archive's folder.
    var out: String { directory(of: path).isEmpty ? "." : directory(of: path) }
}
