/// Variance-based global sensitivity: Sobol' first-order and total-effect indices estimated with
/// Saltelli's sampling scheme, with bootstrap confidence intervals.
///
/// For Y = f(X₁, …, X_d) with independent inputs (uniform on their box here), the first-order index
/// Sᵢ = Var(E[Y|Xᵢ])/Var(Y) is the share of variance due to Xᵢ alone and the total index
/// S_Tᵢ = E[Var(Y|X₋ᵢ)]/Var(Y) that due to Xᵢ with all its interactions (Sobol', Math. Modelling Comput.
/// Experiments 1, 1993; Homma & Saltelli, Reliab. Eng. Syst. Saf. 52, 1996).
///
/// Sampling (Saltelli et al., "Variance based sensitivity analysis of model output. Design and estimator
/// for the total sensitivity index", Comput. Phys. Commun. 181, 2010): two N × d matrices A and B (the
/// first and last d coordinates of 2d-dimensional points) and, for each i, A_B⁽ⁱ⁾ — A with column i taken
/// from B; N·(d + 2) model runs in all. Estimators, with V the variance of all f(A) and f(B) values:
///
///     Sᵢ  = (1/N) Σⱼ f(B)ⱼ·(f(A_B⁽ⁱ⁾)ⱼ − f(A)ⱼ) / V          (Saltelli et al. 2010, Table 2 (b))
///     S_Tᵢ = (1/2N) Σⱼ (f(A)ⱼ − f(A_B⁽ⁱ⁾)ⱼ)² / V             (Jansen, Comput. Phys. Commun. 117, 1999)
///
/// Confidence intervals are bootstrap percentile intervals over the N rows (Archer, Saltelli & Sobol',
/// J. Stat. Comput. Simul. 58, 1997). With the quasi-random design they are conservative: the bootstrap
/// treats the points as independent, and a Sobol design's error is smaller than that of independent draws.
/// Model runs are spread over `threads` threads; results do not depend on the thread count.
public struct SobolSensitivity: Sendable {
    /// Where the N base points come from.
    public enum Design: Sendable {
        /// The Sobol low-discrepancy sequence in 2d dimensions (d ≤ 10); N a power of two is best.
        case sobolSequence
        /// Independent uniform draws from a seeded generator.
        case monteCarlo(seed: UInt64)
    }

    /// The indices, with their bootstrap confidence intervals.
    public struct Indices: Sendable {
        /// Sᵢ for each input.
        public let firstOrder: [Double]
        /// S_Tᵢ for each input.
        public let total: [Double]
        /// Bootstrap percentile intervals for Sᵢ.
        public let firstOrderInterval: [ClosedRange<Double>]
        /// Bootstrap percentile intervals for S_Tᵢ.
        public let totalInterval: [ClosedRange<Double>]
        /// Var(Y) estimated from f(A) and f(B).
        public let outputVariance: Double
        /// Model runs, N·(d + 2).
        public let evaluations: Int
    }

    /// N, the number of base points.
    public var baseSamples: Int = 4096
    public var design: Design = .sobolSequence
    /// Bootstrap resamples for the intervals.
    public var bootstrapResamples: Int = 500
    /// Coverage of the intervals.
    public var confidenceLevel: Double = 0.95
    /// Seed of the bootstrap's resampling.
    public var bootstrapSeed: UInt64 = 20_100_101
    /// Threads for model runs.
    public var threads: Int = 1

    public init() {}

    /// Estimates the indices of `model` over the box `bounds` (all bounds finite).
    /// - Complexity: N·(d + 2) model runs, plus O(R·N·d) for R bootstrap resamples.
    public func analyze(_ model: @escaping @Sendable ([Double]) -> Double, over bounds: ParameterBounds) -> Indices {
        precondition(bounds.isFinite, "Sobol indices need finite bounds on every input")
        let d = bounds.count
        let n = baseSamples
        precondition(n >= 2, "Sobol indices need at least two base samples")
        // Base points in the unit cube: row j is A's (first d) and B's (last d) coordinates.
        var unit = [[Double]]()
        unit.reserveCapacity(n)
        switch design {
        case .sobolSequence:
            precondition(
                2 * d <= SobolSequence.maximumDimensions,
                "the Sobol design supports d ≤ \(SobolSequence.maximumDimensions / 2)")
            var sequence = SobolSequence(dimensions: 2 * d)
            for _ in 0..<n { unit.append(sequence.next()) }
        case .monteCarlo(let seed):
            var rng = SeededGenerator(seed: seed)
            for _ in 0..<n { unit.append((0..<(2 * d)).map { _ in rng.uniform() }) }
        }
        let scale = { (u: Double, i: Int) in bounds.lower[i] + u * (bounds.upper[i] - bounds.lower[i]) }
        // Run k in 0..<(d+2)·n: block 0 = A, block 1 = B, block 2 + i = A_B⁽ⁱ⁾.
        let points: [[Double]] = (0..<((d + 2) * n)).map { k in
            let (block, j) = (k / n, k % n)
            return (0..<d).map { i in
                let fromB = block == 1 || block == 2 + i
                return scale(unit[j][fromB ? d + i : i], i)
            }
        }
        let outputs = parallelMap(count: points.count, threads: threads) { model(points[$0]) }
        let fA = Array(outputs[0..<n])
        let fB = Array(outputs[n..<(2 * n)])
        let fAB = (0..<d).map { i in Array(outputs[((2 + i) * n)..<((3 + i) * n)]) }

        func estimate(_ rows: [Int]) -> (first: [Double], total: [Double], variance: Double) {
            let count = Double(rows.count)
            var mean = 0.0
            for j in rows { mean += fA[j] + fB[j] }
            mean /= 2 * count
            var variance = 0.0
            for j in rows { variance += (fA[j] - mean) * (fA[j] - mean) + (fB[j] - mean) * (fB[j] - mean) }
            variance /= 2 * count
            var first = [Double](repeating: 0, count: d)
            var total = [Double](repeating: 0, count: d)
            for i in 0..<d {
                var vi = 0.0
                var vti = 0.0
                for j in rows {
                    let difference = fAB[i][j] - fA[j]
                    vi += fB[j] * difference
                    vti += difference * difference
                }
                first[i] = vi / count / variance
                total[i] = vti / (2 * count) / variance
            }
            return (first, total, variance)
        }

        let point = estimate(Array(0..<n))
        var rng = SeededGenerator(seed: bootstrapSeed)
        var firstSamples = [[Double]](repeating: [], count: d)
        var totalSamples = [[Double]](repeating: [], count: d)
        for _ in 0..<bootstrapResamples {
            let rows = (0..<n).map { _ in Int(rng.next() % UInt64(n)) }
            let resampled = estimate(rows)
            for i in 0..<d {
                firstSamples[i].append(resampled.first[i])
                totalSamples[i].append(resampled.total[i])
            }
        }
        let tail = (1 - confidenceLevel) / 2
        // A resample whose output does not vary has undefined indices (0/0); such resamples are left out. With
        // no finite resample at all (a constant output: `outputVariance == 0`, NaN estimates) the interval is
        // the whole line — nothing is known — rather than a trap.
        func interval(_ samples: [Double]) -> ClosedRange<Double> {
            let sorted = samples.filter(\.isFinite).sorted()
            guard !sorted.isEmpty else { return -Double.infinity...Double.infinity }
            return quantile(sorted: sorted, tail)...quantile(sorted: sorted, 1 - tail)
        }
        return Indices(
            firstOrder: point.first, total: point.total,
            firstOrderInterval: firstSamples.map(interval), totalInterval: totalSamples.map(interval),
            outputVariance: point.variance, evaluations: points.count)
    }
}

/// The q-quantile of sorted values by linear interpolation (Hyndman & Fan's type 7, R's default).
func quantile(sorted values: [Double], _ q: Double) -> Double {
    precondition(!values.isEmpty, "quantile of no values")
    let position = q * Double(values.count - 1)
    let lower = Int(position.rounded(.down))
    let upper = min(lower + 1, values.count - 1)
    let fraction = position - Double(lower)
    return values[lower] + fraction * (values[upper] - values[lower])
}
