public import CityTwinCore

extension ScenarioPlan {
    /// The years the run labels: `start…end` of the scenario, one per tick start (see ``YearLabel``).
    public var labelledYears: [Double] {
        let clock = problem.clock
        return (0..<clock.tickCount).map { clock.time(after: $0) }
    }

    /// The year the value of catalog slot `slot` observed at `time` belongs to, or nil when that value is
    /// outside the horizon (a flow at the initial instant, a stock at the final instant).
    public func yearLabel(of slot: Int, observedAt time: Double) -> Double? {
        let kind = indicators.descriptors[indicators.entries[slot].descriptor].kind
        let year = YearLabel.label(of: kind, observedAt: time, tickYears: problem.scenario.tick.inYears)
        return problem.clock.labels(year) ? year : nil
    }

    /// The instant at which the value of `slot` labelled `year` is observed, or nil when `year` is not a
    /// labelled year of the run.
    public func instant(of slot: Int, labelled year: Double) -> Double? {
        guard problem.clock.labels(year) else { return nil }
        let kind = indicators.descriptors[indicators.entries[slot].descriptor].kind
        return YearLabel.instant(of: kind, labelled: year, tickYears: problem.scenario.tick.inYears)
    }
}
