/// One thing an intervention did in one member: `applied`, `ended`, `ramp started`, `ramp complete`,
/// `triggered` or `released`.
public struct InterventionEvent: Sendable, Hashable {
    public let member: Int
    /// The year from which the change acts: interventions act at the tick boundary on 1 January, so this
    /// is also the first year row of every flow it affects (``YearLabel``).
    public let year: Double
    public let intervention: String
    public let action: String

    public init(member: Int, year: Double, intervention: String, action: String) {
        self.member = member
        self.year = year
        self.intervention = intervention
        self.action = action
    }
}
