import Calibration
import LinearAlgebra

/// Lorenz-96 (Lorenz, "Predictability: a problem partly solved", ECMWF seminar 1996):
/// dxᵢ/dt = (x_{i+1} − x_{i−2})·x_{i−1} − xᵢ + F on a ring of n variables, here n = 40, F = 8, advanced by
/// classical RK4 with dt = 0.05 — the setting of Sakov & Oke (2008) as reproduced in DAPPER
/// (Fixtures/lorenz96/experiment_setups.txt).
enum Lorenz96 {
    static let forcing = 8.0
    static let step = 0.05

    static func tendency(_ x: [Double]) -> [Double] {
        let n = x.count
        var d = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let (p1, m1, m2) = ((i + 1) % n, (i + n - 1) % n, (i + n - 2) % n)
            d[i] = (x[p1] - x[m2]) * x[m1] - x[i] + forcing
        }
        return d
    }

    static func advance(_ x: [Double]) -> [Double] {
        let n = x.count
        let h = step
        let k1 = tendency(x)
        let k2 = tendency((0..<n).map { x[$0] + 0.5 * h * k1[$0] })
        let k3 = tendency((0..<n).map { x[$0] + 0.5 * h * k2[$0] })
        let k4 = tendency((0..<n).map { x[$0] + h * k3[$0] })
        return (0..<n).map { x[$0] + h / 6 * (k1[$0] + 2 * k2[$0] + 2 * k3[$0] + k4[$0]) }
    }

    /// A twin experiment: every variable observed every step with error variance 1; the initial
    /// ensemble is the truth plus N(0, 0.001) noise (DAPPER's X0); `burnIn` analysis cycles are
    /// discarded, then the analysis RMSE √(mean over i of (x̄ₐᵢ − xᵢ)²) is averaged over `cycles` more.
    static func twinExperiment(
        filter: EnsembleKalmanFilter, members: Int, burnIn: Int, cycles: Int, seed: UInt64, n: Int = 40
    ) throws -> Double {
        var rng = SeededGenerator(seed: seed)
        // A truth on the attractor: spin up 2000 steps (100 time units) from F with one nudged variable.
        var truth = [Double](repeating: forcing, count: n)
        truth[n / 2] += 0.01
        for _ in 0..<2000 { truth = advance(truth) }
        var values = [Double]()
        for _ in 0..<members {
            values += truth.map { $0 + 0.001.squareRoot() * rng.normal() }
        }
        var ensemble = Matrix(rows: n, columns: members, columnMajor: values)
        let h = ObservationOperator.indices(Array(0..<n))
        let variances = [Double](repeating: 1, count: n)
        var total = 0.0
        for cycle in 0..<(burnIn + cycles) {
            truth = advance(truth)
            for j in 0..<members { ensemble.setColumn(j, to: advance(ensemble.column(j))) }
            let y = truth.map { $0 + rng.normal() }
            try filter.analyze(&ensemble, observations: y, errorVariances: variances, operator: h, generator: &rng)
            if cycle >= burnIn {
                let mean = ensemble.rowSums.map { $0 / Double(members) }
                total += (zip(mean, truth).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) } / Double(n)).squareRoot()
            }
        }
        return total / Double(cycles)
    }
}
