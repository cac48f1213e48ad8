import CityTwinCore
import Foundation
import Research
import Scenario
import Testing

@Suite("Observations: strict reading, mapping to declared indicators, objectives")
struct ObservationTests {
    static let plan = Result { try ScenarioLoader.loadPlan(Repository.path("scenarios/test/population-short.yaml")) }

    @Test("city and zone rows resolve to the catalog's slots")
    func resolves() throws {
        let plan = try Self.plan.get()
        let table = try CSVTable(
            text: """
                region,variable,year,value,sd
                sioux-falls,population.total,2025,200000,500
                3,population.total,2030,5000,
                sioux-falls,population.births,2021,2700,50
                """, file: "obs.csv")
        let set = try ObservationSet.parse(table, plan: plan)
        #expect(set.observations.count == 3)
        #expect(set.observations[0].slot == plan.indicators.slot("population.total"))
        #expect(set.observations[1].slot == plan.indicators.slot("population.total", .zone(2)))
        #expect(set.observations[1].standardDeviation == nil)
        #expect(set.years == [2021, 2025, 2030])
    }

    @Test("every problem reported at once, with line, column and a did-you-mean")
    func errors() throws {
        let plan = try Self.plan.get()
        let table = try CSVTable(
            text: """
                region,variable,year,value,sd,note
                sioux-falls,population.totl,2025,200000,500,
                sioux-fals,population.total,2025,1,1,
                sioux-falls,population.total,2041,1,1,
                sioux-falls,population.births,2019,1,1,
                sioux-falls,population.total,2022,1,-3,
                sioux-falls,population.total,2023,abc,1,
                """, file: "obs.csv")
        let errors = try #require(throws: InputErrors.self) { try ObservationSet.parse(table, plan: plan) }
        let text = errors.description
        #expect(text.contains("obs.csv:1: error: unknown column `note`"))
        #expect(text.contains("obs.csv:2:13: error: unknown indicator `population.totl`"))
        #expect(text.contains("did you mean `population.total`?"))
        #expect(text.contains("obs.csv:3:1: error: unknown region `sioux-fals`"))
        #expect(text.contains("obs.csv:4:"), "a year past the horizon")
        #expect(text.contains("obs.csv:5:") && text.contains("not a year of the run"), "a flow before the start year")
        #expect(text.contains("obs.csv:6:") && text.contains("must be positive"))
        #expect(text.contains("obs.csv:7:") && text.contains("not a finite number"))
        #expect(errors.errors.count == 7)
    }

    /// rᵢ = (ŷ − y)/σ; on the log scale (log ŷ − log y)/(σ/y); log L = −S/2 − Σ log s − (m/2) log 2π.
    @Test("weighted residuals, log transform and the Gaussian log-likelihood by hand")
    func objective() throws {
        let plan = try Self.plan.get()
        let table = try CSVTable(
            text: """
                region,variable,year,value,sd
                sioux-falls,population.total,2025,100,2
                sioux-falls,population.births,2025,50,5
                """, file: "obs.csv")
        let set = try ObservationSet.parse(table, plan: plan)
        let objective = Objective(observations: set.observations, logSeries: ["population.births"], kind: .likelihood)
        let r = objective.residuals(model: [104, 55])
        #expect(abs(r[0] - 2) < 1e-12)
        #expect(abs(r[1] - log(55.0 / 50) / 0.1) < 1e-12)
        let s = r[0] * r[0] + r[1] * r[1]
        let expected = -0.5 * s - log(2.0) - log(0.1) - log(2 * Double.pi)
        #expect(abs(objective.logLikelihood(model: [104, 55]) - expected) < 1e-12)
        #expect(
            objective.residuals(model: [104, -1])[1] == .infinity,
            "a non-positive model value on the log scale is rejected")
    }
}
