import Scenario

/// The member-level values of a few indicator slots, instant by instant: what a comparison needs to
/// pair members across runs (common random numbers) and what verification needs to score an ensemble.
///
/// Stored as one `[Double]` of length `members` per (slot, year) — for the sample city's key
/// indicators (~20 slots) over 25 years and 1000 members, about 4 MB. Years are labels (``YearLabel``):
/// a flow by the year it happened in, a stock by its instant.
public struct MemberValues: Sendable {
    /// Catalog slots, in capture order.
    public let slots: [Int]
    public let members: Int
    /// `years[s]`: the labelled years of `slots[s]`, ascending.
    public private(set) var years: [[Double]]
    /// `values[s][t]`: the members' values of `slots[s]` in `years[s][t]`.
    public private(set) var values: [[[Double]]]

    public init(slots: [Int], members: Int) {
        self.slots = slots
        self.members = members
        years = Array(repeating: [], count: slots.count)
        values = Array(repeating: [], count: slots.count)
    }

    /// Appends the values observed at `time`, reading each member's indicator vector; a value outside the
    /// horizon (a flow at the initial instant, a stock at the final one) is left out.
    mutating func take(_ vectors: [[Double]], time: Double, plan: ScenarioPlan) {
        for (index, slot) in slots.enumerated() {
            guard let year = plan.yearLabel(of: slot, observedAt: time) else { continue }
            years[index].append(year)
            values[index].append(vectors.map { $0[slot] })
        }
    }
}
