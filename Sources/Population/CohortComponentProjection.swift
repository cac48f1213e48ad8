public import LinearAlgebra

/// A cell whose net out-migration was larger than its population: the shortfall was not removed.
public struct ClampedMigration: Sendable, Hashable {
    public var zone: Int
    public var ageGroup: Int
    public var sex: Sex
    /// Persons who could not leave (> 0).
    public var persons: Double
}

/// The flows of one projection step, by zone (each a vector of Z values, persons).
public struct CohortFlows: Sendable, Hashable {
    public var births: [Double]
    public var deaths: [Double]
    /// External net migrants who joined during the step (as applied: clamped persons included).
    public var netMigration: [Double]
    /// Net internal (zone-to-zone) migration: arrivals minus departures; sums to zero over zones.
    public var internalMigration: [Double]
    /// Births by age group of the mother, all zones together (A values; empty when not computed).
    public var birthsByAgeOfMother: [Double] = []
    /// Deaths by cohort and sex, all zones together (2A values, females first), indexed like the UN's
    /// cohort-period deaths by the age group the cohort reaches at the end of the step: entry 0 holds
    /// the step's births who die before its end, entry x the deaths among those in group x−1 at its
    /// start, the open entry those among groups ω−n and ω+.
    public var deathsByAgeSex: [Double] = []
    /// Net out-migrants who could not leave because their cohort was empty, by zone (persons ≥ 0).
    public var clampedByZone: [Double]
    /// The clamped cells (empty in a step without clamping).
    public var clamped: [ClampedMigration] = []
    /// Life expectancy at birth of the survival ratios in force (female, male), years.
    public var lifeExpectancyFemale: Double = .nan
    public var lifeExpectancyMale: Double = .nan
    /// With life tables by zone: each zone's e₀ (Z values each; empty otherwise). The city values above
    /// are then the means of the zones' e₀ weighted by the zones' exposed population of that sex — an
    /// average, not the e₀ of a city life table.
    public var lifeExpectancyFemaleByZone: [Double] = []
    public var lifeExpectancyMaleByZone: [Double] = []
    /// Total fertility rate of the fertility in force: n · φ · Σ_x F_x, births per woman. With fertility
    /// by zone, the city's: Σ_x 2·B_x / (Q̄_f,x + R̄_f,x) (births over women exposed, all zones).
    public var totalFertility: Double = .nan

    init(zones: Int) {
        births = Array(repeating: 0, count: zones)
        deaths = births
        netMigration = births
        internalMigration = births
        clampedByZone = births
    }
}

/// One step of the multi-region cohort-component projection, done as BLAS matrix products, with the
/// conventions of the UN Population Division's CCMPP (`ccmppWPP::project_ccmpp_z_by_z`, the projection
/// behind the World Population Prospects).
///
/// With P the (2A × Z) population (females over males), M the step's net migrants (h·N for counts N
/// per year, h·N∘P for rates), α the share of them joining at the start (`MigrationTiming`: 1 start,
/// 0 end, ½ split), h the step in years and M_b the migration matrix of age band b:
///
///     Q  = max(P + α·M, 0)                               population exposed during the step
///     R  = S·Q                                           survival and ageing: one GEMM, S = diag(S_f, S_m)
///                                                        (cell by cell, O(A·Z), with life tables by zone)
///     R[b] ← R[b]·M_b                                    internal migration: one GEMM per age band and sex
///                                                        (one for both sexes when a band spans all ages)
///     split, start:  R ← R + (1 − α)·M                   the late half counts in the end population
///     B_z = (h/2)·φ·Σ_x F_x·(Q_f[x, z] + R_f[x, z])      births by zone: two GEMVs (F[x, z] elementwise
///                                                        when fertility is given by zone)
///     R_f[0, z] += B_z·S_birth,f/(1 + srb),  R_m[0, z] += B_z·srb·S_birth,m/(1 + srb)     infants
///     end:  R ← R + M                                    after births: end migrants bear no children
///                                                        in the step, nor die in it
///     R ← max(R, 0)                                      clamped persons recorded
///
/// Migration timing and births (the UN's "end" and "even" assumptions): with `start` the migrants are
/// exposed to the step's survival and fertility for the whole step; with `end` they arrive after it and
/// neither die nor bear children in it; with `split` half join at the start (exposed for the whole
/// step) and half at its end, and the end half counts in the end-of-step female population, so it is
/// exposed for half the step in the births formula — the UN's "even" convention, which reproduces
/// Preston, Heuveline & Guillot (2001) Box 6.1/6.2 exactly.
///
/// S holds the survival ratios on its subdiagonal (row x, column x−1); the open group's row holds
/// S_enter in column ω−n and S_stay in column ω (`SurvivalRatios`); row 0 is zero (it is filled by
/// births). Infants: the births of the step alive at its end are B·S_birth with S_birth = L₀/(n·l₀).
/// φ is the fertility scale. Migration follows survival within the step (movers are the survivors), a
/// simplification of Rogers' (1975) simultaneous multiregional life table (see `MultiregionalLifeTable`).
///
/// Negative cohorts: net out-migration larger than a cohort is never silently allowed. With rates it
/// cannot happen (rate ≥ −1/h, which the loader checks); with counts the cohort is set to zero (not the
/// UN's 0.0005) and the persons who could not leave are recorded per cell (`CohortFlows.clamped`) and
/// counted in the applied net migration, so the balance below stays exact.
///
/// Deaths are the exposed population less the survivors: D_z = Σ Q[:, z] − Σ (S·Q)[:, z] + B_z·(1 − S̄_birth).
/// So every step satisfies P(t+h) = P(t) + B − D + N + clamped exactly, zone by zone, up to internal
/// migration.
///
/// - Complexity: 2·(2A)²·Z flops for survival (dense, so the BLAS kernel runs at full speed),
///   2·2A·Z² for internal migration, O(A·Z) for the rest.
public struct CohortComponentProjection: Sendable {
    /// The parameters; levers changed here take effect from the next step.
    public var parameters: PopulationParameters
    /// The block survival-and-ageing operator S (2A × 2A) at the current mortality.
    public private(set) var survival: Matrix
    private var survivalNow: (female: SurvivalRatios, male: SurvivalRatios)
    /// The ratios in force by zone (improvement applied), when the model has life tables by zone.
    private var zoneSurvivalNow: (female: [SurvivalRatios], male: [SurvivalRatios])?
    private var builtFromZones: (female: [SurvivalRatios]?, male: [SurvivalRatios]?) = (nil, nil)
    /// The base ratios and (rate, years) that `survival` was built for.
    private var builtFrom: (female: SurvivalRatios, male: SurvivalRatios, rate: Double, years: Double)
    private var improvementYears = 0.0
    private var exposed: Matrix
    private var next: Matrix
    private var migrants: Matrix
    private let ones: [Double]

    public init(_ parameters: PopulationParameters) {
        self.parameters = parameters
        let a = parameters.ages.count
        survivalNow = (parameters.survivalFemale, parameters.survivalMale)
        builtFrom = (parameters.survivalFemale, parameters.survivalMale, 0, 0)
        survival = CohortComponentProjection.survivalOperator(survivalNow.female, survivalNow.male, ageGroups: a)
        exposed = Matrix(rows: 2 * a, columns: parameters.zoneCount)
        next = exposed
        migrants = exposed
        ones = Array(repeating: 1, count: 2 * a)
    }

    /// Sets mortality to its level `years` after the base year (mortality improvement lever).
    public mutating func setMortality(yearsSinceBase years: Double) {
        improvementYears = years
        refreshSurvival()
    }

    /// Puts the schedules of the period starting at (decimal) year `t` in force: fertility, life
    /// tables, net migration and the sex ratio at birth that `parameters.schedules` gives.
    public mutating func setYear(_ t: Double) {
        let s = parameters.schedules
        guard !s.isEmpty else { return }
        let mode = s.interpolation
        if let f = s.fertility {
            let values = f.value(at: t, mode)
            if values.count == parameters.ages.count {
                parameters.fertility = values
            } else {
                parameters.fertilityByZone?.storage = values
            }
        }
        if let r = s.sexRatioAtBirth { parameters.sexRatioAtBirth = r.value(at: t, mode)[0] }
        if let n = s.netMigration { parameters.netMigration.storage = n.value(at: t, mode) }
        let (a, n, z) = (parameters.ages.count, parameters.ages.interval, parameters.zoneCount)
        func ratios(_ values: [Double]) -> SurvivalRatios { SurvivalRatios(personYears: values, radix: s.radix, interval: n, groups: a) }
        func byZone(_ values: [Double]) -> [SurvivalRatios] {
            let k = values.count / z
            return (0..<z).map { ratios(Array(values[($0 * k)..<(($0 + 1) * k)])) }
        }
        if let table = s.lifeTableFemale {
            let values = table.value(at: t, mode)
            if s.lifeTablesByZone { parameters.survivalFemaleByZone = byZone(values) } else { parameters.survivalFemale = ratios(values) }
        }
        if let table = s.lifeTableMale {
            let values = table.value(at: t, mode)
            if s.lifeTablesByZone { parameters.survivalMaleByZone = byZone(values) } else { parameters.survivalMale = ratios(values) }
        }
    }

    /// Rebuilds S when the base ratios, the improvement rate or the years since the base changed.
    private mutating func refreshSurvival() {
        let rate = parameters.mortalityImprovement
        let years = rate == 0 ? 0 : improvementYears
        let (f, m) = (parameters.survivalFemale, parameters.survivalMale)
        let (zf, zm) = (parameters.survivalFemaleByZone, parameters.survivalMaleByZone)
        guard
            builtFrom.rate != rate || builtFrom.years != years || builtFrom.female != f || builtFrom.male != m
                || builtFromZones.female != zf || builtFromZones.male != zm
        else { return }
        builtFrom = (f, m, rate, years)
        builtFromZones = (zf, zm)
        if let zf, let zm {
            zoneSurvivalNow = (
                zf.map { $0.improved(annualRate: rate, years: years) }, zm.map { $0.improved(annualRate: rate, years: years) }
            )
        } else {
            zoneSurvivalNow = nil
        }
        survivalNow = (f.improved(annualRate: rate, years: years), m.improved(annualRate: rate, years: years))
        survival = CohortComponentProjection.survivalOperator(survivalNow.female, survivalNow.male, ageGroups: parameters.ages.count)
    }

    /// Advances `population` (2A × Z) by one step of `parameters.ages.interval` years, in place.
    public mutating func step(_ population: inout Matrix) -> CohortFlows {
        refreshSurvival()
        let p = parameters
        let a = p.ages.count
        let z = p.zoneCount
        let h = Double(p.ages.interval)
        precondition(population.rows == 2 * a && population.columns == z, "population must be 2A × Z")
        let alpha = p.netMigrationTiming.startShare
        var flows = CohortFlows(zones: z)
        var clampedCells: [(index: Int, persons: Double)] = []

        // M = h·N (counts) or h·N∘P (rates); Q = max(P + α·M, 0).
        var anyOutflow = false
        migrants.storage.withUnsafeMutableBufferPointer { m in
            exposed.storage.withUnsafeMutableBufferPointer { q in
                population.storage.withUnsafeBufferPointer { pop in
                    p.netMigration.storage.withUnsafeBufferPointer { n in
                        let w = p.netMigrationScale * h
                        let rates = p.netMigrationKind == .rates
                        for i in 0..<q.count {
                            let mi = rates ? w * n[i] * pop[i] : w * n[i]
                            m[i] = mi
                            let qi = pop[i] + alpha * mi
                            if mi < 0 { anyOutflow = true }
                            if qi < 0 {
                                clampedCells.append((i, -qi))
                                q[i] = 0
                            } else {
                                q[i] = qi
                            }
                        }
                    }
                }
            }
        }
        // R = S·Q, and deaths among the exposed: ΣQ − ΣR per zone.
        if let zoneSurvival = zoneSurvivalNow {
            // Life tables by zone: the same operator, zone by zone, cell by cell.
            for zone in 0..<z {
                for (offset, r) in [(0, zoneSurvival.female[zone]), (a, zoneSurvival.male[zone])] {
                    next[offset, zone] = 0
                    for x in 1..<a { next[offset + x, zone] = r.ratios[x] * exposed[offset + x - 1, zone] }
                    next[offset + a - 1, zone] += r.openStay * exposed[offset + a - 1, zone]
                }
            }
        } else {
            Matrix.multiplyRowBlocks(survival, exposed, into: &next)
        }
        exposed.multiplyRowBlockTransposed(by: ones, into: &flows.deaths)
        next.multiplyRowBlockTransposed(by: ones, into: &flows.deaths, alpha: -1, beta: 1)
        let exposedRows = exposed.rowSums

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

        // Late migrants: with `split` (and trivially `start`) before births, as the UN's "even".
        if p.netMigrationTiming != .end, alpha < 1 { next.add(migrants, scaledBy: 1 - alpha) }

        // Births from the mean of start (exposed) and end female populations.
        let endRows = next.rowSums
        if let byZone = p.fertilityByZone {
            // Rates by zone: B_z = (h/2)·φ·Σ_x F[x, z]·(Q_f[x, z] + R_f[x, z]), elementwise, O(A·Z).
            let w = p.fertilityScale * h / 2
            flows.birthsByAgeOfMother = Array(repeating: 0, count: a)
            for zone in 0..<z {
                var total = 0.0
                for x in 0..<a where byZone[x, zone] != 0 {
                    let b = w * byZone[x, zone] * (exposed[x, zone] + next[x, zone])
                    total += b
                    flows.birthsByAgeOfMother[x] += b
                }
                flows.births[zone] = total
            }
            // The city's TFR: h·Σ_x B_x / (h·(Q̄_x + R̄_x)/2), its age-specific rates over the women exposed.
            flows.totalFertility = (0..<a).reduce(0) { sum, x in
                let women = exposedRows[x] + endRows[x]
                return women > 0 ? sum + 2 * flows.birthsByAgeOfMother[x] / women : sum
            }
        } else {
            let rates = p.fertility.map { $0 * p.fertilityScale * h / 2 }
            let females = Sex.female.rows(ageGroups: a)
            exposed.multiplyRowBlockTransposed(rows: females, by: rates, into: &flows.births)
            next.multiplyRowBlockTransposed(rows: females, by: rates, into: &flows.births, beta: 1)
            flows.birthsByAgeOfMother = (0..<a).map { rates[$0] * (exposedRows[$0] + endRows[$0]) }
            flows.totalFertility = h * p.fertilityScale * p.fertility.reduce(0, +)
        }

        let srb = p.sexRatioAtBirth
        let femaleShare = 1 / (1 + srb)
        let maleShare = srb / (1 + srb)
        let maleRow0 = Sex.male.rowOffset(ageGroups: a)
        for j in 0..<z {
            let (sf, sm) =
                zoneSurvivalNow.map { ($0.female[j].birth, $0.male[j].birth) } ?? (survivalNow.female.birth, survivalNow.male.birth)
            let b = flows.births[j]
            next[0, j] += b * femaleShare * sf
            next[maleRow0, j] += b * maleShare * sm
            flows.deaths[j] += b * (femaleShare * (1 - sf) + maleShare * (1 - sm))
        }

        // End migrants arrive after the step's births and deaths.
        if p.netMigrationTiming == .end { next.add(migrants, scaledBy: 1) }
        if anyOutflow {
            next.storage.withUnsafeMutableBufferPointer { r in
                for i in 0..<r.count where r[i] < 0 {
                    clampedCells.append((i, -r[i]))
                    r[i] = 0
                }
            }
        }

        // Applied net migration: M, plus the persons who could not leave.
        migrants.multiplyRowBlockTransposed(by: ones, into: &flows.netMigration)
        for (index, persons) in clampedCells {
            let (zone, row) = (index / (2 * a), index % (2 * a))
            flows.clampedByZone[zone] += persons
            flows.netMigration[zone] += persons
            flows.clamped.append(ClampedMigration(zone: zone, ageGroup: row % a, sex: row < a ? .female : .male, persons: persons))
        }

        // Deaths by cohort and sex (city), from the exposed row sums and the ratios in force.
        flows.deathsByAgeSex = Array(repeating: 0, count: 2 * a)
        if let zoneSurvival = zoneSurvivalNow {
            var weights = [[Double]](repeating: Array(repeating: 0, count: z), count: 2)
            for zone in 0..<z {
                for (k, offset, ratios, share) in [
                    (0, 0, zoneSurvival.female[zone], femaleShare), (1, a, zoneSurvival.male[zone], maleShare),
                ] {
                    flows.deathsByAgeSex[offset] += flows.births[zone] * share * (1 - ratios.birth)
                    for x in 1..<a { flows.deathsByAgeSex[offset + x] += exposed[offset + x - 1, zone] * (1 - ratios.ratios[x]) }
                    flows.deathsByAgeSex[offset + a - 1] += exposed[offset + a - 1, zone] * (1 - ratios.openStay)
                    for x in 0..<a { weights[k][zone] += exposed[offset + x, zone] }
                }
            }
            flows.lifeExpectancyFemaleByZone = zoneSurvival.female.map { $0.lifeExpectancy(interval: p.ages.interval) }
            flows.lifeExpectancyMaleByZone = zoneSurvival.male.map { $0.lifeExpectancy(interval: p.ages.interval) }
            func mean(_ e: [Double], _ w: [Double]) -> Double {
                let total = w.reduce(0, +)
                return total > 0 ? zip(e, w).reduce(0) { $0 + $1.0 * $1.1 } / total : e.reduce(0, +) / Double(e.count)
            }
            flows.lifeExpectancyFemale = mean(flows.lifeExpectancyFemaleByZone, weights[0])
            flows.lifeExpectancyMale = mean(flows.lifeExpectancyMaleByZone, weights[1])
        } else {
            let totalBirths = flows.births.reduce(0, +)
            for (offset, ratios, share) in [(0, survivalNow.female, femaleShare), (a, survivalNow.male, maleShare)] {
                flows.deathsByAgeSex[offset] = totalBirths * share * (1 - ratios.birth)
                for x in 1..<a { flows.deathsByAgeSex[offset + x] = exposedRows[offset + x - 1] * (1 - ratios.ratios[x]) }
                flows.deathsByAgeSex[offset + a - 1] += exposedRows[offset + a - 1] * (1 - ratios.openStay)
            }
            flows.lifeExpectancyFemale = survivalNow.female.lifeExpectancy(interval: p.ages.interval)
            flows.lifeExpectancyMale = survivalNow.male.lifeExpectancy(interval: p.ages.interval)
        }
        swap(&population, &next)
        return flows
    }

    /// The block operator diag(S_f, S_m), each A × A with survival ratios below the diagonal and the
    /// open group's S_enter (column ω−n) and S_stay (column ω) in its last row.
    static func survivalOperator(_ female: SurvivalRatios, _ male: SurvivalRatios, ageGroups a: Int) -> Matrix {
        var s = Matrix(rows: 2 * a, columns: 2 * a)
        for (offset, ratios) in [(0, female), (a, male)] {
            for x in 1..<a { s[offset + x, offset + x - 1] = ratios.ratios[x] }
            s[offset + a - 1, offset + a - 1] = ratios.openStay
        }
        return s
    }
}
