import Calibration
import CityTwinCore
import Forecast
import Foundation
import Research
import Scenario
import Testing

/// Rolling a twin forward as observations arrive: assimilating residents of 2021–2022, saving the ensemble, and
/// continuing it through 2026 with the whole (grown) observation file gives the forecast and the analyses of one run
/// over 2020–2026, bit for bit — for the stochastic filter too, whose perturbations are keyed by the analysis count.
/// (Residents only: where the split instant has flows of the last year and stocks of the next, the rolled-forward run
/// assimilates them in two analyses instead of one; see ``Assimilation``.)
@Suite("Data assimilation rolled forward from a saved end state")
struct AssimilationContinuationTests {
    @Test(arguments: [EnsembleKalmanFilter.Method.squareRoot, .stochastic])
    func rolledForwardEqualsOneRun(method: EnsembleKalmanFilter.Method) throws {
        let scenario = Repository.path("scenarios/test/assimilation-twin.yaml")
        let text = try syntheticObservations(
            scenario: scenario, truth: ["population.fertility_scale": 1.15],
            series: [("population.total", 300)], years: 2021...2026, seed: 3)
        let problem = try ScenarioLoader.load(scenario)
        func plan(start: Int, end: Int) throws -> ScenarioPlan {
            var spec = problem.scenario
            spec.startYear = start
            spec.endYear = end
            spec.continuesSavedState = start != problem.model.baseYear
            return try SimulationProblem(scenario: spec, model: problem.model, scenarioFiles: problem.scenarioFiles).plan()
        }
        func run(_ plan: ScenarioPlan, _ csv: String, from saved: RunEndState? = nil) throws -> Assimilation.Result {
            let observations = try ObservationSet.parse(try CSVTable(text: csv, file: "twin.csv"), plan: plan)
            let filter = EnsembleKalmanFilter(method: method, inflation: 1.02)
            return try Assimilation(plan: plan, observations: observations, filter: filter).run(threads: 2, from: saved)
        }
        let whole = try run(plan(start: 2020, end: 2026), text)
        // What had arrived by the end of 2022: the header and the rows of 2021–2022.
        let early = text.split(separator: "\n").filter { line in !["2023", "2024", "2025", "2026"].contains { line.contains(",\($0),") } }
        let firstPlan = try plan(start: 2020, end: 2022)
        let first = try run(firstPlan, early.joined(separator: "\n") + "\n")
        #expect(first.endState.analyses == 2)
        // The continuation starts at the first run's end instant.
        let resume = Int(firstPlan.problem.clock.time(after: firstPlan.problem.clock.tickCount).rounded())
        let second = try run(plan(start: resume, end: 2026), text, from: first.endState)
        #expect(second.analyses.count == 4 && whole.analyses.count == 6)
        #expect(first.csv + second.csv.drop { $0 != "\n" }.dropFirst() == whole.csv)
        let rolled = Dictionary(
            (first.table.rows + second.table.rows).map { ("\($0.region) \($0.variable) \($0.year) \($0.statistic)", $0.value) },
            uniquingKeysWith: { a, b in a.bitPattern == b.bitPattern ? a : .nan })
        let reference = Dictionary(
            uniqueKeysWithValues: whole.table.rows.map { ("\($0.region) \($0.variable) \($0.year) \($0.statistic)", $0.value) })
        #expect(rolled.count == reference.count)
        let differing = reference.filter { rolled[$0.key]?.bitPattern != $0.value.bitPattern }
        #expect(differing.isEmpty, "\(differing.count) rows differ, e.g. \(differing.prefix(3))")
    }
}
