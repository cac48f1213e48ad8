public import Calibration
public import LinearAlgebra

/// The synthetic analysis problem shared by CalibrationBenchmarks, CalibrationTiming and
/// reference/enkf.py: an n × N forecast ensemble, m observations of every (n/m)-th variable, their
/// values and error variances, all from a counter-based SplitMix64 hash so numpy rebuilds the same numbers.
///
///     E[i, j] = 4·u(1, i + j·n),   y[k] = 4·u(2, k),   r[k] = 0.5 + u(3, k),   observed index k·(n/m)
///
/// with u(s, c) = SplitMix64's finaliser of (s·2⁴⁰ + c + γ), γ = 0x9E3779B97F4A7C15, top 53 bits / 2⁵³.
public struct AnalysisFixture: Sendable {
    public let ensemble: Matrix
    public let observations: [Double]
    public let variances: [Double]
    public let indices: [Int]

    public init(stateSize n: Int, members: Int, observationCount m: Int) {
        precondition(n % m == 0, "the fixture observes every (n/m)-th variable: m must divide n")
        var values = [Double](repeating: 0, count: n * members)
        for c in 0..<(n * members) { values[c] = 4 * Self.uniform(1, UInt64(c)) }
        ensemble = Matrix(rows: n, columns: members, columnMajor: values)
        observations = (0..<m).map { 4 * Self.uniform(2, UInt64($0)) }
        variances = (0..<m).map { 0.5 + Self.uniform(3, UInt64($0)) }
        indices = (0..<m).map { $0 * (n / m) }
    }

    /// u(s, c) ∈ [0, 1).
    public static func uniform(_ stream: UInt64, _ counter: UInt64) -> Double {
        var z = (stream << 40) &+ counter &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) * 0x1.0p-53
    }

    /// One analysis of `ensemble` in place.
    public func analyze(_ ensemble: inout Matrix, filter: EnsembleKalmanFilter, generator: inout SeededGenerator) {
        do {
            try filter.analyze(
                &ensemble, observations: observations, errorVariances: variances, operator: .indices(indices),
                generator: &generator)
        } catch {
            fatalError("analysis failed: \(error)")
        }
    }
}
