/// The length of one base tick of the simulation clock.
///
/// A year is the base tick of the sample city; months exist so that faster modules (a water balance)
/// can run inside a yearly tick, and so that later models can run on finer base ticks.
public enum TickLength: Sendable, Hashable, CustomStringConvertible {
    case years(Int)
    case months(Int)

    /// The tick's length in years (a month is 1/12 year).
    public var inYears: Double {
        switch self {
        case .years(let n): Double(n)
        case .months(let n): Double(n) / 12
        }
    }

    public var description: String {
        switch self {
        case .years(let n): n == 1 ? "1 year" : "\(n) years"
        case .months(let n): n == 1 ? "1 month" : "\(n) months"
        }
    }
}

/// The simulation clock: a start year, a tick length and an end year.
///
/// Tick k (k = 0, 1, …, `tickCount` − 1) advances the city from time `start + k·Δ` to `start + (k+1)·Δ`.
/// State is observed at the `tickCount + 1` instants `time(after: 0) … time(after: tickCount)`.
public struct Clock: Sendable, Hashable {
    /// First year of the run (the base year of the initial state).
    public let startYear: Int
    /// Last year of the run.
    public let endYear: Int
    /// Length of one base tick.
    public let tick: TickLength

    /// - Precondition: `endYear > startYear` and the horizon is a whole number of ticks (validated
    ///   with a user-facing message by the scenario loader before we get here).
    public init(startYear: Int, endYear: Int, tick: TickLength = .years(1)) {
        precondition(endYear > startYear, "the clock must run forwards")
        self.startYear = startYear
        self.endYear = endYear
        self.tick = tick
        precondition(
            Clock.isWholeNumberOfTicks(startYear: startYear, endYear: endYear, tick: tick),
            "horizon \(startYear)–\(endYear) is not a whole number of \(tick) ticks")
    }

    /// Whether `endYear − startYear` is a whole number of ticks.
    public static func isWholeNumberOfTicks(startYear: Int, endYear: Int, tick: TickLength) -> Bool {
        let months = (endYear - startYear) * 12
        switch tick {
        case .years(let n): return n > 0 && (endYear - startYear) % n == 0
        case .months(let n): return n > 0 && months % n == 0
        }
    }

    /// Number of ticks from start to end.
    public var tickCount: Int {
        switch tick {
        case .years(let n): (endYear - startYear) / n
        case .months(let n): (endYear - startYear) * 12 / n
        }
    }

    /// Decimal time (years) after `completedTicks` ticks.
    public func time(after completedTicks: Int) -> Double {
        Double(startYear) + Double(completedTicks) * tick.inYears
    }
}
