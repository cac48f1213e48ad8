import Calibration
import CityTwinCore
import Forecast
import Foundation
import Research
import Scenario
import Testing

@Suite("Data assimilation: ensemble Kalman filter on a scenario's ensemble")
struct AssimilationTests {
    /// A twin experiment: "observations" of births and residents (2021–2026) from a run with fertility
    /// scale 1.15 plus noise (sd 40 births, 300 residents); the ensemble's prior is normal(1.0, 0.1).
    /// After assimilating, the analysis mean must have moved most of the way to the truth (within 0.05,
    /// from 0.15 away) and the spread must have shrunk below half the prior's; for both filters.
    @Test(
        "twin experiment: the fertility scale moves to the truth and its spread shrinks",
        arguments: [
            EnsembleKalmanFilter.Method.squareRoot, .stochastic,
        ])
    func twin(method: EnsembleKalmanFilter.Method) throws {
        let scenario = Repository.path("scenarios/test/assimilation-twin.yaml")
        let text = try syntheticObservations(
            scenario: scenario, truth: ["population.fertility_scale": 1.15],
            series: [("population.births", 40), ("population.total", 300)], years: 2021...2026, seed: 3)
        let plan = try ScenarioLoader.loadPlan(scenario)
        let observations = try ObservationSet.parse(try CSVTable(text: text, file: "twin.csv"), plan: plan)
        try Assimilation.check(plan: plan, observations: observations)
        let assimilation = Assimilation(
            plan: plan, observations: observations,
            filter: EnsembleKalmanFilter(method: method, inflation: 1.02))
        let result = try assimilation.run(threads: 2)
        let first = try #require(result.analyses.first?.parameters.first)
        let last = try #require(result.analyses.last?.parameters.first)
        print(
            "\(method): prior \(first.forecastMean) ± \(first.forecastSD); after 2021 \(first.analysisMean) ± \(first.analysisSD); after 2026 \(last.analysisMean) ± \(last.analysisSD)"
        )
        // Residents on 1 January 2021…2026 and the births of 2021…2026 (known at each year's end): analyses
        // at the instants 2021…2027.
        #expect(result.analyses.count == 7)
        #expect(abs(last.analysisMean - 1.15) < 0.05)
        #expect(abs(last.analysisMean - 1.15) < abs(first.forecastMean - 1.15))
        #expect(last.analysisSD < 0.5 * first.forecastSD)
        // The state: residents (the sum of the zones' updated cohorts) move toward the observed total.
        let observedTotal = try #require(
            observations.observations.first { $0.variable == "population.total" && $0.year == 2021 }?.value)
        let population = try #require(result.analyses.first?.population)
        print(
            "\(method): residents 2021 forecast \(population.forecastMean), analysis \(population.analysisMean), observed \(observedTotal)")
        #expect(abs(population.analysisMean - observedTotal) < abs(population.forecastMean - observedTotal))
        // The forecast table: ensemble statistics of the analysis, p5 ≤ p50 ≤ p95.
        let model = plan.problem.model.name
        let p5 = try #require(result.table.value("population.total", region: model, year: 2026, statistic: "p5"))
        let p95 = try #require(result.table.value("population.total", region: model, year: 2026, statistic: "p95"))
        #expect(p5 <= p95)
        // Same output for another thread count.
        if method == .squareRoot {
            let again = try assimilation.run(threads: 1)
            #expect(again.table.csv == result.table.csv)
        }
    }
}
