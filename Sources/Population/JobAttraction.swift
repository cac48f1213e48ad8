public import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Steers internal migration towards zones whose jobs grow: the destination choice of movers is
/// reweighted by each zone's job growth since the base year, keeping every zone's share of movers.
///
/// With M the base transition matrix (row i: where zone i's residents are one step later), J_j(t) the
/// jobs in zone j and γ ≥ 0 the attraction elasticity:
///
///     a_j      = (J_j(t) / J_j(t₀))^γ
///     M'_ij    = (1 − M_ii) · M_ij a_j / Σ_{k≠i} M_ik a_k      (j ≠ i)
///     M'_ii    = M_ii
///
/// Rows still sum to one, so migration still moves people without creating any; with γ = 0, or jobs
/// that grow evenly, M' = M. This is the destination-choice form of a gravity model with an
/// attraction term (Wilson 1971; Rogers 1975 on attractiveness in multiregional models).
public enum JobAttraction {
    /// The reweighted matrix. Zones with no base jobs keep their base weights.
    public static func reweighted(_ base: Matrix, jobs: [Double], baseJobs: [Double], elasticity: Double) -> Matrix {
        let z = base.rows
        precondition(jobs.count == z && baseJobs.count == z, "one job count per zone")
        if elasticity == 0 { return base }
        let attraction = (0..<z).map { j in
            baseJobs[j] > 0 && jobs[j] > 0 ? pow(jobs[j] / baseJobs[j], elasticity) : 1
        }
        var m = base
        for i in 0..<z {
            let stay = base[i, i]
            var weight = 0.0
            for k in 0..<z where k != i { weight += base[i, k] * attraction[k] }
            guard weight > 0 else { continue }
            let factor = (1 - stay) / weight
            for j in 0..<z where j != i { m[i, j] = base[i, j] * attraction[j] * factor }
        }
        return m
    }
}
