/// A weighted sample from an ABC posterior, with the tolerance schedule that produced it.
public struct ABCPosterior: Sendable {
    /// θᵢ, one array of p values per particle.
    public let particles: [[Double]]
    /// Normalised importance weights wᵢ (Σ wᵢ = 1).
    public let weights: [Double]
    /// ρ of each particle's simulation.
    public let distances: [Double]
    /// Generation 0 (the prior, ε = ∞) onwards.
    public let generations: [ABCSMC.Generation]
    /// Simulations run in all.
    public let simulations: Int
    /// Why the run stopped.
    public let status: ABCSMC.Status

    /// The last generation's tolerance.
    public var tolerance: Double { generations.last!.tolerance }

    /// Kish's effective sample size 1/Σwᵢ².
    public var effectiveSampleSize: Double { 1 / weights.reduce(0) { $0 + $1 * $1 } }

    /// The posterior mean of parameter `index`, Σ wᵢθᵢ.
    public func mean(_ index: Int) -> Double {
        zip(particles, weights).reduce(0) { $0 + $1.0[index] * $1.1 }
    }

    /// The weighted q-quantile of parameter `index`: the smallest θ whose cumulative weight reaches q
    /// (the inverse of the weighted empirical distribution function).
    public func quantile(_ index: Int, _ q: Double) -> Double {
        precondition(q >= 0 && q <= 1, "quantile level \(q) outside [0, 1]")
        let order = particles.indices.sorted { particles[$0][index] < particles[$1][index] }
        var cumulative = 0.0
        for i in order {
            cumulative += weights[i]
            if cumulative >= q * (1 - 1e-12) { return particles[i][index] }
        }
        return particles[order.last!][index]
    }

    /// The equal-tailed credible interval of parameter `index` at `level` (e.g. 0.9).
    public func credibleInterval(_ index: Int, level: Double) -> ClosedRange<Double> {
        let tail = (1 - level) / 2
        return quantile(index, tail)...quantile(index, 1 - tail)
    }
}
