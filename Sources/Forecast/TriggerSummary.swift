import Foundation
public import Scenario

/// How often a `when:` trigger fired across an ensemble, and when.
public struct TriggerSummary: Sendable, Hashable {
    public let intervention: String
    /// Share of members in which it fired at least once.
    public let share: Double
    /// The year it first fired in the median member: the lower median of the members' first years, a member
    /// in which it never fired counting as later than any year; nil when it fired in fewer than half.
    public let medianFirstYear: Double?

    public init(intervention: String, share: Double, medianFirstYear: Double?) {
        self.intervention = intervention
        self.share = share
        self.medianFirstYear = medianFirstYear
    }

    /// The summary of `intervention` over every member's events.
    public init(intervention: String, events: [[InterventionEvent]]) {
        let firstYears = events.map { member in
            member.first { $0.intervention == intervention && $0.action == "triggered" }?.year ?? .infinity
        }
        let fired = firstYears.filter(\.isFinite).count
        let median = firstYears.sorted()[(firstYears.count - 1) / 2]
        self.init(
            intervention: intervention, share: Double(fired) / Double(max(1, events.count)),
            medianFirstYear: median.isFinite ? median : nil)
    }

    /// One line for the run's summary.
    public var summary: String {
        let percent = String(format: "%.0f %%", 100 * share)
        let when = medianFirstYear.map { "first in \(Int($0)) in the median member" } ?? "in fewer than half of the members"
        return "trigger \"\(intervention)\": fired in \(percent) of members; \(when)"
    }
}
