import Foundation
import Testing

@testable import Forecast

@Suite("run archive")
struct ArchiveTests {
    @Test func roundTrip() throws {
        let (archive, folder) = try Synthetic.temporaryArchive()
        defer { try? FileManager.default.removeItem(at: folder) }
        let values: [[Double]] = [[1, 2, .nan, 4], [5.5, 6.25, 7, 1e-300]]
        let record = Synthetic.record(
            id: "abc123", name: "base", members: 4,
            series: [("water.deficit", "flow", "lower", "m3/day", values)],
            alerts: [Synthetic.alert("low", probabilities: [0, 0.5])], triggers: [("restrictions", 0.25)])
        #expect(try archive.store(record) == 1)
        // Storing the same id again keeps the run as it is.
        #expect(try archive.store(record) == 1)
        let summary = try #require(try archive.summary("abc123"))
        #expect(summary.name == "base" && summary.members == 4 && summary.forecastRows == record.table.rows.count)
        let back = try archive.memberValues("abc123", variable: "water.deficit", region: "testcity")
        #expect(back.map(\.year) == [2020, 2021])
        #expect(back[0].values[0] == 1 && back[0].values[2].isNaN && back[1].values[3] == 1e-300, "BLOBs keep every bit, NaN included")
        // The exported forecast.csv is the table's CSV byte for byte.
        #expect(try archive.forecastCSV("abc123") == Data(record.table.csv.utf8))
        #expect(try archive.alerts("abc123") == record.alerts)
        #expect(try archive.triggers("abc123").map(\.share) == [0.25])
        #expect(try archive.events("abc123").map(\.intervention) == ["charge"])
        #expect(try archive.check().isEmpty)
        // Run folder exported from the archive.
        let destination = folder.appendingPathComponent("base")
        try archive.exportFolder("abc123", to: destination)
        let files = try FileManager.default.contentsOfDirectory(atPath: destination.path).sorted()
        // `.citytwin-run` marks a CityTwin run folder (the writer only ever replaces such folders).
        #expect(files == [".citytwin-run", "alerts.json", "events.csv", "forecast.csv", "manifest.json"])
        // Versions: a new id under the same name is version 2; both are kept and resolvable.
        let second = Synthetic.record(
            id: "def456", name: "base", members: 4, series: [("water.deficit", "flow", "lower", "m3/day", values)])
        #expect(try archive.store(second) == 2)
        #expect(try archive.list().map(\.version) == [1, 2])
        #expect(try archive.resolve("base") == "def456")
        #expect(try archive.resolve("base@v1") == "abc123")
        #expect(try archive.resolve("abc1") == "abc123")
        #expect(try archive.delete("abc123"))
        #expect(try archive.list().map(\.id) == ["def456"])
        #expect(try archive.memberValues("abc123", variable: "water.deficit", region: "testcity").isEmpty)
        #expect(throws: RunArchive.ArchiveError.self) { try archive.resolve("nothing") }
    }
}
