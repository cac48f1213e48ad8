public import CityTwinCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fields the resource modules read from other modules, and what each does without them.
///
/// - `population.by_zone` (1 × Z, persons): written by the population module; required.
/// - `economy.jobs_by_sector_zone` (S × Z, jobs) and `economy.output` (S × 1): written by the economy
///   module; optional — without an economy in the run, demand from jobs and sector output is zero.
/// - `traffic.vkt` (any shape, vehicle-km per year; its sum is the city's VKT): written by the traffic
///   module; optional — without traffic in the run, energy uses `vktPerCapita × population`.
///
/// Which optional fields a module reads is fixed when it is built (`ResourceModules.make(…, provided:)`),
/// so its declared reads are exactly what it reads and the schedule orders it after their writers.
public enum CouplingFields {
    public static let population: FieldKey = "population.by_zone"
    public static let jobsBySectorZone: FieldKey = "economy.jobs_by_sector_zone"
    public static let output: FieldKey = "economy.output"
    public static let jobsByZone: FieldKey = "economy.jobs_by_zone"
    public static let vkt: FieldKey = "traffic.vkt"
}

/// Days in a step of `years` years (Julian year of 365.25 days).
@inline(__always)
func days(inYears years: Double) -> Double { years * 365.25 }

/// Month index 0…11 of a substep that starts at decimal year `time`.
@inline(__always)
func monthIndex(of time: Double) -> Int {
    let fraction = time - time.rounded(.down)
    return min(11, max(0, Int((fraction * 12).rounded())) % 12)
}

/// A capacity change of a named source from a year on: the lever "new capacity from year Y".
public struct CapacityAddition: Sendable, Hashable {
    /// Index of the source in its table.
    public var source: Int
    /// First year the capacity is available.
    public var year: Int
    /// Added capacity in the source's unit (negative retires capacity).
    public var amount: Double

    public init(source: Int, year: Int, amount: Double) {
        self.source = source
        self.year = year
        self.amount = amount
    }
}

/// Capacities in `year`: the base ones plus every addition dated up to that year, floored at zero.
func capacities(_ base: [Double], _ additions: [CapacityAddition], year: Int) -> [Double] {
    var c = base
    for a in additions where a.year <= year { c[a.source] += a.amount }
    return c.map { max(0, $0) }
}

/// A draw from a lognormal distribution with the given mean and coefficient of variation:
/// σ² = ln(1 + cv²), μ = ln(mean) − σ²/2, X = exp(μ + σ·Z).
func drawLognormal(mean: Double, cv: Double, random: inout RandomStream) -> Double {
    guard cv > 0 else { return mean }
    let variance = log(1 + cv * cv)
    return exp(log(mean) - variance / 2 + variance.squareRoot() * random.standardNormal())
}
