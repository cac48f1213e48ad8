import Foundation

/// How a fit scores the model against the observations.
public enum ObjectiveKind: String, Sendable, CaseIterable {
    /// Weighted least squares, S(θ) = Σᵢ rᵢ(θ)².
    case leastSquares = "least-squares"
    /// Gaussian log-likelihood, log L(θ) = −½ Σᵢ rᵢ(θ)² − Σᵢ log sᵢ − (m/2) log 2π (every observation needs
    /// its `sd`). With the sᵢ known it has the same maximiser as S; the methods minimise −log L.
    case likelihood
}

/// The weighted residuals of a model run against observations, and the scores built from them.
///
/// For observation i with value yᵢ, standard deviation σᵢ (1 when the file gives none: unweighted) and
/// model value ŷᵢ(θ), the residual is
///
///     rᵢ = (g(ŷᵢ) − g(yᵢ)) / sᵢ,     g = identity, sᵢ = σᵢ;     or g = log, sᵢ = σᵢ / yᵢ
///
/// the second for a series with a log transform (relative errors; sᵢ by the delta method,
/// Var(log y) ≈ σ²/y²). Weights are 1/sᵢ², so S = Σ rᵢ² is weighted least squares. A model value that is
/// not finite, or not positive under a log transform, gives an infinite residual (the point is rejected,
/// never silently skipped).
public struct Objective: Sendable {
    public let observations: [Observation]
    /// Per observation: whether its series is log-transformed.
    public let logTransformed: [Bool]
    public let kind: ObjectiveKind

    public init(observations: [Observation], logSeries: Set<String> = [], kind: ObjectiveKind = .leastSquares) {
        self.observations = observations
        self.logTransformed = observations.map { logSeries.contains($0.variable) || logSeries.contains($0.series) }
        self.kind = kind
    }

    /// sᵢ, the scale of each residual.
    public var scales: [Double] {
        zip(observations, logTransformed).map { observation, log in
            let sigma = observation.standardDeviation ?? 1
            return log ? sigma / abs(observation.value) : sigma
        }
    }

    /// r(θ) from the model's values at the observations.
    public func residuals(model values: [Double]) -> [Double] {
        precondition(
            values.count == observations.count, "\(values.count) model values for \(observations.count) observations")
        let scales = self.scales
        return observations.indices.map { i in
            let (y, yHat) = (observations[i].value, values[i])
            guard yHat.isFinite, !logTransformed[i] || yHat > 0 else { return .infinity }
            let difference = logTransformed[i] ? Foundation.log(yHat) - Foundation.log(y) : yHat - y
            return difference / scales[i]
        }
    }

    /// S = Σ rᵢ².
    public func sumOfSquares(model values: [Double]) -> Double {
        residuals(model: values).reduce(0) { $0 + $1 * $1 }
    }

    /// log L for Gaussian errors with standard deviations sᵢ.
    public func logLikelihood(model values: [Double]) -> Double {
        let r = residuals(model: values)
        let m = Double(r.count)
        return -0.5 * r.reduce(0) { $0 + $1 * $1 } - scales.reduce(0) { $0 + Foundation.log($1) } - 0.5 * m
            * Foundation.log(2 * Double.pi)
    }

    /// What the methods minimise: S, or −log L.
    public func value(model values: [Double]) -> Double {
        switch kind {
        case .leastSquares: sumOfSquares(model: values)
        case .likelihood: -logLikelihood(model: values)
        }
    }

    /// R² of each series, 1 − Σ(y − ŷ)² / Σ(y − ȳ)² on the (possibly log-transformed) values, unweighted;
    /// nil for a series with one observation or no variance.
    public func rSquared(model values: [Double]) -> [(series: String, rSquared: Double?)] {
        var order: [String] = []
        var groups: [String: [Int]] = [:]
        for (i, observation) in observations.enumerated() {
            if groups[observation.series] == nil { order.append(observation.series) }
            groups[observation.series, default: []].append(i)
        }
        return order.map { series in
            let indices = groups[series]!
            let g = { (i: Int, v: Double) in self.logTransformed[i] ? Foundation.log(v) : v }
            let y = indices.map { g($0, observations[$0].value) }
            let yHat = indices.map { g($0, values[$0]) }
            let mean = y.reduce(0, +) / Double(y.count)
            let total = y.reduce(0) { $0 + ($1 - mean) * ($1 - mean) }
            let residual = zip(y, yHat).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }
            guard indices.count > 1, total > 0 else { return (series, nil) }
            return (series, 1 - residual / total)
        }
    }
}
