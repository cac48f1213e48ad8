import Foundation
import Scenario
import Testing

@testable import Forecast

@Suite("run identity")
struct ProvenanceTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// A copy of the sample city and a two-file scenario chain in a temporary folder.
    static func workspace() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-identity-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try FileManager.default.copyItem(
            at: repository.appendingPathComponent("models/sioux-falls"), to: folder.appendingPathComponent("city"))
        try "name: base\nmodel: city\nstart: 2020\nend: 2022\nseed: 3\nwithout: [traffic]\n"
            .write(to: folder.appendingPathComponent("base.yaml"), atomically: true, encoding: .utf8)
        try "extends: base.yaml\nname: policy\nparameters:\n  water.leakage: 0.1\n"
            .write(to: folder.appendingPathComponent("policy.yaml"), atomically: true, encoding: .utf8)
        return folder
    }

    static func id(_ folder: URL, memberOutput: Bool = false, engine: String? = nil) throws -> String {
        let problem = try ScenarioLoader.load(folder.appendingPathComponent("policy.yaml").path)
        return engine.map { RunIdentity(problem: problem, memberOutput: memberOutput, engineVersion: $0).id }
            ?? RunIdentity(problem: problem, memberOutput: memberOutput).id
    }

    static func edit(_ url: URL, _ from: String, _ to: String) throws {
        let text = try String(contentsOf: url, encoding: .utf8)
        #expect(text.contains(from), "\(url.lastPathComponent) contains \(from)")
        try text.replacingOccurrences(of: from, with: to).write(to: url, atomically: true, encoding: .utf8)
    }

    @Test func anyInputChangesTheIdAndEqualInputsKeepIt() throws {
        let folder = try Self.workspace()
        defer { try? FileManager.default.removeItem(at: folder) }
        let original = try Self.id(folder)
        #expect(original.count == 16)
        #expect(try Self.id(folder) == original, "same inputs, same id")
        // A copy elsewhere keeps the id: files are identified by content.
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-identity-copy-\(UUID().uuidString)")
        try FileManager.default.copyItem(at: folder, to: copy)
        defer { try? FileManager.default.removeItem(at: copy) }
        #expect(try Self.id(copy) == original)
        var seen: Set<String> = [original]
        func changed(_ what: String, _ id: String) {
            #expect(seen.insert(id).inserted, "\(what) changes the id")
        }
        changed("the engine version", try Self.id(folder, engine: "0.0.0-other"))
        changed("member output", try Self.id(folder, memberOutput: true))
        try Self.edit(folder.appendingPathComponent("policy.yaml"), "0.1", "0.11")
        changed("the scenario", try Self.id(folder))
        try Self.edit(folder.appendingPathComponent("base.yaml"), "seed: 3", "seed: 4")
        changed("the seed (in the extended file)", try Self.id(folder))
        try Self.edit(folder.appendingPathComponent("city/model.yaml"), "leakage: 0.12", "leakage: 0.13")
        changed("model.yaml", try Self.id(folder))
        try Self.edit(folder.appendingPathComponent("city/resources/water_sources.csv"), "# Sioux Falls water", "# The Sioux Falls water")
        changed("a model table", try Self.id(folder))
    }
}
