import CityTwinCore
public import Scenario

/// The statistics of an ensemble, taken instant by instant from every member's indicator vector in member
/// order: the forecast rows (``ForecastCollector``), the alert counts and the captured member values.
///
/// Both ways of running an ensemble feed it — the lockstep runner of one process (``EnsembleRunner``) and the
/// distributed runner, whose root receives each instant's vectors from the ranks (``DistributedEnsemble``) —
/// so their output is the same by construction. It holds one instant of every member (the vectors it is
/// given), never a member's history.
public struct EnsembleAccumulator {
    let plan: ScenarioPlan
    private var collector: ForecastCollector
    private var alerts: [AlertCounter]
    private var captured: MemberValues

    public init(plan: ScenarioPlan, memberOutput: Bool, capture: [Int]) {
        self.plan = plan
        collector = ForecastCollector(plan: plan, memberOutput: memberOutput)
        alerts = plan.alerts.map { AlertCounter(alert: $0, zones: plan.problem.model.zones.map(\.id)) }
        captured = MemberValues(slots: capture, members: plan.members)
    }

    /// Takes instant `tick` (0 = the initial state): each member's indicator vector now and at the
    /// instant before, in member order. Alerts are counted from the first tick on.
    public mutating func take(current: [[Double]], previous: [[Double]], tick: Int) {
        let problem = plan.problem
        let time = problem.clock.time(after: tick)
        collector.take(vectors: current, time: time)
        captured.take(current, time: time, plan: plan)
        guard tick > 0 else { return }
        // An alert's condition is labelled by the year the tick simulated (``YearLabel``).
        let year = time - problem.scenario.tick.inYears
        for index in alerts.indices {
            alerts[index].take(current: current, previous: previous, year: year, startYear: problem.scenario.startYear)
        }
    }

    /// The interventions with a `when:` trigger, in scenario order.
    public static func triggerNames(_ plan: ScenarioPlan) -> [String] {
        plan.problem.scenario.interventions.compactMap { intervention in
            guard case .trigger = intervention.timing else { return nil }
            return intervention.name
        }
    }

    /// The result, given every member's intervention events (member by member).
    /// - Parameter endState: the members' end state, when this process holds them all.
    public func result(events: [[InterventionEvent]], endState: RunEndState?) -> EnsembleResult {
        let problem = plan.problem
        let count = plan.members
        let table = ForecastTable(model: problem.model.name, scenario: problem.scenario.name, rows: collector.sortedRows())
        let levels = collector.levels.map { _ in
            ForecastTable(model: problem.model.name, scenario: problem.scenario.name, rows: collector.sortedLevelRows())
        }
        let triggers = Self.triggerNames(plan).map { TriggerSummary(intervention: $0, events: events) }
        return EnsembleResult(
            table: table, alerts: alerts.map { $0.report(members: count) }, events: events.flatMap { $0 },
            triggers: triggers, members: captured, levels: levels, endState: endState)
    }
}
