/// The member-level values of a few indicator slots, instant by instant: what a comparison needs to
/// pair members across runs (common random numbers) and what verification needs to score an ensemble.
///
/// Stored as one `[Double]` of length `members` per (slot, instant) — for the sample city's key
/// indicators (~20 slots) over 25 years and 1000 members, about 4 MB. NaN marks a value not recorded
/// (a flow at the initial instant).
public struct MemberValues: Sendable {
    /// Catalog slots, in capture order.
    public let slots: [Int]
    public let members: Int
    /// Instants (years), in order.
    public private(set) var times: [Double] = []
    /// `values[s][t]`: the members' values of `slots[s]` at `times[t]`.
    public private(set) var values: [[[Double]]]

    public init(slots: [Int], members: Int) {
        self.slots = slots
        self.members = members
        values = Array(repeating: [], count: slots.count)
    }

    /// Appends one instant, reading each member's indicator vector.
    mutating func take(_ vectors: [[Double]], time: Double) {
        guard !slots.isEmpty else { return }
        times.append(time)
        for (index, slot) in slots.enumerated() {
            values[index].append(vectors.map { $0[slot] })
        }
    }
}
