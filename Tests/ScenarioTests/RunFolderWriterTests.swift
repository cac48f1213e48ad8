import CityTwinCore
import Forecast
import Foundation
import Testing

@Suite("Atomic run folders")
struct RunFolderWriterTests {
    @Test func aFailedWriteLeavesTheEarlierRunAndNoStagingFolder() throws {
        let parent = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-writer-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: parent) }
        let destination = parent.appendingPathComponent("baseline")
        try RunFolderWriter.write([("forecast.csv", Data("first\n".utf8))], to: destination)
        // A file name inside a folder that does not exist cannot be written: the second run fails midway.
        #expect(throws: (any Error).self) {
            try RunFolderWriter.write(
                [("forecast.csv", Data("second\n".utf8)), ("missing/manifest.json", Data("{}".utf8))],
                to: destination)
        }
        #expect(try String(contentsOf: destination.appendingPathComponent("forecast.csv"), encoding: .utf8) == "first\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["baseline"])
        // A complete write replaces the run.
        try RunFolderWriter.write([("forecast.csv", Data("third\n".utf8))], to: destination)
        #expect(try String(contentsOf: destination.appendingPathComponent("forecast.csv"), encoding: .utf8) == "third\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: parent.path) == ["baseline"])
    }
}
