public import CityTwinCore

/// One ensemble member's end state, saved so that a later run continues it (``MemberRun/init(plan:resuming:keepsHistory:threads:)``):
/// the simulation (fields, instant, random-stream position, module memories), the member's parameter values by
/// catalog slot — its draws of the uncertain parameters, the settings, and every intervention or analysis in force —
/// its interventions' and triggers' states, and the indicators of the instant before the end (what conditions on
/// `previous` values read at the first boundary of the continuation).
public struct MemberState: Codable, Sendable {
    public let member: Int
    public let parameters: PackedDoubles
    public let previous: PackedDoubles
    let interventions: [MemberRun.InterventionState]
    public let simulation: SimulationSnapshot
}

extension MemberRun {
    /// The member's state now, to be saved at the end of a run.
    public func savedState() -> MemberState {
        MemberState(
            member: member, parameters: PackedDoubles(parameters), previous: PackedDoubles(previous), interventions: states,
            simulation: simulation.snapshot())
    }
}
