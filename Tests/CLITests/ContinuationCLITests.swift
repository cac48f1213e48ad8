import Foundation
import TestSupport
import Testing

/// `citytwin run … --from <run folder>` through the binary: the end state is written, continued, and a
/// continuation that does not fit is refused with a message and a non-zero exit.
@Suite("citytwin run --from")
struct ContinuationCLITests {
    @Test func runContinuesFromTheSavedEndState() throws {
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base = Repository.path("scenarios/test/continuation.yaml")
        try "extends: \(base)\nname: first\nend: 2030\n".write(
            to: folder.appendingPathComponent("first.yaml"), atomically: true, encoding: .utf8)
        let first = try CLITests.run(["run", "first.yaml", "--out", "runs", "--quiet"], in: folder)
        #expect(first.status == 0, "\(first.stderr)")
        let stateFile = folder.appendingPathComponent("runs/first/end-state.json")
        let state = try JSONSerialization.jsonObject(with: Data(contentsOf: stateFile)) as! [String: Any]
        #expect(state["format"] as? String == "citytwin-end-state/1")
        #expect((state["members"] as? [Any])?.count == 4)
        let start = Int((state["time"] as! Double).rounded())
        try "extends: first.yaml\nname: second\nstart: \(start)\nend: 2040\n".write(
            to: folder.appendingPathComponent("second.yaml"), atomically: true, encoding: .utf8)

        let second = try CLITests.run(["run", "second.yaml", "--from", "runs/first", "--out", "runs", "--quiet"], in: folder)
        #expect(second.status == 0, "\(second.stderr)")
        let csv = try String(contentsOf: folder.appendingPathComponent("runs/second/forecast.csv"), encoding: .utf8)
        #expect(csv.contains(",population.total,persons,2040,p50,"))
        #expect(!csv.contains(",population.total,persons,2025,p50,"), "the continuation starts at the saved instant")

        // Without --from, the scenario does not start at the base year; from a folder without an end state, it is refused.
        let plain = try CLITests.run(["run", "second.yaml", "--out", "runs", "--quiet"], in: folder)
        #expect(plain.status != 0)
        #expect(plain.stderr.contains("--from <run folder>"))
        let empty = folder.appendingPathComponent("empty")
        try FileManager.default.createDirectory(at: empty, withIntermediateDirectories: true)
        let missing = try CLITests.run(["run", "second.yaml", "--from", "empty", "--out", "runs", "--quiet"], in: folder)
        #expect(missing.status != 0)
        #expect(missing.stderr.contains("the run folder has no end-state.json"))
        // A different seed is named, with the saved one.
        try "extends: second.yaml\nname: third\nseed: 99\n".write(
            to: folder.appendingPathComponent("third.yaml"), atomically: true, encoding: .utf8)
        let seed = try CLITests.run(["run", "third.yaml", "--from", "runs/first", "--out", "runs", "--quiet"], in: folder)
        #expect(seed.status != 0)
        #expect(seed.stderr.contains("the seed differs") && seed.stderr.contains("use `seed: 23`"))
    }
}
