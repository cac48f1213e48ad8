public import LinearAlgebra

/// The flows of one projection step, by zone (each a vector of Z values, persons).
public struct CohortFlows: Sendable, Hashable {
    public var births: [Double]
    public var deaths: [Double]
    /// External net migrants who joined during the step.
    public var netMigration: [Double]
    /// Net internal (zone-to-zone) migration: arrivals minus departures; sums to zero over zones.
    public var internalMigration: [Double]
    /// Births by age group of the mother, all zones together (A values; empty when not computed).
    public var birthsByAgeOfMother: [Double] = []

    init(zones: Int) {
        births = Array(repeating: 0, count: zones)
        deaths = births
        netMigration = births
        internalMigration = births
    }
}

/// One step of the multi-region cohort-component projection, done as BLAS matrix products.
///
/// With P the (2A × Z) population (females over males), N the net migrants of the step, α the share of
/// them joining at the start (`MigrationTiming`), h the step in years and M_b the migration matrix of
/// age band b:
///
///     Q  = P + α·N                                       population exposed during the step
///     R  = S·Q                                           survival and ageing: one GEMM, S = diag(S_f, S_m)
///     R[b] ← R[b]·M_b                                    internal migration: one GEMM per age band and sex
///                                                        (one for both sexes when a band spans all ages)
///     R ← R + (1 − α)·N                                  late-arriving migrants
///     B_z = (h/2)·φ·Σ_x F_x·(Q_f[x, z] + R_f[x, z])      births by zone: two GEMVs
///     R_f[0, z] += B_z·S_birth,f/(1 + srb),  R_m[0, z] += B_z·srb·S_birth,m/(1 + srb)
///
/// S holds the survival ratios on its subdiagonal (row x, column x−1) and the open group's ratio in
/// both of its last row's last two columns; row 0 is zero (it is filled by births). φ is the fertility
/// scale. Births use the mean of the start and end female populations, so women who arrive or die
/// during the step bear children for half of it. This reproduces Preston, Heuveline & Guillot (2001)
/// Box 6.1/6.2 exactly. Migration follows survival within the step (movers are the survivors), a
/// simplification of Rogers' (1975) simultaneous multiregional life table (see `MultiregionalLifeTable`).
///
/// Deaths are the exposed population less the survivors: D_z = Σ Q[:, z] − Σ (S·Q)[:, z] + B_z·(1 − S̄_birth).
/// So every step satisfies P(t+h) = P(t) + B − D + N exactly, zone by zone, up to internal migration.
///
/// - Complexity: 2·(2A)²·Z flops for survival (dense, so the BLAS kernel runs at full speed),
///   2·2A·Z² for internal migration, O(A·Z) for the rest.
public struct CohortComponentProjection: Sendable {
    /// The parameters; levers changed here take effect from the next step.
    public var parameters: PopulationParameters
    /// The block survival-and-ageing operator S (2A × 2A) at the current mortality.
    public private(set) var survival: Matrix
    private var survivalNow: (female: SurvivalRatios, male: SurvivalRatios)
    /// The (rate, years) that `survival` was built for.
    private var mortalityKey = (rate: 0.0, years: 0.0)
    private var exposed: Matrix
    private var next: Matrix
    private let ones: [Double]

    public init(_ parameters: PopulationParameters) {
        self.parameters = parameters
        let a = parameters.ages.count
        survivalNow = (parameters.survivalFemale, parameters.survivalMale)
        survival = CohortComponentProjection.survivalOperator(survivalNow.female, survivalNow.male, ageGroups: a)
        exposed = Matrix(rows: 2 * a, columns: parameters.zoneCount)
        next = exposed
        ones = Array(repeating: 1, count: 2 * a)
    }

    /// Sets mortality to its level `years` after the base year (mortality improvement lever).
    public mutating func setMortality(yearsSinceBase years: Double) {
        let rate = parameters.mortalityImprovement
        let effectiveYears = rate == 0 ? 0 : years
        guard (rate, effectiveYears) != mortalityKey else { return }
        mortalityKey = (rate, effectiveYears)
        survivalNow = (parameters.survivalFemale.improved(annualRate: rate, years: effectiveYears),
                       parameters.survivalMale.improved(annualRate: rate, years: effectiveYears))
        survival = CohortComponentProjection.survivalOperator(
            survivalNow.female, survivalNow.male, ageGroups: parameters.ages.count)
    }

    /// Advances `population` (2A × Z) by one step of `parameters.ages.interval` years, in place.
    public mutating func step(_ population: inout Matrix) -> CohortFlows {
        let p = parameters
        let a = p.ages.count
        let z = p.zoneCount
        let h = Double(p.ages.interval)
        precondition(population.rows == 2 * a && population.columns == z, "population must be 2A × Z")
        let alpha = p.netMigrationTiming.startShare
        let migrantScale = p.netMigrationScale * h
        var flows = CohortFlows(zones: z)

        // Q = P + α·N
        exposed.storage.withUnsafeMutableBufferPointer { q in
            population.storage.withUnsafeBufferPointer { pop in
                p.netMigration.storage.withUnsafeBufferPointer { n in
                    let w = alpha * migrantScale
                    for i in 0..<q.count { q[i] = pop[i] + w * n[i] }
                }
            }
        }
        // R = S·Q, and deaths among the exposed: ΣQ − ΣR per zone.
        Matrix.multiplyRowBlocks(survival, exposed, into: &next)
        exposed.multiplyRowBlockTransposed(by: ones, into: &flows.deaths)
        next.multiplyRowBlockTransposed(by: ones, into: &flows.deaths, alpha: -1, beta: 1)

        // Internal migration, one GEMM per age band (and sex), into `population` as scratch. Every row of
        // the scratch is written below (by a GEMM with β = 0, or copied), so it needs no clearing first.
        if !p.migration.isEmpty {
            next.multiplyRowBlockTransposed(by: ones, into: &flows.internalMigration, alpha: -1)
            var migrated = Array(repeating: false, count: a)
            for band in p.migration {
                let r = band.ageGroups
                if r == 0..<a {
                    // A band over every age: both sexes are one block of 2A consecutive rows, so one GEMM.
                    // Two per-sex GEMMs would each pack the whole Z × Z matrix, which at large Z costs more
                    // than the O(A·Z) rest of the step (the same products, row for row).
                    Matrix.multiplyRowBlocks(next, band.matrix, into: &population)
                } else {
                    for sex in Sex.allCases {
                        let offset = sex.rowOffset(ageGroups: a)
                        let rows = (offset + r.lowerBound)..<(offset + r.upperBound)
                        Matrix.multiplyRowBlocks(next, rowsOfA: rows, band.matrix, into: &population, rowsOfC: rows)
                    }
                }
                for x in r { migrated[x] = true }
            }
            // Ages in no band stay where they are.
            for x in 0..<a where !migrated[x] {
                for sex in Sex.allCases {
                    let row = sex.rowOffset(ageGroups: a) + x
                    for j in 0..<z { population[row, j] = next[row, j] }
                }
            }
            swap(&population, &next)
            next.multiplyRowBlockTransposed(by: ones, into: &flows.internalMigration, beta: 1)
        }

        // R += (1 − α)·N, and the step's external net migrants per zone.
        next.add(p.netMigration, scaledBy: (1 - alpha) * migrantScale)
        p.netMigration.multiplyRowBlockTransposed(by: ones, into: &flows.netMigration, alpha: migrantScale)

        // Births from the mean of start (exposed) and end female populations.
        let rates = p.fertility.map { $0 * p.fertilityScale * h / 2 }
        let females = Sex.female.rows(ageGroups: a)
        exposed.multiplyRowBlockTransposed(rows: females, by: rates, into: &flows.births)
        next.multiplyRowBlockTransposed(rows: females, by: rates, into: &flows.births, beta: 1)
        let (exposedByAge, endByAge) = (exposed.rowSums, next.rowSums)
        flows.birthsByAgeOfMother = (0..<a).map { rates[$0] * (exposedByAge[$0] + endByAge[$0]) }

        let srb = p.sexRatioAtBirth
        let femaleShare = 1 / (1 + srb)
        let maleShare = srb / (1 + srb)
        let (sf, sm) = (survivalNow.female.birth, survivalNow.male.birth)
        let maleRow0 = Sex.male.rowOffset(ageGroups: a)
        for j in 0..<z {
            let b = flows.births[j]
            next[0, j] += b * femaleShare * sf
            next[maleRow0, j] += b * maleShare * sm
            flows.deaths[j] += b * (femaleShare * (1 - sf) + maleShare * (1 - sm))
        }
        swap(&population, &next)
        return flows
    }

    /// The block operator diag(S_f, S_m), each A × A with survival ratios below the diagonal.
    static func survivalOperator(_ female: SurvivalRatios, _ male: SurvivalRatios, ageGroups a: Int) -> Matrix {
        var s = Matrix(rows: 2 * a, columns: 2 * a)
        for (offset, ratios) in [(0, female.ratios), (a, male.ratios)] {
            for x in 1..<a { s[offset + x, offset + x - 1] = ratios[x] }
            s[offset + a - 1, offset + a - 1] = ratios[a - 1]
        }
        return s
    }
}
