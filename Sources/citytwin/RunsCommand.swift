import ArgumentParser
import Forecast
import Foundation
import Scenario

/// `citytwin runs`: the run archive.
struct RunsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "runs",
        abstract: "List, show, export, check and delete archived runs.",
        subcommands: [List.self, Show.self, Delete.self, Check.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every archived run, by name and version.")
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let runs = try archive.open().list()
            if runs.isEmpty {
                print("no runs in \(archive.path)")
                return
            }
            var rows = [["id", "name", "version", "model", "members", "years", "rows", "archived"]]
            for run in runs {
                rows.append([
                    run.id, run.name, "v\(run.version)", run.model, "\(run.members)", "\(run.startYear)–\(run.endYear)",
                    "\(run.forecastRows)", run.createdAt,
                ])
            }
            print(PolicyComparison.aligned(rows).joined(separator: "\n"))
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A run's manifest, alerts, events, triggers and scores; --export writes its folder.")
        @OptionGroup var archive: ArchiveOptions
        @Argument(help: ArgumentHelp("Run id (or unique prefix), name (latest version) or name@vN.", valueName: "run"))
        var reference: String
        @Option(name: .long, help: "Write the run folder (forecast.csv, manifest.json, alerts.json, events.csv) here.")
        var export: String?

        func run() throws {
            let store = try archive.open()
            let id = try resolving { try store.resolve(reference) }
            let summary = try store.summary(id)!
            print(
                "run \(id): \(summary.name) version \(summary.version), \(summary.members) members, \(summary.startYear)–\(summary.endYear), "
                    + "\(summary.forecastRows) forecast rows, \(summary.memberSeries) series archived member by member")
            print(String(decoding: try store.manifest(id), as: UTF8.self))
            for alert in try store.alerts(id) { print(alert.summary) }
            let events = try store.events(id)
            if summary.members == 1 {
                for event in events { print("event \(Int(event.year)): \(event.intervention) — \(event.action)") }
            } else if !events.isEmpty {
                print("\(events.count) intervention events in \(summary.members) members (events.csv of `runs export` lists them)")
            }
            for trigger in try store.triggers(id) { print(trigger.summary) }
            for (observed, score) in try store.verifications(id) {
                print(
                    "verified against \(observed): \(score.variable) [\(score.region)] CRPS \(score.crps.map { "\($0)" } ?? "—"), MAE \(score.meanAbsoluteError)"
                )
            }
            if let export {
                try store.exportFolder(id, to: URL(fileURLWithPath: export))
                StandardError.line("wrote \(export)")
            }
        }
    }

    struct Delete: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a run from the archive (its folder, if any, is left).")
        @OptionGroup var archive: ArchiveOptions
        @Argument(help: ArgumentHelp("Run id (or unique prefix), name (latest version) or name@vN.", valueName: "run"))
        var reference: String

        func run() throws {
            let store = try archive.open()
            let id = try resolving { try store.resolve(reference) }
            try store.delete(id)
            StandardError.line("deleted run \(id)")
        }
    }

    struct Check: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Check the archive: SQLite integrity and that every run is complete.")
        @OptionGroup var archive: ArchiveOptions

        func run() throws {
            let problems = try archive.open().check()
            if problems.isEmpty {
                print("archive \(archive.path) is sound")
            } else {
                for problem in problems { StandardError.line("error: \(problem)") }
                throw ExitCode.failure
            }
        }
    }
}

/// Turns an archive lookup failure into a usage-style error message.
func resolving<T>(_ body: () throws -> T) throws -> T {
    do {
        return try body()
    } catch let error as RunArchive.ArchiveError {
        throw ValidationError(error.description)
    }
}
