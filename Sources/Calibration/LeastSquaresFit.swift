public import LinearAlgebra

/// The outcome of a least-squares fit: the estimate, how the optimiser stopped, and the estimate's
/// asymptotic uncertainty.
///
/// With s² = S(θ̂)/(m − p), the residual variance, the asymptotic covariance of θ̂ is
///
///     Cov(θ̂) ≈ s² · (JᵀJ)⁻¹,   J = ∂r/∂θ at θ̂
///
/// (Bates & Watts, *Nonlinear Regression Analysis and Its Applications*, Wiley 1988, §2.3; the
/// quantity NIST StRD certifies as "standard deviation"). It is computed from the thin SVD J = U·Σ·Vᵀ as
/// s²·V·Σ⁻²·Vᵀ, which never forms JᵀJ and so loses no digits to squaring the condition number. The
/// covariance is nil when m ≤ p or when J is numerically rank deficient (σ_min ≤ σ_max·m·ε): the data then
/// do not identify every parameter. Parameters held at a bound are included as if free (the usual
/// convention; their standard errors are then only indicative).
public struct LeastSquaresFit: Sendable {
    /// θ̂, the best point found.
    public let parameters: [Double]
    /// r(θ̂).
    public let residuals: [Double]
    /// S(θ̂) = Σ rᵢ².
    public let residualSumOfSquares: Double
    /// How the optimiser stopped.
    public let status: OptimizationStatus
    /// Iterations taken (accepted and rejected trial steps).
    public let iterations: Int
    /// Evaluations of the residual function, including those for finite differences.
    public let residualEvaluations: Int
    /// The Jacobian at θ̂.
    public let jacobian: Matrix
    /// s²·(JᵀJ)⁻¹, or nil (see the type's comment).
    public let covariance: Matrix?

    init(
        parameters: [Double], residuals: [Double], status: OptimizationStatus, iterations: Int,
        residualEvaluations: Int, jacobian: Matrix
    ) {
        self.parameters = parameters
        self.residuals = residuals
        self.residualSumOfSquares = residuals.reduce(0) { $0 + $1 * $1 }
        self.status = status
        self.iterations = iterations
        self.residualEvaluations = residualEvaluations
        self.jacobian = jacobian
        self.covariance = Self.covariance(jacobian: jacobian, sumOfSquares: residualSumOfSquares)
    }

    /// Residual degrees of freedom, m − p.
    public var degreesOfFreedom: Int { residuals.count - parameters.count }

    /// s = √(S/(m − p)), the residual standard deviation (nil when m ≤ p).
    public var residualStandardDeviation: Double? {
        degreesOfFreedom > 0 ? (residualSumOfSquares / Double(degreesOfFreedom)).squareRoot() : nil
    }

    /// √diag(Cov(θ̂)).
    public var standardErrors: [Double]? {
        covariance.map { c in (0..<c.rows).map { c[$0, $0].squareRoot() } }
    }

    /// The correlation matrix Cov(θ̂)ᵢⱼ / (seᵢ·seⱼ).
    public var correlation: Matrix? {
        guard let c = covariance, let se = standardErrors else { return nil }
        var r = Matrix(rows: c.rows, columns: c.columns)
        for j in 0..<c.columns {
            for i in 0..<c.rows { r[i, j] = c[i, j] / (se[i] * se[j]) }
        }
        return r
    }

    static func covariance(jacobian: Matrix, sumOfSquares: Double) -> Matrix? {
        let (m, p) = (jacobian.rows, jacobian.columns)
        guard m > p, jacobian.storage.allSatisfy(\.isFinite), let svd = try? SingularValueDecomposition(jacobian) else {
            return nil
        }
        let sigma = svd.singularValues
        guard let largest = sigma.first, largest > 0, sigma.last! > largest * Double(m) * Double.ulpOfOne else {
            return nil
        }
        let s2 = sumOfSquares / Double(m - p)
        // V·Σ⁻¹, then (VΣ⁻¹)(VΣ⁻¹)ᵀ; vt is p × p here.
        var scaled = Matrix(rows: p, columns: p)
        for k in 0..<p {
            for i in 0..<p { scaled[i, k] = svd.vt[k, i] / sigma[k] }
        }
        var cov = Matrix.product(scaled, scaled, transposeB: .transpose)
        cov.scale(by: s2)
        return cov
    }
}
