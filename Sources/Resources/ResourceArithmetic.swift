import CityTwinCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

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
