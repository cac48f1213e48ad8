public import LinearAlgebra

/// A nonlinear least-squares problem: find θ ∈ ℝᵖ in a box that minimises S(θ) = ‖r(θ)‖₂² = Σᵢ rᵢ(θ)².
///
/// `residuals` returns the m residuals rᵢ(θ) (model minus data, or weighted: (model − data)/σᵢ);
/// `jacobian`, when given, returns the m × p matrix Jᵢⱼ = ∂rᵢ/∂θⱼ. Without it the optimiser
/// differentiates numerically (see `FiniteDifferenceJacobian`). Both closures must be pure functions of
/// θ: they may be called from several threads.
public struct LeastSquaresProblem: Sendable {
    /// p, the number of parameters.
    public let parameterCount: Int
    /// m, the number of residuals.
    public let residualCount: Int
    /// θ ↦ r(θ) ∈ ℝᵐ.
    public let residuals: @Sendable ([Double]) -> [Double]
    /// θ ↦ J(θ) ∈ ℝᵐˣᵖ, or nil for finite differences.
    public let jacobian: (@Sendable ([Double]) -> Matrix)?
    /// Box bounds on θ (unbounded by default).
    public var bounds: ParameterBounds

    public init(
        parameterCount: Int, residualCount: Int, bounds: ParameterBounds? = nil,
        residuals: @escaping @Sendable ([Double]) -> [Double],
        jacobian: (@Sendable ([Double]) -> Matrix)? = nil
    ) {
        precondition(parameterCount > 0 && residualCount > 0, "least squares: need at least one parameter and residual")
        self.parameterCount = parameterCount
        self.residualCount = residualCount
        self.residuals = residuals
        self.jacobian = jacobian
        self.bounds = bounds ?? .unbounded(parameterCount)
        precondition(
            self.bounds.count == parameterCount,
            "least squares: bounds for \(self.bounds.count) parameters, expected \(parameterCount)")
    }

    /// A copy with other bounds (SciML's `remake`).
    public func with(bounds: ParameterBounds) -> LeastSquaresProblem {
        var copy = self
        precondition(
            bounds.count == parameterCount,
            "least squares: bounds for \(bounds.count) parameters, expected \(parameterCount)")
        copy.bounds = bounds
        return copy
    }
}
