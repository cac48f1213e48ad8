import Forecast
import Testing

@Suite("Convergence warnings from the forecast")
struct ConvergenceWarningTests {
    func row(_ variable: String, _ year: Double, _ statistic: String, _ value: Double) -> ForecastTable.Row {
        ForecastTable.Row(region: "city", variable: variable, unit: "1", year: year, statistic: statistic, value: value)
    }

    @Test("years with `.converged` below 1 (value, or an ensemble's mean) are named; converged years and quantiles are not")
    func years() {
        let table = ForecastTable(
            model: "city", scenario: "s",
            rows: [
                row("traffic.converged", 2020, "value", 1), row("traffic.converged", 2031, "value", 0),
                row("traffic.converged", 2035, "mean", 0.9), row("traffic.converged", 2036, "p5", 0),
                row("traffic.relative_gap", 2031, "value", 0.2),
            ])
        let messages = ConvergenceWarnings.messages(table)
        #expect(messages.count == 1)
        #expect(messages.first?.hasPrefix("`traffic.converged` < 1 in 2031, 2035: the traffic solver stopped") == true, "\(messages)")
        #expect(
            ConvergenceWarnings.messages(ForecastTable(model: "city", scenario: "s", rows: [row("traffic.converged", 2020, "value", 1)]))
                .isEmpty)
    }
}
