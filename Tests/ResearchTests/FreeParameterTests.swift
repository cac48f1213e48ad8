import CityTwinCore
import Research
import Scenario
import Testing

@Suite("Free parameters: registry paths and single elements of vector parameters")
struct FreeParameterTests {
    /// One element of a vector parameter moves alone; the others keep the scenario's values.
    @Test("an element selector overrides one element and keeps the rest")
    func element() throws {
        let problem = try ScenarioLoader.load(Repository.path("scenarios/test/ensemble-small.yaml"))
        let plan = try ModelEvaluator.deterministic(problem).plan()
        let resolved = try FreeParameter.resolve(
            "water.source_capacity[sources big_sioux_aquifer]", in: plan.parameters
        ).get()
        #expect(resolved.descriptor.path == "water.source_capacity" && resolved.element == 0)
        let lewis = try FreeParameter.resolve("water.source_capacity[lewis_and_clark]", in: plan.parameters).get()
        #expect(lewis.element == 1)
        let evaluator = try ModelEvaluator(
            problem: problem,
            parameters: [
                FreeParameter(
                    name: "water.source_capacity[sources big_sioux_aquifer]", path: "water.source_capacity", element: 0,
                    lower: 0, upper: 1e5, start: nil),
                FreeParameter(
                    name: "population.fertility_scale", path: "population.fertility_scale", element: nil,
                    lower: 0.5, upper: 1.5, start: nil),
            ], requests: [])
        #expect(evaluator.modelValues == [70400, 1])  // the aquifer wells' capacity in water_sources.csv
        let overrides = evaluator.overrides([40000, 1.1])
        #expect(overrides.first { $0.path == "water.source_capacity" }?.values == [40000, 95400, 4150])
        #expect(overrides.first { $0.path == "population.fertility_scale" }?.values == [1.1])
    }

    @Test("unknown paths and elements get a did-you-mean")
    func unknown() throws {
        let plan = try ModelEvaluator.deterministic(
            try ScenarioLoader.load(Repository.path("scenarios/test/ensemble-small.yaml"))
        ).plan()
        guard
            case .failure(let element) = FreeParameter.resolve(
                "water.source_capacity[sources aquifer]", in: plan.parameters)
        else {
            Issue.record("`aquifer` resolved")
            return
        }
        #expect(element.text.contains("has no source `aquifer`"))
        #expect(element.hint?.contains("big_sioux_aquifer") == true)
        guard case .failure(let path) = FreeParameter.resolve("population.fertility_scal", in: plan.parameters) else {
            Issue.record("a misspelt path resolved")
            return
        }
        #expect(path.hint == "did you mean `population.fertility_scale`?")
    }
}
