public import LinearAlgebra

/// The multiregional life table and projection of Rogers (1975) and Willekens & Rogers (1978).
///
/// For R regions and five-year age groups x = 0, 5, …, ω (ω open), observed rates give the R × R
/// matrix M_x whose columns are regions of origin: the diagonal holds the death rate plus all
/// out-migration rates of that region, the off-diagonal (j, i) entry is −m_x(i→j). With n = 5:
///
///     P_x     = (I + n/2·M_x)⁻¹ (I − n/2·M_x)          transition probabilities (linear integration)
///     l_0     = 10⁵·I,  l_{x+n} = P_x·l_x                survivors by region of birth (columns)
///     L_x     = n/2·(l_x + l_{x+n})·l_0⁻¹                person-years, per person born
///     L_ω     = M_ω⁻¹·l_ω·l_0⁻¹                          open age group
///     S_x     = L_{x+n}·L_x⁻¹                            survivorship proportions
///     B_x     = n/4·(I + P_0)·(F_x + F_{x+n}·S_x)         births per person, F_x = diag(fertility)
///
/// The generalised Leslie matrix G (R·K × R·K for K age groups, age-major blocks) holds B_x in its
/// first block row and S_x on the block subdiagonal; the open group has no survival block, as in the
/// published projection. Projection is K(t+n) = G·K(t); the dominant eigenvalue of G is the stable
/// five-year growth factor.
///
/// Reference: Willekens, F. & Rogers, A. (1978) *Spatial Population Analysis: Methods and Computer
/// Programs*, IIASA RR-78-18, ch. 2–3; Rogers, A. (1975) *Introduction to Multiregional Mathematical
/// Demography*.
public struct MultiregionalLifeTable: Sendable {
    public let regions: Int
    public let ageGroups: Int
    public let interval: Double
    /// P_x for each closed age group.
    public let transition: [Matrix]
    /// l_x for every age group (columns = region of birth).
    public let survivors: [Matrix]
    /// L_x·l_0⁻¹-normalised person-years for every age group.
    public let personYears: [Matrix]
    /// S_x for x = 0 … ω−2n (so that S_x maps group x into group x+n).
    public let survivorship: [Matrix]
    /// B_x for every age group.
    public let births: [Matrix]

    /// Builds the table from observed rates.
    /// - Parameters:
    ///   - deathRates: `[age][region]`.
    ///   - migrationRates: `[age][origin][destination]` (diagonal ignored).
    ///   - fertilityRates: `[age][region]`, births per person per year.
    /// - Throws: `LinearAlgebraError.singular` if a rate matrix is singular.
    public init(
        deathRates: [[Double]], migrationRates: [[[Double]]], fertilityRates: [[Double]],
        interval: Double = 5, radix: Double = 100_000
    ) throws {
        let k = deathRates.count
        let r = deathRates[0].count
        precondition(migrationRates.count == k && fertilityRates.count == k, "one row of rates per age group")
        self.regions = r
        self.ageGroups = k
        self.interval = interval
        let identity = Matrix.identity(r)
        let half = interval / 2

        let rateMatrices: [Matrix] = (0..<k).map { x in
            var m = Matrix(rows: r, columns: r)
            for origin in 0..<r {
                var outflow = deathRates[x][origin]
                for destination in 0..<r where destination != origin {
                    let rate = migrationRates[x][origin][destination]
                    m[destination, origin] = -rate
                    outflow += rate
                }
                m[origin, origin] = outflow
            }
            return m
        }
        var transition: [Matrix] = []
        for x in 0..<(k - 1) {
            let lhs = identity + half * rateMatrices[x]
            transition.append(try lhs.solve(identity - half * rateMatrices[x]))
        }
        var survivors = [radix * identity]
        for x in 0..<(k - 1) { survivors.append(transition[x] * survivors[x]) }
        let l0Inverse = (1 / radix) * identity
        var personYears: [Matrix] = (0..<(k - 1)).map { x in half * (survivors[x] + survivors[x + 1]) * l0Inverse }
        personYears.append(try rateMatrices[k - 1].solve(survivors[k - 1]) * l0Inverse)
        var survivorship: [Matrix] = []
        for x in 0..<(k - 1) {
            // S_x = L_{x+n} · L_x⁻¹, i.e. solve S·L_x = L_{x+n} as L_xᵀ·Sᵀ = L_{x+n}ᵀ.
            survivorship.append(try personYears[x].transposed.solve(personYears[x + 1].transposed).transposed)
        }
        let birthFactor = (interval / 4) * (identity + transition[0])
        let fertility = fertilityRates.map { Matrix.diagonal($0) }
        var births: [Matrix] = []
        for x in 0..<k {
            var inner = fertility[x]
            if x + 1 < k { inner = inner + fertility[x + 1] * survivorship[x] }
            births.append(birthFactor * inner)
        }
        self.transition = transition
        self.survivors = survivors
        self.personYears = personYears
        self.survivorship = survivorship
        self.births = births
    }

    /// The generalised Leslie matrix G (R·K square, age-major: row/column index = age·R + region).
    public var leslieMatrix: Matrix {
        let n = regions * ageGroups
        var g = Matrix(rows: n, columns: n)
        for x in 0..<ageGroups {
            for i in 0..<regions {
                for j in 0..<regions { g[i, x * regions + j] = births[x][i, j] }
            }
        }
        for x in 0..<(ageGroups - 1) {
            for i in 0..<regions {
                for j in 0..<regions { g[(x + 1) * regions + i, x * regions + j] = survivorship[x][i, j] }
            }
        }
        return g
    }

    /// Projects an age-major population vector `steps` intervals ahead; returns every step, the
    /// initial one included.
    public func project(_ population: [Double], steps: Int) -> [[Double]] {
        let g = leslieMatrix
        var trajectory = [population]
        for _ in 0..<steps { trajectory.append(g.times(trajectory.last!)) }
        return trajectory
    }

    /// The dominant eigenvalue of G (the stable growth factor per interval), by power iteration.
    ///
    /// G is non-negative and, with positive fertility in two adjacent age groups, primitive, so the
    /// Perron root is simple and strictly dominant and the iteration converges geometrically.
    public func dominantGrowthFactor(tolerance: Double = 1e-13, maxIterations: Int = 100_000) -> Double {
        let g = leslieMatrix
        var v = [Double](repeating: 1, count: g.rows)
        var lambda = 0.0
        for _ in 0..<maxIterations {
            let w = g.times(v)
            let norm = w.reduce(0, +)
            let next = norm / v.reduce(0, +)
            v = w.map { $0 / norm }
            if abs(next - lambda) < tolerance * next { return next }
            lambda = next
        }
        return lambda
    }
}
