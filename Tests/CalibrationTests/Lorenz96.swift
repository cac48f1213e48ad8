import Calibration
import LinearAlgebra

/// Lorenz-96 (Lorenz, "Predictability: a problem partly solved", ECMWF seminar 1996):
/// dxᵢ/dt = (x_{i+1} − x_{i−2})·x_{i−1} − xᵢ + F on a ring of n variables, here n = 40, F = 8, advanced by
/// classical RK4 with dt = 0.05 — the setting of Sakov & Oke (2008) as reproduced in DAPPER
/// (Fixtures/lorenz96/experiment_setups.txt).
enum Lorenz96 {
    static let forcing = 8.0
    static let step = 0.05

    /// dx/dt at x (n values from `x`) into `d`. Plain pointer loops: the tests run in debug builds, where
    /// array maps and tuples dominate the cost of a 40-variable model.
    static func tendency(_ x: UnsafePointer<Double>, _ d: UnsafeMutablePointer<Double>, _ n: Int) {
        for i in 0..<n {
            let p1 = i + 1 == n ? 0 : i + 1
            let m1 = i == 0 ? n - 1 : i - 1
            let m2 = i >= 2 ? i - 2 : i + n - 2
            d[i] = (x[p1] - x[m2]) * x[m1] - x[i] + forcing
        }
    }

    /// One RK4 step of dt for every column of an n × N matrix of states.
    static func advance(_ states: Matrix) -> Matrix {
        let n = states.rows
        var values = states.storage
        let work = UnsafeMutablePointer<Double>.allocate(capacity: 5 * n)
        defer { work.deallocate() }
        let (k1, k2, k3, k4, stage) = (work, work + n, work + 2 * n, work + 3 * n, work + 4 * n)
        let h = step
        values.withUnsafeMutableBufferPointer { buffer in
            for j in 0..<states.columns {
                let x = buffer.baseAddress! + j * n
                tendency(x, k1, n)
                for i in 0..<n { stage[i] = x[i] + 0.5 * h * k1[i] }
                tendency(stage, k2, n)
                for i in 0..<n { stage[i] = x[i] + 0.5 * h * k2[i] }
                tendency(stage, k3, n)
                for i in 0..<n { stage[i] = x[i] + h * k3[i] }
                tendency(stage, k4, n)
                for i in 0..<n { x[i] += h / 6 * (k1[i] + 2 * k2[i] + 2 * k3[i] + k4[i]) }
            }
        }
        return Matrix(rows: n, columns: states.columns, columnMajor: values)
    }

    /// A twin experiment: every variable observed every step with error variance 1; the initial
    /// ensemble is the truth plus N(0, 0.001) noise (DAPPER's X0); `burnIn` analysis cycles are
    /// discarded, then the analysis RMSE √(mean over i of (x̄ₐᵢ − xᵢ)²) is averaged over `cycles` more.
    static func twinExperiment(
        filter: EnsembleKalmanFilter, members: Int, burnIn: Int, cycles: Int, seed: UInt64, n: Int = 40
    ) throws -> Double {
        var rng = SeededGenerator(seed: seed)
        // A truth on the attractor: spin up 2000 steps (100 time units) from F with one nudged variable.
        var truthState = Matrix(rows: n, columns: 1, repeating: forcing)
        truthState[n / 2, 0] += 0.01
        for _ in 0..<2000 { truthState = advance(truthState) }
        var values = [Double]()
        for _ in 0..<members {
            values += truthState.storage.map { $0 + 0.001.squareRoot() * rng.normal() }
        }
        var ensemble = Matrix(rows: n, columns: members, columnMajor: values)
        let h = ObservationOperator.indices(Array(0..<n))
        let variances = [Double](repeating: 1, count: n)
        var total = 0.0
        for cycle in 0..<(burnIn + cycles) {
            truthState = advance(truthState)
            let truth = truthState.storage
            ensemble = advance(ensemble)
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
