/// Cohort survival ratios of one sex, derived from life-table person-years L_x.
///
/// With an age interval of n years, a projection step of n years and radix l₀ (Preston, Heuveline &
/// Guillot 2001, ch. 6; the UN Population Division's CCMPP, `ccmppWPP::project_ccmpp_z_by_z`):
///
///     S_birth = L₀ / (n · l₀)                  infants: the step's births alive at its end (in group 0)
///     S_x     = L_x / L_{x−n}                  group x−n at the start surviving into group x
///
/// The open group ω+ is fed by two cohorts, each with its own ratio, both from the life table's T_x:
///
///     S_enter = (T_ω − T_{ω+n}) / L_{ω−n}      the last closed group ω−n entering ω+
///     S_stay  = T_{ω+n} / T_ω                  those already in ω+ surviving another n years
///
/// This needs a life table that goes beyond the projection's open age (T_{ω+n} known). When the life
/// table closes at ω itself (only T_ω is known), both cohorts get the one ratio the UN's CCMPP and
/// Preston et al. use:
///
///     S_enter = S_stay = T_ω / T_{ω−n} = T_ω / (L_{ω−n} + T_ω)
///
/// - Complexity: O(A).
public struct SurvivalRatios: Sendable, Hashable {
    /// Survival of the step's births to its end.
    public var birth: Double
    /// `ratios[x]` for x ≥ 1 is the survival from group x−1 into group x; the last entry is S_enter of
    /// the open group. `ratios[0]` is unused (zero).
    public var ratios: [Double]
    /// S_stay: survival of those already in the open group.
    public var openStay: Double

    /// Ratios with one open-group ratio for both feeding cohorts (`openStay` = the last ratio).
    public init(birth: Double, ratios: [Double]) {
        self.init(birth: birth, ratios: ratios, openStay: ratios.last ?? 0)
    }

    public init(birth: Double, ratios: [Double], openStay: Double) {
        self.birth = birth
        self.ratios = ratios
        self.openStay = openStay
    }

    /// Ratios from a life table's L_x column (one value per age group, the open group's T_ω last).
    ///
    /// - Parameters:
    ///   - lx: n-year person-years L_x from age 0; its last value is the life table's open interval T.
    ///     It may have more entries than `groups` (a life table that goes beyond the projection's open
    ///     age): then the open group gets separate entering and staying ratios.
    ///   - groups: the projection's age groups A (default: `lx.count`, a table closing at the open age).
    public init(personYears lx: [Double], radix: Double, interval: Int, groups: Int? = nil) {
        let a = groups ?? lx.count
        precondition(a >= 2 && lx.count >= a, "a life table needs at least two age groups, and one per projection group")
        let last = a - 1
        var ratios = [Double](repeating: 0, count: a)
        for x in 1..<last { ratios[x] = lx[x] / lx[x - 1] }
        let openT = lx[last...].reduce(0, +)  // T_ω
        if lx.count == a {
            ratios[last] = openT / (lx[last - 1] + openT)
            self.init(birth: lx[0] / (Double(interval) * radix), ratios: ratios)
        } else {
            let beyond = openT - lx[last]  // T_{ω+n}
            ratios[last] = lx[last] / lx[last - 1]
            self.init(birth: lx[0] / (Double(interval) * radix), ratios: ratios, openStay: beyond / openT)
        }
    }

    /// Life expectancy at birth implied by the ratios, years:
    ///
    ///     L₀ = n · S_birth,  L_x = L_{x−n} · S_x (closed groups),  T_ω = S_enter · L_{ω−n} / (1 − S_stay)
    ///     e₀ = (Σ_{x<ω} L_x + T_ω) per unit radix
    ///
    /// which returns the e₀ of the life table the ratios came from (both open-group conventions), and
    /// stays exact under `improved`. Infinite when S_stay = 1.
    public func lifeExpectancy(interval: Int) -> Double {
        let last = ratios.count - 1
        var l = Double(interval) * birth
        var total = l
        for x in 1..<last {
            l *= ratios[x]
            total += l
        }
        return total + ratios[last] * l / (1 - openStay)
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
            ratios: ratios.enumerated().map { $0.offset == 0 ? 0 : survival($0.element) },
            openStay: survival(openStay))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
