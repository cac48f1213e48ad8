public import CityTwinCore

/// One member of a scenario's ensemble: a `Simulation` plus the scenario's settings, the member's draws
/// of the uncertain parameters, and its interventions, applied at tick boundaries.
///
/// At the boundary before each tick, with the indicators of the instant just recorded:
/// - `at: Y` applies its assignments at the first boundary at or after Y (and undoes them at `end`);
/// - `ramp: A to B` moves each target linearly from its value at A to the assignments' result at B;
/// - `when:` applies at the first boundary where the condition holds, `until:` undoes (restoring the
///   values the intervention replaced), and `repeat: true` lets it fire again.
/// Members draw from streams keyed by (seed, member, "ensemble", parameter), so two scenarios with the
/// same seed give member m the same draws: common random numbers.
public struct MemberRun: Sendable {
    public let plan: ScenarioPlan
    public let member: Int
    public private(set) var simulation: Simulation
    /// Indicator values at the latest instant, by catalog slot (NaN where not recorded).
    public private(set) var current: [Double]
    /// Indicator values at the instant before.
    public private(set) var previous: [Double]
    /// Current parameter values, by catalog slot.
    public private(set) var parameters: [Double]
    /// Interventions that acted, in order.
    public private(set) var events: [InterventionEvent] = []
    /// Each intervention's state (fired, active, values to restore, ramp ends), in scenario order.
    var states: [InterventionState]
    private var slotCache = IndicatorCatalog.SlotCache()

    struct InterventionState: Sendable, Codable, Equatable {
        var active = false
        var fired = false
        /// Target values before the intervention acted, to restore them.
        var saved: [Int: Double] = [:]
        /// Ramp end points per slot.
        var rampDone = false
        var rampStart: [Int: Double] = [:]
        var rampEnd: [Int: Double] = [:]
    }

    /// - Parameter threads: threads the member's modules may use themselves (1 when members run in parallel).
    public init(plan: ScenarioPlan, member: Int, keepsHistory: Bool, threads: Int = Simulation.processorCount) throws {
        self.plan = plan
        self.member = member
        let problem = plan.problem
        simulation = try Simulation(
            clock: problem.clock, modules: plan.modules, seed: problem.scenario.seed,
            member: member, keepsHistory: keepsHistory, threads: threads)
        current = Array(repeating: .nan, count: plan.indicators.count)
        previous = current
        parameters = plan.baseParameters
        states = Array(repeating: InterventionState(), count: plan.interventions.count)
        // Settings, then this member's draws, both before the first tick.
        var changed = Set<Int>()
        for setting in plan.settings { changed.formUnion(apply(setting)) }
        for override in plan.overrides {
            parameters.replaceSubrange(override.slots, with: override.values)
            changed.formUnion(override.slots)
        }
        if !plan.uncertain.isEmpty {
            for uncertain in plan.uncertain {
                // Keyed by the parameter's path, so a member's draw does not depend on the list's order.
                var random = RandomStream(seed: problem.scenario.seed, member: member, module: "ensemble:\(uncertain.path)", tick: 0)
                let draw = uncertain.distribution.sample(&random)
                for slot in uncertain.slots { parameters[slot] = clamp(draw, slot) }
                changed.formUnion(uncertain.slots)
            }
        }
        plan.parameters.apply(parameters, changed: changed, to: &simulation)
        plan.indicators.fill(&current, from: simulation.latest.samples, cache: &slotCache)
    }

    /// Continues a member from its saved end state (``MemberState``) in a run whose clock starts at the
    /// saved instant: the simulation's fields, random-stream position and module memories, the member's
    /// parameter values (its draws, settings and interventions in force), its interventions' and triggers'
    /// states and the indicators of the instant before. Nothing is drawn again. `events` lists only what
    /// acts from here on. The plan must be compatible (``RunEndState/check(_:)`` says why not).
    public init(plan: ScenarioPlan, resuming saved: MemberState, keepsHistory: Bool, threads: Int = Simulation.processorCount) throws {
        precondition(
            saved.parameters.values.count == plan.baseParameters.count && saved.interventions.count == plan.interventions.count
                && saved.previous.values.count == plan.indicators.count,
            "the saved member does not match the plan; RunEndState.check(_:) tells the user why")
        self.plan = plan
        member = saved.member
        let problem = plan.problem
        simulation = try Simulation(
            clock: problem.clock, modules: plan.modules, seed: problem.scenario.seed, member: saved.member,
            keepsHistory: keepsHistory, threads: threads, resuming: saved.simulation)
        parameters = saved.parameters.values
        previous = saved.previous.values
        current = Array(repeating: .nan, count: plan.indicators.count)
        states = saved.interventions
        // The modules start with the model's values: every slot the saved run had changed is set again.
        let changed = Set(parameters.indices.filter { parameters[$0].bitPattern != plan.baseParameters[$0].bitPattern })
        plan.parameters.apply(parameters, changed: changed, to: &simulation)
        // The saved instant was recorded with these values in force.
        simulation.recordAgain()
        plan.indicators.fill(&current, from: simulation.latest.samples, cache: &slotCache)
    }

    /// Applies due interventions, advances one tick and reads the new indicators.
    @discardableResult
    public mutating func step() throws -> RunStatus {
        let time = simulation.time
        var changed = Set<Int>()
        for index in plan.interventions.indices { changed.formUnion(act(index, at: time)) }
        if !changed.isEmpty { plan.parameters.apply(parameters, changed: changed, to: &simulation) }
        let status: RunStatus
        do {
            status = try simulation.step()
        } catch {
            let inForce = plan.interventions.indices.filter { states[$0].active || !states[$0].rampStart.isEmpty }
            throw MemberRunFailure(
                scenarioFile: plan.problem.scenario.file, member: member, year: time,
                interventions: inForce.map { (plan.interventions[$0].name, plan.interventions[$0].location) }, underlying: error)
        }
        swap(&previous, &current)
        plan.indicators.fill(&current, from: simulation.latest.samples, cache: &slotCache)
        return status
    }

    /// Replaces parameter values (by catalog slot, clamped to their ranges) and, optionally, adjusts the
    /// state, between ticks: the analysis step of data assimilation. The indicators of the current instant
    /// are read again; `previous` is kept.
    public mutating func assimilate(
        parameters updates: [(slot: Int, value: Double)],
        state adjust: ((inout CityState) throws -> Void)? = nil
    ) throws {
        var changed = Set<Int>()
        for (slot, value) in updates {
            parameters[slot] = clamp(value, slot)
            changed.insert(slot)
        }
        if !changed.isEmpty { plan.parameters.apply(parameters, changed: changed, to: &simulation) }
        if let adjust { try simulation.adjustState(adjust) }
        plan.indicators.fill(&current, from: simulation.latest.samples, cache: &slotCache)
    }

    private mutating func act(_ index: Int, at time: Double) -> Set<Int> {
        let intervention = plan.interventions[index]
        var state = states[index]
        defer { states[index] = state }
        let epsilon = 1e-9
        switch intervention.timing {
        case .at(let year, let end):
            if !state.fired, time >= year - epsilon {
                state.fired = true
                state.active = true
                record("applied", intervention.name, at: time)
                return applyAll(intervention.operations, saving: &state)
            }
            if state.active, let end, time >= end - epsilon {
                state.active = false
                record("ended", intervention.name, at: time)
                return restore(&state)
            }
        case .ramp(let from, let to):
            guard time >= from - epsilon, !state.rampDone else { return [] }
            if !state.fired {
                state.fired = true
                for operation in intervention.operations {
                    for slot in operation.target.indices {
                        let start = parameters[slot]
                        state.rampStart[slot] = start
                        state.rampEnd[slot] = clamp(operation.apply(to: start, current: current, previous: previous), slot)
                    }
                }
                record("ramp started", intervention.name, at: time)
            }
            let fraction = min(1, (time - from) / (to - from))
            if fraction >= 1 {
                state.rampDone = true  // reached (or passed, on multi-year ticks): the target holds from here
                record("ramp complete", intervention.name, at: time)
            }
            for (slot, start) in state.rampStart { parameters[slot] = start + fraction * (state.rampEnd[slot]! - start) }
            return Set(state.rampStart.keys)
        case .trigger(let when, let until, let repeats):
            if !state.active, !state.fired || repeats, when.isTrue(current: current, previous: previous) {
                state.fired = true
                state.active = true
                record("triggered", intervention.name, at: time)
                return applyAll(intervention.operations, saving: &state)
            }
            if state.active, let until, until.isTrue(current: current, previous: previous) {
                state.active = false
                record("released", intervention.name, at: time)
                return restore(&state)
            }
        }
        return []
    }

    private mutating func record(_ action: String, _ intervention: String, at time: Double) {
        events.append(InterventionEvent(member: member, year: time, intervention: intervention, action: action))
    }

    private mutating func applyAll(_ operations: [CompiledAssignment], saving state: inout InterventionState) -> Set<Int> {
        var changed = Set<Int>()
        for operation in operations {
            for slot in operation.target.indices where state.saved[slot] == nil { state.saved[slot] = parameters[slot] }
            changed.formUnion(apply(operation))
        }
        return changed
    }

    private mutating func restore(_ state: inout InterventionState) -> Set<Int> {
        for (slot, value) in state.saved { parameters[slot] = value }
        defer { state.saved = [:] }
        return Set(state.saved.keys)
    }

    private mutating func apply(_ assignment: CompiledAssignment) -> Set<Int> {
        for slot in assignment.target.indices {
            parameters[slot] = clamp(assignment.apply(to: parameters[slot], current: current, previous: previous), slot)
        }
        return Set(assignment.target.indices)
    }

    /// Keeps a value inside its parameter's allowed range (a draw from a normal can stray outside).
    private func clamp(_ value: Double, _ slot: Int) -> Double {
        let range = plan.parameters.descriptors[plan.parameters.owner[slot]].range
        return min(max(value, range.lowerBound), range.upperBound)
    }
}
