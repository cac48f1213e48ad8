/// The Rogers–Castro model migration schedule (seven parameters: childhood, labour-force peak, constant).
///
///     m(x) = a₁·e^(−α₁·x) + a₂·e^(−α₂·(x − μ₂) − e^(−λ₂·(x − μ₂))) + c
///
/// Used to spread a total of net migrants over ages: the share of age group [x, x+n) is the mean of m
/// at its single ages x, …, x+n−1 (the open group: m at its first age), divided by the sum over groups.
/// Rogers A & Castro LJ (1981), *Model Migration Schedules*, IIASA RR-81-30.
/// - Complexity: O(openAge).
public struct RogersCastro: Sendable, Hashable {
    public var a1: Double, alpha1: Double
    public var a2: Double, alpha2: Double, mu2: Double, lambda2: Double
    public var c: Double

    public init(a1: Double, alpha1: Double, a2: Double, alpha2: Double, mu2: Double, lambda2: Double, c: Double) {
        (self.a1, self.alpha1, self.a2, self.alpha2, self.mu2, self.lambda2, self.c) = (a1, alpha1, a2, alpha2, mu2, lambda2, c)
    }

    /// The schedule at exact age x.
    public func rate(atAge x: Double) -> Double {
        a1 * exp(-alpha1 * x) + a2 * exp(-alpha2 * (x - mu2) - exp(-lambda2 * (x - mu2))) + c
    }

    /// Shares of migrants by age group, summing to 1.
    public func shares(_ ages: AgeGroups) -> [Double] {
        let raw = (0..<ages.count).map { g -> Double in
            let start = ages.startAge(g)
            if g == ages.count - 1 { return rate(atAge: Double(start)) }
            return (start..<(start + ages.interval)).reduce(0) { $0 + rate(atAge: Double($1)) } / Double(ages.interval)
        }
        let total = raw.reduce(0, +)
        return raw.map { $0 / total }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
