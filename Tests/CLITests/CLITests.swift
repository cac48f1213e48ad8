import Foundation
import TestSupport
import Testing

/// End to end: the built `citytwin` binary, its files and exit codes, on good and bad input.
@Suite("citytwin command line", .serialized)
struct CLITests {
    static let repository = Repository.root

    struct BinaryNotFound: Error, CustomStringConvertible {
        let near: String
        var description: String { "citytwin binary not found near \(near); build it first (swift build)" }
    }

    /// The `citytwin` binary beside the test bundle (.build/<configuration>/citytwin).
    static func binary() throws -> URL {
        var directory = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = directory.appendingPathComponent("citytwin")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        throw BinaryNotFound(near: Bundle.main.bundleURL.path)
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], in directory: URL = repository) throws -> Result {
        let process = Process()
        process.executableURL = try binary()
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }

    static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }

    @Test func runWritesForecastAndManifest() throws {
        let out = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let result = try Self.run(["run", "scenarios/test/coupled-short.yaml", "--out", out.path])
        #expect(result.status == 0, "\(result.stderr)")
        let folder = out.appendingPathComponent("coupled-short")
        let csv = try String(contentsOf: folder.appendingPathComponent("forecast.csv"), encoding: .utf8)
        #expect(csv.hasPrefix("model,scenario,region,variable,unit,year,statistic,value\n"))
        #expect(csv.contains("\nsioux-falls,coupled-short,sioux-falls,population.total,persons,2023,value,"))
        for variable in [
            "economy.jobs", "traffic.vht", "water.reserve_days", "energy.peak_load", "waste.landfill_years_left",
            "emissions.co2",
        ] {
            #expect(csv.contains(",\(variable),"), "\(variable) is in the forecast")
        }
        let manifest =
            try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json")))
            as! [String: Any]
        #expect(manifest["engine_version"] as? String != nil)
        #expect(manifest["seed"] as? Int == 42, "inherited from baseline.yaml")
        #expect((manifest["scenario"] as? [String: Any])?["sha256"] as? String != nil)
        // model.yaml, zones and five population tables, three economy and four resource tables, and the
        // traffic network, candidate links and external stations (demand comes from trip rates: no trips file).
        #expect(((manifest["model"] as? [String: Any])?["files"] as? [Any])?.count == 17)
        #expect(manifest["started_at"] != nil && manifest["finished_at"] != nil)
        // No staging folders left behind: the run folder and the archive.
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path).sorted() == ["archive.sqlite", "coupled-short"])
        #expect(manifest["run_id"] as? String != nil && manifest["version"] as? Int == 1)
    }

    @Test func sameScenarioTwiceGivesByteIdenticalForecasts() throws {
        let out = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        for folder in ["a", "b"] {
            let result = try Self.run(["run", "scenarios/test/coupled-short.yaml", "--out", out.appendingPathComponent(folder).path])
            #expect(result.status == 0, "\(result.stderr)")
        }
        let a = try Data(contentsOf: out.appendingPathComponent("a/coupled-short/forecast.csv"))
        let b = try Data(contentsOf: out.appendingPathComponent("b/coupled-short/forecast.csv"))
        #expect(a == b)
    }

    @Test func ensembleOutputIsByteIdenticalWhateverTheThreadCount() throws {
        let out = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        for threads in ["1", "2"] {
            let result = try Self.run([
                "run", "scenarios/test/ensemble-small.yaml", "--threads", threads, "--out", out.appendingPathComponent(threads).path,
            ])
            #expect(result.status == 0, "\(result.stderr)")
            #expect(result.stderr.contains("alert \"reserve below 250 days\""))
        }
        for file in ["forecast.csv", "alerts.json"] {
            let one = try Data(contentsOf: out.appendingPathComponent("1/ensemble-small/\(file)"))
            let two = try Data(contentsOf: out.appendingPathComponent("2/ensemble-small/\(file)"))
            #expect(one == two, "\(file) differs between 1 and 2 threads")
        }
        let csv = try String(contentsOf: out.appendingPathComponent("1/ensemble-small/forecast.csv"), encoding: .utf8)
        for statistic in ["mean", "p5", "p25", "p50", "p75", "p95"] {
            #expect(csv.contains(",population.total,persons,2023,\(statistic),"))
        }
        let alerts =
            try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("1/ensemble-small/alerts.json")))
            as! [String: [[String: Any]]]
        #expect(alerts["alerts"]?.first?["probability_by_year"] as? [Any] != nil)
    }

    @Test func validateAcceptsTheSampleScenarios() throws {
        for scenario in [
            "baseline", "fertility-incentive", "ageing-longevity", "baseline-uncertain", "drought-restrictions",
            "ev-transition",
        ] {
            let result = try Self.run(["validate", "scenarios/\(scenario).yaml"])
            #expect(result.status == 0, "\(scenario): \(result.stderr)")
            #expect(result.stdout.contains("valid"))
        }
    }

    @Test func badInputExitsNonZeroWithLocationAndWritesNothing() throws {
        let directory = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let scenario = directory.appendingPathComponent("bad.yaml")
        try """
        name: bad
        model: \(Self.repository.path)/models/sioux-falls
        start: 2020
        end: 2030
        seeed: 3
        """.write(to: scenario, atomically: true, encoding: .utf8)
        let out = directory.appendingPathComponent("runs")
        let run = try Self.run(["run", scenario.path, "--out", out.path])
        #expect(run.status == 1)
        #expect(run.stderr.contains("bad.yaml:5:1: error: unknown key `seeed`"))
        #expect(run.stderr.contains("did you mean `seed`?"))
        #expect(!FileManager.default.fileExists(atPath: out.path))
        let validate = try Self.run(["validate", scenario.path])
        #expect(validate.status == 1)
        #expect(validate.stderr.contains("unknown key `seeed`"))
    }

    @Test func missingScenarioFile() throws {
        let result = try Self.run(["validate", "scenarios/does-not-exist.yaml"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no such file: scenarios/does-not-exist.yaml"))
    }

    @Test func failedRunLeavesAnEarlierRunIntact() throws {
        let out = try Self.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        #expect(try Self.run(["run", "scenarios/test/coupled-short.yaml", "--out", out.path]).status == 0)
        let before = try Data(contentsOf: out.appendingPathComponent("coupled-short/forecast.csv"))
        // A scenario of the same name whose model is broken must not replace the good run.
        let broken = out.appendingPathComponent("broken.yaml")
        try "name: coupled-short\nmodel: /nonexistent\nstart: 2020\nend: 2030\n".write(to: broken, atomically: true, encoding: .utf8)
        #expect(try Self.run(["run", broken.path, "--out", out.path]).status == 1)
        #expect(try Data(contentsOf: out.appendingPathComponent("coupled-short/forecast.csv")) == before)
    }
}

/// docs/coupling.md is the sample city's coupling graph as `citytwin graph` prints it from the modules'
/// declarations; the test fails when the committed document is stale (RECORD_SNAPSHOTS=1 rewrites it).
@Suite("Generated documents")
struct GeneratedDocumentTests {
    @Test func couplingDocumentMatchesTheModelsDeclarations() throws {
        let result = try CLITests.run(["graph", "models/sioux-falls"])
        #expect(result.status == 0, "\(result.stderr)")
        let url = CLITests.repository.appendingPathComponent("docs/coupling.md")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" {
            try result.stdout.write(to: url, atomically: true, encoding: .utf8)
        }
        let committed = try String(contentsOf: url, encoding: .utf8)
        #expect(committed == result.stdout, "docs/coupling.md is stale; run RECORD_SNAPSHOTS=1 swift test --filter couplingDocument")
        // Population and economy read each other: one of the two reads is lagged.
        #expect(result.stdout.contains("population.by_zone") && result.stdout.contains("economy.jobs_by_zone"))
    }
}
