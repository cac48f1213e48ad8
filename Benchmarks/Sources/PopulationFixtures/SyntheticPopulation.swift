public import LinearAlgebra
public import Population

/// Seeded synthetic inputs for the population benchmarks, built the same way by
/// `reference/population.py` so that Swift and numpy project the same numbers.
///
/// Every array is drawn from its own counter-based SplitMix64 stream (`SyntheticUniforms`): element k of
/// stream s is `mix(s + (k + 1)·γ)`, so the recipe is a formula, not a generator's state, and numpy
/// reproduces it bit for bit with vectorised uint64 arithmetic. Matrices are filled in column-major
/// order (element (i, j) is draw i + j·rows).
///
/// The recipe, with u a uniform draw in [0, 1) and A = 101 single-year ages 0…100+:
///
///     survival ratio, ages 1…A−1      0.95 + 0.0499·u      (each sex its own stream; ratios[0] = 0)
///     survival of births               0.99 + 0.0099·u
///     fertility, ages 15…49            0.1·u                (0 elsewhere)
///     sex ratio at birth               1.05
///     initial population (2A × Z)      100 + 900·u          persons
///     net migration (2A × Z)           2·u − 1              persons per year
///     migration (Z × Z)                M = 0.9·I + 0.1·W,   W = u normalised so that each row sums to 1
///     one migration band over all ages; net migrants join half at the start (`split`)
///
/// So M is row-stochastic and dense, as a zone-to-zone matrix estimated from survey data would be.
public enum SyntheticPopulation {
    /// The seed every benchmark and the numpy reference use unless told otherwise.
    public static let defaultSeed: UInt64 = 2020

    /// Stream keys: each array draws from stream `seed &+ key` (the numpy reference uses the same keys).
    enum Stream: UInt64 {
        case survivalFemale = 1, survivalMale, birthSurvival, fertility, initial, netMigration, migration
    }

    /// The parameters of a Z-zone synthetic city with single-year ages.
    public static func parameters(zones z: Int, seed: UInt64 = defaultSeed) -> PopulationParameters {
        precondition(z > 0, "at least one zone")
        let ages = AgeGroups.singleYear
        let a = ages.count
        func draws(_ stream: Stream, _ count: Int) -> [Double] {
            SyntheticUniforms.draws(seed: seed &+ stream.rawValue, count: count)
        }
        func survival(_ stream: Stream, birth: Double) -> SurvivalRatios {
            let u = draws(stream, a)
            return SurvivalRatios(birth: birth, ratios: (0..<a).map { $0 == 0 ? 0 : 0.95 + 0.0499 * u[$0] })
        }
        let birth = draws(.birthSurvival, 2).map { 0.99 + 0.0099 * $0 }
        let fertilityDraws = draws(.fertility, a)
        let fertility = (0..<a).map { (15...49).contains($0) ? 0.1 * fertilityDraws[$0] : 0 }
        let initial = Matrix(rows: 2 * a, columns: z, columnMajor: draws(.initial, 2 * a * z).map { 100 + 900 * $0 })
        let net = Matrix(rows: 2 * a, columns: z, columnMajor: draws(.netMigration, 2 * a * z).map { 2 * $0 - 1 })
        return PopulationParameters(
            ages: ages, zoneCount: z, initial: initial,
            survivalFemale: survival(.survivalFemale, birth: birth[0]),
            survivalMale: survival(.survivalMale, birth: birth[1]),
            fertility: fertility, sexRatioAtBirth: 1.05,
            migration: [MigrationBand(ageGroups: 0..<a, matrix: migrationMatrix(zones: z, seed: seed))],
            netMigration: net, netMigrationTiming: .split)
    }

    /// The row-stochastic Z × Z migration matrix 0.9·I + 0.1·W of the recipe.
    static func migrationMatrix(zones z: Int, seed: UInt64) -> Matrix {
        var m = Matrix(rows: z, columns: z, columnMajor: SyntheticUniforms.draws(
            seed: seed &+ Stream.migration.rawValue, count: z * z))
        var rowSums = [Double](repeating: 0, count: z)
        for j in 0..<z {
            for i in 0..<z { rowSums[i] += m.storage[i + j * z] }
        }
        for j in 0..<z {
            for i in 0..<z { m.storage[i + j * z] = 0.1 * m.storage[i + j * z] / rowSums[i] + (i == j ? 0.9 : 0) }
        }
        return m
    }
}

/// Counter-based SplitMix64 uniforms (Steele, Lea & Flood 2014, the finaliser of `splitmix64.c`).
///
///     x_k = seed + (k + 1)·0x9E3779B97F4A7C15 (mod 2⁶⁴)
///     z = (x ⊕ (x ≫ 30))·0xBF58476D1CE4E5B9;  z = (z ⊕ (z ≫ 27))·0x94D049BB133111EB;  z ⊕ (z ≫ 31)
///     u_k = (z ≫ 11) · 2⁻⁵³ ∈ [0, 1)
///
/// Not for statistics that matter: for reproducible benchmark inputs that Python can rebuild exactly.
public enum SyntheticUniforms {
    public static func draws(seed: UInt64, count: Int) -> [Double] {
        (0..<count).map { k in
            var x = seed &+ (UInt64(k) &+ 1) &* 0x9E37_79B9_7F4A_7C15
            x = (x ^ (x >> 30)) &* 0xBF58_476D_1CE4_E5B9
            x = (x ^ (x >> 27)) &* 0x94D0_49BB_1331_11EB
            x ^= x >> 31
            return Double(x >> 11) * 0x1p-53
        }
    }
}

/// The tick's two matrix products alone, on the same shapes and data: R = S·Q, then R·M.
///
/// S is the tick's (2A × 2A) survival operator, Q the (2A × Z) population, M the (Z × Z) migration
/// matrix. The benchmarks time `run()` against `CohortComponentProjection.step` to measure what the
/// tick costs beyond its GEMMs.
public struct PopulationProducts {
    public let survival: Matrix
    public let population: Matrix
    public let migration: Matrix
    public var survived: Matrix
    public var migrated: Matrix

    public init(_ parameters: PopulationParameters) {
        survival = CohortComponentProjection(parameters).survival
        population = parameters.initial
        migration = parameters.migration[0].matrix
        survived = Matrix(rows: population.rows, columns: population.columns)
        migrated = survived
    }

    /// One survival GEMM, (2A × 2A)·(2A × Z), and one migration GEMM, (2A × Z)·(Z × Z).
    public mutating func run() {
        Matrix.multiplyRowBlocks(survival, population, into: &survived)
        migrated.multiply(survived, migration)
    }

    /// Flops of the two products: 2·(2A)²·Z + 2·2A·Z².
    public var flops: Double {
        let (m, z) = (Double(population.rows), Double(population.columns))
        return 2 * m * m * z + 2 * m * z * z
    }
}
