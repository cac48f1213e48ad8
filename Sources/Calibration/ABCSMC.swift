import LinearAlgebra

/// Approximate Bayesian computation by sequential Monte Carlo (ABC-SMC) with adaptive tolerances.
///
/// ABC replaces the likelihood by simulation: a parameter θ is accepted when a data set simulated
/// under θ lies within a tolerance ε of the observed one, ρ(x_sim, x_obs) ≤ ε, which samples
/// π_ε(θ | x_obs) ∝ π(θ)·P(ρ ≤ ε | θ). ABC-SMC moves a population of N weighted particles through a
/// decreasing sequence ε₁ > ε₂ > … (Toni, Welch, Strelkowa, Ipsen & Stumpf, "Approximate Bayesian
/// computation scheme for parameter inference and model selection in dynamical systems", J. R. Soc.
/// Interface 6, 2009; Beaumont, Cornuet, Marin & Robert, "Adaptive approximate Bayesian computation",
/// Biometrika 96(4), 2009, which corrects the weights to make the scheme a proper importance sampler):
///
/// - generation 0: N draws from the prior, all kept (ε₀ = ∞), equal weights;
/// - generation t: εₜ = the α-quantile of generation t − 1's distances (Del Moral, Doucet & Jasra,
///   Stat. Comput. 22, 2012; Drovandi & Pettitt, Biometrics 67, 2011), but never below
///   `minimumTolerance`. Proposals pick a particle θⱼ of generation t − 1 with probability wⱼ and perturb
///   it with the Gaussian kernel K(·|θⱼ) = N(θⱼ, 2·Σ), Σ the weighted covariance of generation t − 1
///   (Beaumont et al. 2009: twice the covariance minimises the Kullback–Leibler divergence between
///   successive targets); those outside the prior's support are rejected unsimulated. Accepted ones get
///
///       wᵢ ∝ π(θᵢ) / Σⱼ wⱼ·K(θᵢ | θⱼ).
///
/// It stops after `maximumGenerations`, once εₜ reaches `minimumTolerance`, or when a generation's
/// acceptance rate falls below `minimumAcceptanceRate` (returning that last, complete generation), or
/// when `maximumSimulations` would be exceeded (returning the previous complete generation).
///
/// The prior is uniform on a box (`ParameterBounds`, finite), the common choice for calibrating a
/// simulator's rates and durations; its density is constant on the support.
///
/// Reproducibility: proposal k of generation t draws everything — ancestor, perturbation, the
/// simulator's own randomness — from `SeededGenerator(seed:, stream: t, substream: k)`. Proposals are
/// drawn in batches of `batchSize` (default N; generation 0's N prior draws are one batch), the batch's
/// in-prior proposals are simulated together — over `threads` threads, or by the caller's batch
/// simulator (``run(prior:distances:)``, which may deal them over the ranks of an MPI job) — and accepted
/// in order of k until N are in, so the posterior is bit-for-bit the same for any thread or rank count.
public struct ABCSMC: Sendable {
    /// N, particles per generation.
    public var particles: Int = 500
    /// α, the quantile of the previous distances that sets the next tolerance (0.5 is Del Moral et al.'s
    /// and pyABC's default: halving the accepted region each generation).
    public var quantile: Double = 0.5
    /// Generations after the prior's (generation 0).
    public var maximumGenerations: Int = 10
    /// The smallest tolerance; reaching it ends the run.
    public var minimumTolerance: Double = 0
    /// Stop after a generation accepting fewer than this share of its proposals.
    public var minimumAcceptanceRate: Double = 0.01
    /// Budget of simulations over the whole run.
    public var maximumSimulations: Int = 1_000_000
    /// Proposals simulated together (and in parallel); nil for N. Part of the result's identity: a
    /// different batch size gives a different, equally valid, sample.
    public var batchSize: Int?
    public var seed: UInt64 = 2009
    /// Threads for simulations; the result does not depend on it.
    public var threads: Int = 1

    public init() {}

    /// Why the run stopped.
    public enum Status: Sendable, Equatable {
        case reachedMinimumTolerance
        case reachedMaximumGenerations
        case acceptanceRateBelowMinimum
        case simulationBudgetExhausted
        /// The population collapsed (its weighted covariance is singular even with a ridge), so no
        /// perturbation kernel exists; the last complete generation is returned.
        case degenerateKernel
    }

    /// One generation's tolerance and cost.
    public struct Generation: Sendable {
        public let tolerance: Double
        public let proposals: Int
        public let simulations: Int
        public var acceptanceRate: Double { Double(particleCount) / Double(max(proposals, 1)) }
        let particleCount: Int
    }

    /// Samples the ABC posterior for a uniform prior on `prior`.
    ///
    /// `distance(θ, &rng)` simulates under θ (drawing any randomness from `rng`) and returns ρ to the
    /// observed data; it must be a pure function of its arguments, as it runs on several threads.
    /// - Complexity: the simulations, plus O(N²·p²) per generation for the weights.
    public func run(
        prior: ParameterBounds, distance: @escaping @Sendable ([Double], inout SeededGenerator) -> Double
    ) -> ABCPosterior {
        let threads = self.threads
        return sample(prior: prior) { proposals in
            parallelMap(count: proposals.count, threads: threads) { index in
                var rng = proposals[index].generator
                return distance(proposals[index].theta, &rng)
            }
        }
    }

    /// Samples the ABC posterior for a uniform prior on `prior` with a deterministic simulator whose runs
    /// are made a batch at a time, wherever the caller makes them (this process's threads, or the ranks
    /// of an MPI job).
    ///
    /// `distances(θs)` returns ρ for every point, in order; it is called once per batch with the batch's
    /// proposals inside the prior (generation 0's N prior draws are one batch; a batch with none inside is
    /// not passed on). The proposals are those of ``run(prior:distance:)`` — same streams, same order — so
    /// a simulator that ignores its generator gives the same posterior through either entry point.
    /// - Throws: what `distances` throws (a failed rank); nothing is returned then.
    public func run(
        prior: ParameterBounds, distances: ([[Double]]) throws -> [Double]
    ) throws -> ABCPosterior {
        try sample(prior: prior) { proposals in try distances(proposals.map(\.theta)) }
    }

    /// A proposal inside the prior: the point, and its stream's generator after the proposal's own draws
    /// (what an rng-taking simulator continues from).
    struct Proposal: Sendable {
        let theta: [Double]
        let generator: SeededGenerator
    }

    /// The proposal/acceptance core shared by both entry points: proposals are drawn here (cheap and
    /// deterministic), `simulate` returns ρ for a batch's in-prior proposals in order, and acceptance runs
    /// in order of k.
    private func sample(
        prior: ParameterBounds, simulate: ([Proposal]) throws -> [Double]
    ) rethrows -> ABCPosterior {
        precondition(prior.isFinite, "ABC-SMC: the uniform prior needs finite bounds")
        precondition(particles >= 2 && quantile > 0 && quantile < 1, "ABC-SMC: need N ≥ 2 and 0 < α < 1")
        let p = prior.count
        let n = particles
        let batch = batchSize ?? n
        let seed = self.seed

        // Generation 0: the prior, one batch of N draws.
        let initial = (0..<n).map { k -> Proposal in
            var rng = SeededGenerator(seed: seed, stream: 0, substream: UInt64(k))
            let theta = (0..<p).map { prior.lower[$0] + rng.uniform() * (prior.upper[$0] - prior.lower[$0]) }
            return Proposal(theta: theta, generator: rng)
        }
        var population = initial.map(\.theta)
        var distances = try simulate(initial)
        precondition(
            distances.count == n, "ABC-SMC: the batch simulator returned \(distances.count) distances for \(n) points")
        var weights = [Double](repeating: 1 / Double(n), count: n)
        var generations = [Generation(tolerance: .infinity, proposals: n, simulations: n, particleCount: n)]
        var simulations = n
        var status = Status.reachedMaximumGenerations

        generationLoop: for t in 1...max(maximumGenerations, 1) where maximumGenerations > 0 {
            let tolerance = max(Calibration.quantile(sorted: distances.sorted(), quantile), minimumTolerance)
            // Kernel N(0, 2Σ) through the Cholesky factor of 2Σ, with a tiny ridge if Σ is singular.
            var covariance = weightedCovariance(population, weights)
            covariance.scale(by: 2)
            guard let factor = choleskyWithRidge(covariance) else {
                status = .degenerateKernel
                break
            }
            let precision = CholeskyFactorization.inverse(of: factor)
            let lower = factor.lower
            let cumulative = weights.reduce(into: [Double]()) { $0.append(($0.last ?? 0) + $1) }
            let previous = population

            var accepted: [([Double], Double)] = []
            var proposals = 0
            var simulated = 0
            var start = 0
            while accepted.count < n {
                if simulations + simulated + batch > maximumSimulations {
                    status = .simulationBudgetExhausted
                    break generationLoop
                }
                // Proposal k: an ancestor by weight, perturbed by the kernel; nil outside the prior.
                let batchProposals = (start..<(start + batch)).map { k -> Proposal? in
                    var rng = SeededGenerator(seed: seed, stream: UInt64(t), substream: UInt64(k))
                    let u = rng.uniform() * cumulative[n - 1]
                    var ancestor = 0
                    while ancestor < n - 1 && cumulative[ancestor] <= u { ancestor += 1 }
                    let z = (0..<p).map { _ in rng.normal() }
                    var theta = previous[ancestor]
                    for i in 0..<p {
                        for j in 0...i { theta[i] += lower[i, j] * z[j] }
                    }
                    return prior.contains(theta) ? Proposal(theta: theta, generator: rng) : nil
                }
                let inPrior = batchProposals.compactMap { $0 }
                let simulatedDistances = inPrior.isEmpty ? [] : try simulate(inPrior)
                precondition(
                    simulatedDistances.count == inPrior.count,
                    "ABC-SMC: the batch simulator returned \(simulatedDistances.count) distances for \(inPrior.count) points")
                var batchDistances = simulatedDistances.makeIterator()
                for proposal in batchProposals {
                    proposals += 1
                    guard let proposal else { continue }
                    simulated += 1
                    let distance = batchDistances.next()!
                    if distance <= tolerance {
                        accepted.append((proposal.theta, distance))
                        if accepted.count == n { break }
                    }
                }
                start += batch
            }
            simulations += simulated

            // Importance weights against the mixture of kernels around the previous population.
            let newPopulation = accepted.map(\.0)
            let previousWeights = weights
            let newWeights = parallelMap(count: n, threads: threads) { i -> Double in
                var denominator = 0.0
                for j in 0..<n {
                    var quadratic = 0.0
                    for a in 0..<p {
                        let da = newPopulation[i][a] - previous[j][a]
                        for b in 0..<p { quadratic += da * precision[a, b] * (newPopulation[i][b] - previous[j][b]) }
                    }
                    denominator += previousWeights[j] * exp(-0.5 * quadratic)
                }
                return 1 / denominator
            }
            let total = newWeights.reduce(0, +)
            population = newPopulation
            distances = accepted.map(\.1)
            weights = newWeights.map { $0 / total }
            let generation = Generation(
                tolerance: tolerance, proposals: proposals, simulations: simulated, particleCount: n)
            generations.append(generation)

            if tolerance <= minimumTolerance {
                status = .reachedMinimumTolerance
                break
            }
            if generation.acceptanceRate < minimumAcceptanceRate {
                status = .acceptanceRateBelowMinimum
                break
            }
        }
        return ABCPosterior(
            particles: population, weights: weights, distances: distances, generations: generations,
            simulations: simulations, status: status)
    }
}

/// The weighted covariance Σ = Σᵢ wᵢ(θᵢ − θ̄)(θᵢ − θ̄)ᵀ / (1 − Σᵢ wᵢ²), θ̄ = Σᵢ wᵢθᵢ, weights summing to 1
/// (the unbiased "reliability weights" form).
func weightedCovariance(_ points: [[Double]], _ weights: [Double]) -> Matrix {
    let p = points[0].count
    var mean = [Double](repeating: 0, count: p)
    for (x, w) in zip(points, weights) {
        for a in 0..<p { mean[a] += w * x[a] }
    }
    var covariance = Matrix(rows: p, columns: p)
    for (x, w) in zip(points, weights) {
        for a in 0..<p {
            for b in 0..<p { covariance[a, b] += w * (x[a] - mean[a]) * (x[b] - mean[b]) }
        }
    }
    let correction = 1 - weights.reduce(0) { $0 + $1 * $1 }
    if correction > 0 { covariance.scale(by: 1 / correction) }
    return covariance
}

/// Cholesky of a covariance, adding a ridge of 10⁻¹⁰·trace/p (then growing) if it is not positive definite.
func choleskyWithRidge(_ covariance: Matrix) -> CholeskyFactorization? {
    if let factor = try? CholeskyFactorization(covariance) { return factor }
    let p = covariance.rows
    let trace = (0..<p).reduce(0.0) { $0 + covariance[$1, $1] }
    var ridge = max(trace / Double(p), 1e-300) * 1e-10
    for _ in 0..<20 {
        var jittered = covariance
        for a in 0..<p { jittered[a, a] += ridge }
        if let factor = try? CholeskyFactorization(jittered) { return factor }
        ridge *= 10
    }
    return nil
}

extension CholeskyFactorization {
    /// A⁻¹ from A = LLᵀ.
    static func inverse(of factor: CholeskyFactorization) -> Matrix {
        factor.solve(Matrix.identity(factor.lower.rows))
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
