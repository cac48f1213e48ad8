/// The age groups of a cohort-component projection: equal intervals from 0 and an open last group.
///
/// Single years (interval 1, open age 100: 0, 1, …, 99, 100+) or five-year groups (interval 5,
/// open age 85: 0–4, …, 80–84, 85+). The projection step must equal the interval, so that each
/// tick moves every survivor exactly one group up.
public struct AgeGroups: Sendable, Hashable {
    /// Width of each closed group in years.
    public let interval: Int
    /// First age of the open group.
    public let openAge: Int

    public init(interval: Int, openAge: Int) {
        precondition(
            interval > 0 && openAge > 0 && openAge % interval == 0,
            "open age \(openAge) must be a positive multiple of the interval \(interval)")
        self.interval = interval
        self.openAge = openAge
    }

    /// Single-year ages 0…100+.
    public static let singleYear = AgeGroups(interval: 1, openAge: 100)

    /// Number of groups, the open one included.
    public var count: Int { openAge / interval + 1 }

    /// First age of group `index`.
    public func startAge(_ index: Int) -> Int { index * interval }

    /// The group holding an exact age.
    public func index(ofAge age: Int) -> Int { min(age / interval, count - 1) }

    /// A label: "0-4", "100+", or "37" for single years.
    public func label(_ index: Int) -> String {
        let start = startAge(index)
        if index == count - 1 { return "\(start)+" }
        return interval == 1 ? "\(start)" : "\(start)-\(start + interval - 1)"
    }
}
