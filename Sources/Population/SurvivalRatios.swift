/// Cohort survival ratios of one sex, derived from life-table person-years L_x.
///
/// With an age interval of n years, a projection step of n years and radix l₀ (Preston, Heuveline &
/// Guillot 2001, ch. 6):
///
///     S_birth = L₀ / (n · l₀)                  births in the step surviving to its end (age group 0)
///     S_x     = L_x / L_{x−n}                  group x−n at the start surviving into group x
///     S_open  = L_ω / (L_{ω−n} + L_ω)          groups ω−n and ω surviving into the open group ω
///
/// where L_ω of the open group is its total person-years T_ω.
public struct SurvivalRatios: Sendable, Hashable {
    /// Survival of the step's births to its end.
    public var birth: Double
    /// `ratios[x]` for x ≥ 1 is the survival from group x−1 into group x; the last entry is the open
    /// group's ratio, applied to both of its feeding groups. `ratios[0]` is unused (zero).
    public var ratios: [Double]

    public init(birth: Double, ratios: [Double]) {
        self.birth = birth
        self.ratios = ratios
    }

    /// Ratios from a life table's L_x column (one value per age group, the open group's last).
    public init(personYears lx: [Double], radix: Double, interval: Int) {
        precondition(lx.count >= 2, "a life table needs at least two age groups")
        let last = lx.count - 1
        var ratios = [Double](repeating: 0, count: lx.count)
        for x in 1..<last { ratios[x] = lx[x] / lx[x - 1] }
        ratios[last] = lx[last] / (lx[last - 1] + lx[last])
        self.init(birth: lx[0] / (Double(interval) * radix), ratios: ratios)
    }

    /// The ratios after `years` of mortality improvement at `annualRate`: each probability of dying,
    /// 1 − S, falls by the factor (1 − rate)^years. A negative rate (mortality rising) raises it, up to
    /// certain death: survival never goes below zero.
    public func improved(annualRate: Double, years: Double) -> SurvivalRatios {
        if annualRate == 0 || years == 0 { return self }
        let factor = pow(1 - annualRate, years)
        func survival(_ s: Double) -> Double { max(0, 1 - (1 - s) * factor) }
        return SurvivalRatios(
            birth: survival(birth),
            ratios: ratios.enumerated().map { $0.offset == 0 ? 0 : survival($0.element) })
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
