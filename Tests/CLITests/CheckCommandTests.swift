import Foundation
import TestSupport
import Testing

/// `citytwin check <model>`: the table of facts against the model's base year, and its exit status.
@Suite("citytwin check", .serialized)
struct CheckCommandTests {
    /// A copy of the sample city with its facts replaced by `facts`.
    func model(facts: String) throws -> URL {
        let root = try CLITests.temporaryDirectory()
        let folder = root.appendingPathComponent("city")
        try FileManager.default.copyItem(at: SampleCityFixture.folder, to: folder)
        try facts.write(to: folder.appendingPathComponent("facts.csv"), atomically: true, encoding: .utf8)
        return folder
    }

    static let header = "fact,value,unit,year,tolerance,model,source\n"

    @Test func factsWithinToleranceExitZero() throws {
        let folder = try model(
            facts: Self.header + "population,192517,persons,2020,0.005,population.total,census\n"
                + "households_people,190000,persons,2020,0.05,population.total,test\n")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let result = try CLITests.run(["check", folder.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("population"), "\(result.stdout)")
        // model 192 517 against 190 000: +2 517, +1.3 %, within ±5 %.
        #expect(result.stdout.contains("2517") && result.stdout.contains("+1.3%"), "\(result.stdout)")
        #expect(result.stdout.contains("2 of 2 facts within tolerance"), "\(result.stdout)")
    }

    @Test func aFactOutsideItsToleranceExitsTwoAndIsNamed() throws {
        let folder = try model(facts: Self.header + "too_many,250000,persons,2020,0.1,population.total,test\n")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let result = try CLITests.run(["check", folder.path])
        #expect(result.status == 2)
        #expect(result.stdout.contains("-23.0%") && result.stdout.contains("NO"), "\(result.stdout)")
        #expect(result.stderr.contains("outside tolerance: too_many"), "\(result.stderr)")
    }

    @Test func aBadExpressionExitsOneWithItsCell() throws {
        let folder = try model(facts: Self.header + "p,1,persons,2020,0.1,population.totl,test\n")
        defer { try? FileManager.default.removeItem(at: folder.deletingLastPathComponent()) }
        let result = try CLITests.run(["check", folder.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("facts.csv:2:"), "\(result.stderr)")
    }
}
