/// How a schedule given for some years is read between them.
public enum ScheduleInterpolation: String, Sendable, Hashable, CaseIterable {
    /// The schedule of the latest given year at or before t holds until the next given year.
    case hold
    /// Linear between the two given years around t; the last given year's schedule holds after it.
    case linear
}

/// One input (a vector) given for several years: each `year` is the start of the period it applies to.
///
/// The value at year t (with years y₀ < y₁ < … and values v₀, v₁, …):
///
///     hold:    v_k                                        y_k ≤ t < y_{k+1}
///     linear:  v_k + (t − y_k)/(y_{k+1} − y_k) · (v_{k+1} − v_k)
///     t ≥ last given year: its value (both)
///
/// Years before y₀ are not covered: the loader rejects a schedule whose first year is after the run's
/// base year and names the missing years.
/// - Complexity: `value(at:)` is O(log K + length).
public struct YearlySchedule: Sendable, Hashable {
    /// Ascending, distinct.
    public let years: [Int]
    public let values: [[Double]]

    public init(years: [Int], values: [[Double]]) {
        precondition(!years.isEmpty && years.count == values.count, "a schedule has one value per year")
        precondition(zip(years, years.dropFirst()).allSatisfy { $0 < $1 }, "schedule years must ascend")
        precondition(values.allSatisfy { $0.count == values[0].count }, "every year's schedule has the same length")
        self.years = years
        self.values = values
    }

    /// One value for every year.
    public init(constant value: [Double]) { self.init(years: [Int.min], values: [value]) }

    /// The index k of the latest given year at or before t (0 before the first).
    func segment(_ t: Double) -> Int {
        var (lo, hi) = (0, years.count - 1)
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if Double(years[mid]) <= t { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    public func value(at t: Double, _ interpolation: ScheduleInterpolation) -> [Double] {
        let k = segment(t)
        guard interpolation == .linear, k + 1 < years.count, Double(years[k]) <= t else { return values[k] }
        let w = (t - Double(years[k])) / Double(years[k + 1] - years[k])
        if w == 0 { return values[k] }
        return zip(values[k], values[k + 1]).map { $0 + w * ($1 - $0) }
    }

    /// The years from `first` up to (not including) the schedule's first year: those it does not cover.
    public func missingYears(from first: Int) -> ClosedRange<Int>? {
        years[0] > first ? first...(years[0] - 1) : nil
    }

    /// Whether the schedule changes over time.
    public var isTimeVarying: Bool { years.count > 1 }
}

/// The inputs of a projection that may change from year to year. A nil schedule leaves the fixed value
/// of `PopulationParameters` in force for the whole run.
public struct PopulationSchedules: Sendable, Hashable {
    /// Age-specific fertility rates: A values (city-wide) or A·Z (by zone, column-major like
    /// `PopulationParameters.fertilityByZone`).
    public var fertility: YearlySchedule?
    /// Life-table person-years by sex (K ≥ A values each, the last the open interval's T), radix
    /// `radix`; the survival ratios follow from them (`SurvivalRatios(personYears:…)`).
    public var lifeTableFemale: YearlySchedule?
    public var lifeTableMale: YearlySchedule?
    /// Whether the life-table schedules are by zone: K·Z values, zone after zone.
    public var lifeTablesByZone = false
    public var radix: Double = 100_000
    /// External net migration per year, counts or rates (2A·Z values, column-major like the matrix).
    public var netMigration: YearlySchedule?
    /// Male births per female birth (one value).
    public var sexRatioAtBirth: YearlySchedule?
    public var interpolation: ScheduleInterpolation = .hold

    public init() {}

    public var isEmpty: Bool {
        fertility == nil && lifeTableFemale == nil && lifeTableMale == nil && netMigration == nil && sexRatioAtBirth == nil
    }
}
