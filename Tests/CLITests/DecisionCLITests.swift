import Foundation
import Testing

/// End to end: the run archive, provenance, compare, report, verify and export through the binary.
@Suite("decision support on the command line", .serialized)
struct DecisionCLITests {
    typealias CLI = CLITests

    static func manifest(_ folder: URL) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(contentsOf: folder.appendingPathComponent("manifest.json"))) as! [String: Any]
    }

    /// A variant of ensemble-small (absolute `extends`, so it can live anywhere).
    @discardableResult
    static func variant(_ directory: URL, name: String, extra: String) throws -> URL {
        let url = directory.appendingPathComponent("\(name).yaml")
        try "extends: \(CLI.repository.path)/scenarios/test/ensemble-small.yaml\nname: \(name)\n\(extra)\n"
            .write(to: url, atomically: true, encoding: .utf8)
        return url
    }

    @Test func sameInputsSameIdAndReuseChangedInputsNewVersion() throws {
        let out = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let runs = out.appendingPathComponent("runs")
        let scenario = try Self.variant(out, name: "prov", extra: "seed: 5")
        let first = try CLI.run(["run", scenario.path, "--out", runs.path, "--quiet"])
        #expect(first.status == 0, "\(first.stderr)")
        let id1 = try Self.manifest(runs.appendingPathComponent("prov"))["run_id"] as? String
        let csv1 = try Data(contentsOf: runs.appendingPathComponent("prov/forecast.csv"))
        // Same inputs in another folder: same id, same forecast byte for byte.
        let elsewhere = try CLI.run(["run", scenario.path, "--out", out.appendingPathComponent("other").path, "--quiet"])
        #expect(elsewhere.status == 0)
        #expect(try Self.manifest(out.appendingPathComponent("other/prov"))["run_id"] as? String == id1)
        #expect(try Data(contentsOf: out.appendingPathComponent("other/prov/forecast.csv")) == csv1)
        // Same archive again: reused, said so.
        let again = try CLI.run(["run", scenario.path, "--out", runs.path, "--quiet"])
        #expect(again.status == 0 && again.stderr.contains("reused, not re-run"), "\(again.stderr)")
        // A changed seed: a new id, version 2, both kept (the old folder moved aside, not overwritten).
        try Self.variant(out, name: "prov", extra: "seed: 6")
        let changed = try CLI.run(["run", scenario.path, "--out", runs.path, "--quiet"])
        #expect(changed.status == 0 && changed.stderr.contains("version 2"), "\(changed.stderr)")
        let id2 = try Self.manifest(runs.appendingPathComponent("prov"))["run_id"] as? String
        #expect(id2 != nil && id2 != id1)
        #expect(try Self.manifest(runs.appendingPathComponent("prov@v1"))["run_id"] as? String == id1)
        let list = try CLI.run(["runs", "list", "--archive", runs.appendingPathComponent("archive.sqlite").path])
        #expect(list.stdout.contains(id1!) && list.stdout.contains(id2!))
        // The folder can be exported again from the archive, byte for byte.
        let exported = out.appendingPathComponent("exported")
        let show = try CLI.run([
            "runs", "show", "prov@v1", "--archive", runs.appendingPathComponent("archive.sqlite").path, "--export", exported.path,
        ])
        #expect(show.status == 0, "\(show.stderr)")
        #expect(try Data(contentsOf: exported.appendingPathComponent("forecast.csv")) == csv1)
        let delete = try CLI.run(["runs", "delete", id1!, "--archive", runs.appendingPathComponent("archive.sqlite").path])
        #expect(delete.status == 0)
        #expect(try !CLI.run(["runs", "list", "--archive", runs.appendingPathComponent("archive.sqlite").path]).stdout.contains(id1!))
    }

    /// Runs killed (SIGKILL) at random moments leave the archive sound, each run absent or complete.
    @Test func killedRunsLeaveTheArchiveConsistent() throws {
        let out = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let runs = out.appendingPathComponent("runs")
        let archive = runs.appendingPathComponent("archive.sqlite").path
        let seed = UInt64(ProcessInfo.processInfo.environment["KILL_TEST_SEED"] ?? "") ?? UInt64.random(in: 1...1_000_000)
        var random = SplitMix(seed)
        var killed = 0
        var completed = 0
        // One run to completion sets the scale of the delays (it varies with the build and the machine's load).
        let warmup = try Self.variant(out, name: "warmup", extra: "seed: 999")
        let started = Date()
        #expect(try CLI.run(["run", warmup.path, "--out", runs.path, "--quiet", "--threads", "1"]).status == 0)
        let duration = Date().timeIntervalSince(started)
        for i in 0..<8 {
            let scenario = try Self.variant(out, name: "kill-\(i % 3)", extra: "seed: \(1000 + i)")
            let process = Process()
            process.executableURL = try CLI.binary()
            process.arguments = ["run", scenario.path, "--out", runs.path, "--quiet", "--threads", "1"]
            process.standardError = FileHandle.nullDevice
            try process.run()
            // Anywhere from the start to a little past a typical run's end, so that some runs are killed
            // while loading or running, some while writing the archive, and some complete.
            usleep(UInt32(Double(random.next() % 1_000_000) / 1e6 * duration * 1.2 * 1e6))
            // Every third run is left to finish, so later kills land on an archive that holds complete runs
            // (and earlier versions of the same name).
            if i % 3 != 2, process.isRunning {
                kill(process.processIdentifier, SIGKILL)
                killed += 1
            }
            process.waitUntilExit()
            if process.terminationReason == .exit, process.terminationStatus == 0 { completed += 1 }
            let check = try CLI.run(["runs", "check", "--archive", archive])
            if FileManager.default.fileExists(atPath: archive) {
                #expect(check.status == 0, "seed \(seed), run \(i): \(check.stderr)")
            }
        }
        // The archive still takes a run after the kills.
        let scenario = try Self.variant(out, name: "after", extra: "seed: 77")
        #expect(try CLI.run(["run", scenario.path, "--out", runs.path, "--quiet"]).status == 0)
        let check = try CLI.run(["runs", "check", "--archive", archive])
        #expect(check.status == 0 && check.stdout.contains("sound"), "seed \(seed): \(check.stderr)")
        #expect(completed >= 2, "the runs left to finish are archived")
        print(
            "kill test: seed \(seed), \(killed) of 8 runs killed, \(completed) archived (a run takes \(String(format: "%.2f", duration)) s)"
        )
    }

    /// A run killed in the middle of its archive transaction (after the archive's progress line shows
    /// rows written) leaves no trace of itself, and the archive sound.
    @Test func killDuringTheArchiveWrite() throws {
        let out = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let runs = out.appendingPathComponent("runs")
        // 30 members, 11 years, every indicator recorded: ~23 000 forecast rows, enough for progress lines.
        let scenario = out.appendingPathComponent("big.yaml")
        try """
        name: big
        model: \(CLI.repository.path)/models/sioux-falls
        start: 2020
        end: 2030
        seed: 5
        without: [traffic]
        ensemble:
          members: 30
          uncertain:
            population.fertility_scale: normal(1.0, 0.05)
        """.write(to: scenario, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = try CLI.binary()
        process.arguments = ["run", scenario.path, "--out", runs.path, "--threads", "2"]
        let pipe = Pipe()
        process.standardError = pipe
        try process.run()
        var seen = ""
        var killedWhileWriting = false
        while process.isRunning {
            let data = pipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            seen += String(decoding: data, as: UTF8.self)
            if seen.contains("archiving big") {
                kill(process.processIdentifier, SIGKILL)
                killedWhileWriting = true
                break
            }
        }
        process.waitUntilExit()
        #expect(killedWhileWriting, "the kill landed while the archive was being written: \(seen)")
        let archive = runs.appendingPathComponent("archive.sqlite").path
        let check = try CLI.run(["runs", "check", "--archive", archive])
        #expect(check.status == 0 && check.stdout.contains("sound"), "\(check.stderr)")
        #expect(try CLI.run(["runs", "list", "--archive", archive]).stdout.contains("no runs"), "the killed run is absent")
        #expect(!FileManager.default.fileExists(atPath: runs.appendingPathComponent("big").path), "and so is its folder")
    }

    @Test func compareReportVerifyExport() throws {
        let out = try CLI.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: out) }
        let archive = out.appendingPathComponent("runs/archive.sqlite").path
        let policy = try Self.variant(out, name: "leak-fix", extra: "parameters:\n  water.leakage: 0.06")
        // Scenario files are run first (into the archive's folder).
        let compare = try CLI.run([
            "compare", "scenarios/test/ensemble-small.yaml", policy.path, "--archive", archive,
            "--years", "2022", "2023", "--out", out.appendingPathComponent("cmp").path, "--quiet",
        ])
        #expect(compare.status == 0, "\(compare.stderr)")
        #expect(compare.stdout.contains("water.leakage") && compare.stdout.contains("expected regret"))
        let csv = try String(contentsOf: out.appendingPathComponent("cmp/compare.csv"), encoding: .utf8)
        #expect(csv.contains("leak-fix,water.leakage,sioux-falls,m^3/day,lower,2023,"))
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("cmp/compare.json").path))
        let report = out.appendingPathComponent("report.html")
        let html = try CLI.run(["report", "ensemble-small", "--compare", "leak-fix", "--archive", archive, "--out", report.path])
        #expect(html.status == 0, "\(html.stderr)")
        let text = try String(contentsOf: report, encoding: .utf8)
        #expect(text.contains("class=\"fan-chart\"") && text.contains("class=\"network-map\"") && text.contains("class=\"comparison\""))
        let observed = out.appendingPathComponent("observed.csv")
        try "region,variable,year,value\nsioux-falls,population.total,2022,199000\nsioux-falls,water.reserve_days,2023,280\n"
            .write(to: observed, atomically: true, encoding: .utf8)
        let verify = try CLI.run(["verify", "ensemble-small", "--observed", observed.path, "--archive", archive])
        #expect(verify.status == 0, "\(verify.stderr)")
        #expect(verify.stdout.contains("population.total") && verify.stdout.contains("CRPS"))
        let iamc = out.appendingPathComponent("small.csv")
        let export = try CLI.run(["export", "ensemble-small", "--format", "iamc", "--archive", archive, "--out", iamc.path])
        #expect(export.status == 0, "\(export.stderr)")
        let table = try String(contentsOf: iamc, encoding: .utf8)
        #expect(table.hasPrefix("model,scenario,region,variable,unit,year,statistic,value\n"))
        #expect(table.contains(",sioux-falls,Population|Total,persons,2023,p50,"))
        #expect(table.contains("sioux-falls|Zone 1,Water|Deficit,"))
    }
}

/// SplitMix64 (Steele, Lea & Flood 2014): a small seeded generator for reproducible test delays.
struct SplitMix {
    var state: UInt64
    init(_ seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
