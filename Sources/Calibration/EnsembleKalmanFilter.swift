public import LinearAlgebra

/// The analysis step of the ensemble Kalman filter: stochastic (perturbed observations) and square-root
/// (ETKF, or LETKF with localisation), on an n × N ensemble matrix (one member per column).
///
/// Notation: E the forecast ensemble, x̄ = E·1/N, A = (E − x̄1ᵀ)/√(N − 1) the normalised anomalies,
/// Y = (HE − ȳ1ᵀ)/√(N − 1) their image in observation space, R = diag(r) the observation-error
/// covariance (uncorrelated errors), y the observations. The Kalman gain with the ensemble covariance
/// P = AAᵀ is K = AYᵀ(YYᵀ + R)⁻¹ = A·(I + YᵀR⁻¹Y)⁻¹·YᵀR⁻¹, the second form (Sherman–Morrison–Woodbury)
/// needing only the N × N matrix M = I_N + YᵀR⁻¹Y.
///
/// - `.squareRoot` — the ensemble transform Kalman filter in the form of Hunt, Kostelich & Szunyogh,
///   "Efficient data assimilation for spatiotemporal chaos: a local ensemble transform Kalman filter",
///   Physica D 230, 2007, §2.3: with M = QΛQᵀ (LAPACK dsyevd), w̄ = QΛ⁻¹Qᵀ·YᵀR⁻¹(y − ȳ) and the
///   symmetric square root W = QΛ^{−1/2}Qᵀ, the analysis is x̄ₐ = x̄ + Aw̄ and anomalies √(N − 1)·A·W.
///   The symmetric root keeps the analysis mean-preserving and closest to the forecast (Ott et al. 2004).
/// - `.stochastic` — Burgers, van Leeuwen & Evensen, "Analysis scheme in the ensemble Kalman filter",
///   Mon. Wea. Rev. 126, 1998; Evensen, Ocean Dynamics 53, 2003: every member assimilates its own
///   perturbed observations y + εⱼ, εⱼ ~ N(0, R), the perturbations centred to mean zero over the
///   ensemble (Evensen 2003, §4.3), so Eₐ = E + K·(y1ᵀ + Ξ − HE).
///
/// Either way the update is a right-multiplication Eₐ = E·T by an N × N transform (Evensen's "X5"), so
/// the only O(n) work is one BLAS dgemm of n × N by N × N, with no anomaly matrix or gain formed.
///
/// Inflation multiplies the analysis anomalies by `inflation` (Anderson & Anderson, Mon. Wea. Rev. 127,
/// 1999), the convention of Sakov & Oke (2008)'s tables and DAPPER's `infl`; it is folded into T.
///
/// Localisation (Gaspari–Cohn taper, `Localization`):
/// - stochastic: K = (ρ_xy ∘ AYᵀ)·(ρ_yy ∘ YYᵀ + R)⁻¹, a Schur product on the covariances in the gain
///   (Houtekamer & Mitchell, Mon. Wea. Rev. 129, 2001). This forms the n × m matrix AYᵀ and factors the
///   m × m innovation covariance (LAPACK dpotrf), O(n·m·N + m³);
/// - square root: the LETKF (Hunt et al. 2007, §2.3–2.4): each state component i is analysed with its own
///   transform from the observations within 2c, each weighted in R⁻¹ by ρ(d(i, k)/c) (R-localisation,
///   Hunt et al. §2.3 step 4a / Greybush et al., Mon. Wea. Rev. 139, 2011). O(n·(m_local·N² + N³)).
///
/// Random numbers (the stochastic filter's perturbations only) come from the caller's generator, member
/// by member (column j of Ξ is drawn before column j + 1), so runs are reproducible for a seed.
public struct EnsembleKalmanFilter: Sendable {
    /// Which analysis.
    public enum Method: Sendable {
        /// Perturbed observations.
        case stochastic
        /// ETKF (LETKF with localisation).
        case squareRoot
    }

    public var method: Method
    /// Multiplicative inflation of the analysis anomalies (1 = none).
    public var inflation: Double
    /// Optional Gaspari–Cohn localisation.
    public var localization: Localization?

    public init(method: Method, inflation: Double = 1, localization: Localization? = nil) {
        precondition(inflation > 0, "inflation must be positive")
        self.method = method
        self.inflation = inflation
        self.localization = localization
    }

    /// Replaces the forecast ensemble (n × N, N ≥ 2) by the analysis given observations y with error
    /// variances r (both of length m) through H.
    /// - Throws: `LinearAlgebraError` if an eigen-decomposition or factorisation fails (non-finite input).
    /// - Complexity: ETKF and unlocalised stochastic: 2·n·N² + 2·m·N² + O(N³) flops (plus m·N copies for
    ///   an index operator).
    public func analyze(
        _ ensemble: inout Matrix, observations y: [Double], errorVariances r: [Double],
        operator h: ObservationOperator, generator: inout SeededGenerator
    ) throws {
        let members = ensemble.columns
        let m = h.observationCount
        precondition(members >= 2, "an ensemble needs at least two members")
        precondition(
            y.count == m && r.count == m, "\(y.count) observations and \(r.count) variances for an operator of \(m)")
        precondition(r.allSatisfy { $0 > 0 }, "observation-error variances must be positive")
        let predicted = h.apply(to: ensemble)
        let (yMean, anomalies) = Self.normalisedAnomalies(predicted)

        switch (method, localization) {
        case (.squareRoot, nil):
            let transform = try Self.etkfTransform(
                anomalies: anomalies, innovation: (0..<m).map { y[$0] - yMean[$0] },
                inverseVariances: r.map { 1 / $0 }, inflation: inflation)
            ensemble = Self.transformed(ensemble, by: transform)
        case (.stochastic, nil):
            let innovations = perturbedInnovations(y, r, predicted, &generator)
            // G = M⁻¹·YᵀR⁻¹·Δ (N × N), and T = I + Π·G/√(N − 1), then inflation.
            let scaled = Self.scaleRows(anomalies, by: r.map { 1 / $0 })
            var mMatrix = Matrix.product(anomalies, scaled, transposeA: .transpose)
            for j in 0..<members { mMatrix[j, j] += 1 }
            let rhs = Matrix.product(scaled, innovations, transposeA: .transpose)
            let g = try CholeskyFactorization(mMatrix).solve(rhs)
            var transform = Self.centreColumns(g)
            transform.scale(by: 1 / Double(members - 1).squareRoot())
            for j in 0..<members { transform[j, j] += 1 }
            ensemble = Self.transformed(ensemble, by: Self.withInflation(transform, inflation))
        case (.stochastic, let localization?):
            let innovations = perturbedInnovations(y, r, predicted, &generator)
            try localisedStochastic(&ensemble, anomalies, innovations, r, localization)
        case (.squareRoot, let localization?):
            try letkf(&ensemble, anomalies, (0..<m).map { y[$0] - yMean[$0] }, r, localization)
        }
    }

    // MARK: - Pieces

    /// E·T as a new n × N matrix (BLAS dgemm with β = 0).
    ///
    /// The result's storage is allocated without zero-filling: with β = 0, BLAS never reads C ("when BETA
    /// is supplied as zero then C need not be set on input", reference dgemm), so the usual memset would
    /// be a wasted pass over n·N doubles — 7 % of an analysis at n = 10⁴, N = 100.
    static func transformed(_ ensemble: Matrix, by transform: Matrix) -> Matrix {
        let (n, members) = (ensemble.rows, transform.columns)
        let storage = [Double](unsafeUninitializedCapacity: n * members) { _, count in count = n * members }
        var result = Matrix(rows: n, columns: members, columnMajor: storage)
        result.multiply(ensemble, transform)
        return result
    }

    /// Row means ȳ of HE and Y = (HE − ȳ1ᵀ)/√(N − 1).
    static func normalisedAnomalies(_ predicted: Matrix) -> ([Double], Matrix) {
        let (m, members) = (predicted.rows, predicted.columns)
        var values = predicted.storage
        var mean = [Double](repeating: 0, count: m)
        for j in 0..<members {
            for k in 0..<m { mean[k] += values[k + j * m] }
        }
        for k in 0..<m { mean[k] /= Double(members) }
        let norm = 1 / Double(members - 1).squareRoot()
        for j in 0..<members {
            for k in 0..<m { values[k + j * m] = (values[k + j * m] - mean[k]) * norm }
        }
        return (mean, Matrix(rows: m, columns: members, columnMajor: values))
    }

    /// diag(s)·X.
    static func scaleRows(_ x: Matrix, by s: [Double]) -> Matrix {
        var values = x.storage
        for j in 0..<x.columns {
            for k in 0..<x.rows { values[k + j * x.rows] *= s[k] }
        }
        return Matrix(rows: x.rows, columns: x.columns, columnMajor: values)
    }

    /// Π·X = X − 1·(1ᵀX)/N: each column minus its mean.
    static func centreColumns(_ x: Matrix) -> Matrix {
        var values = x.storage
        let rows = x.rows
        for j in 0..<x.columns {
            var mean = 0.0
            for i in 0..<rows { mean += values[i + j * rows] }
            mean /= Double(rows)
            for i in 0..<rows { values[i + j * rows] -= mean }
        }
        return Matrix(rows: rows, columns: x.columns, columnMajor: values)
    }

    /// T·(11ᵀ/N + λΠ): keeps the mean of E·T and scales its anomalies by λ.
    static func withInflation(_ transform: Matrix, _ lambda: Double) -> Matrix {
        if lambda == 1 { return transform }
        // (T·(11ᵀ/N + λΠ))ᵢⱼ = λ·Tᵢⱼ + (1 − λ)·(row mean of T)ᵢ.
        let members = transform.columns
        var values = transform.storage
        for i in 0..<transform.rows {
            var mean = 0.0
            for j in 0..<members { mean += values[i + j * transform.rows] }
            mean /= Double(members)
            for j in 0..<members {
                values[i + j * transform.rows] = lambda * values[i + j * transform.rows] + (1 - lambda) * mean
            }
        }
        return Matrix(rows: transform.rows, columns: members, columnMajor: values)
    }

    /// The ETKF transform T = 11ᵀ/N + Π·(w̄1ᵀ/√(N − 1) + λ·W) for anomalies Y, innovation y − ȳ and
    /// diagonal R⁻¹ (possibly tapered, for the LETKF).
    static func etkfTransform(
        anomalies: Matrix, innovation: [Double], inverseVariances: [Double], inflation: Double
    ) throws -> Matrix {
        let members = anomalies.columns
        let scaled = scaleRows(anomalies, by: inverseVariances)  // R⁻¹Y
        var mMatrix = Matrix.product(anomalies, scaled, transposeA: .transpose)  // YᵀR⁻¹Y
        for j in 0..<members { mMatrix[j, j] += 1 }
        let eigen = try SymmetricEigen(mMatrix)
        let q = eigen.vectors
        let projected = scaled.times(innovation, transpose: .transpose)  // YᵀR⁻¹(y − ȳ)
        let qtp = q.times(projected, transpose: .transpose)
        let wBar = q.times((0..<members).map { qtp[$0] / eigen.values[$0] })
        // λ·W = λ·QΛ^{−1/2}Qᵀ
        var qScaled = q
        for k in 0..<members {
            let factor = inflation / eigen.values[k].squareRoot()
            for i in 0..<members { qScaled[i, k] *= factor }
        }
        var t = Matrix.product(qScaled, q, transposeB: .transpose)
        let shift = 1 / Double(members - 1).squareRoot()
        for j in 0..<members {
            for i in 0..<members { t[i, j] += wBar[i] * shift }
        }
        t = centreColumns(t)
        let uniform = 1 / Double(members)
        for j in 0..<members {
            for i in 0..<members { t[i, j] += uniform }
        }
        return t
    }

    /// Δ = y1ᵀ + Ξ − HE with Ξ's columns drawn from N(0, R) member by member, then each row centred.
    func perturbedInnovations(_ y: [Double], _ r: [Double], _ predicted: Matrix, _ generator: inout SeededGenerator)
        -> Matrix
    {
        let (m, members) = (predicted.rows, predicted.columns)
        var xi = [Double](repeating: 0, count: m * members)
        for j in 0..<members {
            for k in 0..<m { xi[k + j * m] = generator.normal() * r[k].squareRoot() }
        }
        for k in 0..<m {
            var mean = 0.0
            for j in 0..<members { mean += xi[k + j * m] }
            mean /= Double(members)
            for j in 0..<members { xi[k + j * m] -= mean }
        }
        let hx = predicted.storage
        for j in 0..<members {
            for k in 0..<m { xi[k + j * m] += y[k] - hx[k + j * m] }
        }
        return Matrix(rows: m, columns: members, columnMajor: xi)
    }

    /// Stochastic EnKF with K = (ρ_xy ∘ AYᵀ)(ρ_yy ∘ YYᵀ + R)⁻¹.
    func localisedStochastic(
        _ ensemble: inout Matrix, _ yAnomalies: Matrix, _ innovations: Matrix, _ r: [Double], _ loc: Localization
    ) throws {
        let (n, members) = (ensemble.rows, ensemble.columns)
        let m = yAnomalies.rows
        let (_, xAnomalies) = Self.normalisedAnomalies(ensemble)
        var cross = Matrix.product(xAnomalies, yAnomalies, transposeB: .transpose)  // n × m
        var innovationCovariance = Matrix.product(yAnomalies, yAnomalies, transposeB: .transpose)  // m × m
        for k in 0..<m {
            for i in 0..<n {
                cross[i, k] *= GaspariCohn.correlation(distance: loc.stateToObservation(i, k), halfWidth: loc.halfWidth)
            }
            for l in 0..<m {
                innovationCovariance[l, k] *= GaspariCohn.correlation(
                    distance: loc.observationToObservation(l, k), halfWidth: loc.halfWidth)
            }
            innovationCovariance[k, k] += r[k]
        }
        let z = try CholeskyFactorization(innovationCovariance).solve(innovations)
        var analysis = ensemble
        analysis.multiply(cross, z, beta: 1)
        // Inflate the analysis anomalies about the analysis mean.
        if inflation != 1 {
            var values = analysis.storage
            for i in 0..<n {
                var mean = 0.0
                for j in 0..<members { mean += values[i + j * n] }
                mean /= Double(members)
                for j in 0..<members { values[i + j * n] = mean + inflation * (values[i + j * n] - mean) }
            }
            analysis = Matrix(rows: n, columns: members, columnMajor: values)
        }
        ensemble = analysis
    }

    /// LETKF: one ETKF transform per state component with tapered R⁻¹ over the observations within 2c.
    func letkf(
        _ ensemble: inout Matrix, _ yAnomalies: Matrix, _ innovation: [Double], _ r: [Double], _ loc: Localization
    ) throws {
        let (n, members) = (ensemble.rows, ensemble.columns)
        let m = yAnomalies.rows
        let source = ensemble.storage
        var analysis = source
        for i in 0..<n {
            var local: [Int] = []
            var weights: [Double] = []
            for k in 0..<m {
                let rho = GaspariCohn.correlation(distance: loc.stateToObservation(i, k), halfWidth: loc.halfWidth)
                if rho > 0 {
                    local.append(k)
                    weights.append(rho / r[k])
                }
            }
            let row = (0..<members).map { source[i + $0 * n] }
            let transform: Matrix
            if local.isEmpty {
                transform = Self.withInflation(Matrix.identity(members), inflation)
            } else {
                var localAnomalies = Matrix(rows: local.count, columns: members)
                for j in 0..<members {
                    for (a, k) in local.enumerated() { localAnomalies[a, j] = yAnomalies[k, j] }
                }
                transform = try Self.etkfTransform(
                    anomalies: localAnomalies, innovation: local.map { innovation[$0] }, inverseVariances: weights,
                    inflation: inflation)
            }
            let updated = transform.times(row, transpose: .transpose)  // (rowᵀ·T)ᵀ = Tᵀ·row
            for j in 0..<members { analysis[i + j * n] = updated[j] }
        }
        ensemble = Matrix(rows: n, columns: members, columnMajor: analysis)
    }
}
