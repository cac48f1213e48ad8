import Calibration
import CityTwinCore
import Foundation
import Research
import Scenario

/// Paths in the repository, and a scratch folder per test.
enum Repository {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()
    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    /// A fresh temporary folder.
    static func scratch(_ name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent(
            "citytwin-research-\(name)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}

/// Synthetic observations: the deterministic run of a scenario with known parameters, plus seeded
/// Gaussian noise of the given standard deviations.
func syntheticObservations(
    scenario: String, truth: [String: Double], series: [(variable: String, sd: Double)],
    years: ClosedRange<Int>, seed: UInt64, noise: Bool = true
) throws -> String {
    let problem = ModelEvaluator.deterministic(try ScenarioLoader.load(scenario)).with(parameters: truth)
    let plan = try problem.plan()
    var member = try MemberRun(plan: plan, member: 0, keepsHistory: false, threads: 1)
    var generator = SeededGenerator(seed: seed)
    var text = "region,variable,year,value,sd\n"
    while member.simulation.status == .running {
        try member.step()
        for (variable, sd) in series {
            let slot = plan.indicators.slot(variable)!
            // Labelled as the forecast labels them: a flow by its year, a stock by its 1 January.
            guard let label = plan.yearLabel(of: slot, observedAt: member.simulation.time) else { continue }
            let year = Int(label.rounded())
            guard years.contains(year) else { continue }
            let value = member.current[slot] + (noise ? sd * generator.normal() : 0)
            text += "\(problem.model.name),\(variable),\(year),\(value),\(sd)\n"
        }
    }
    return text
}
