public import LinearAlgebra

/// A finite-difference approximation of the Jacobian Jᵢⱼ = ∂rᵢ/∂θⱼ.
///
/// Forward differences, Jᵢⱼ ≈ (rᵢ(θ + hⱼeⱼ) − rᵢ(θ))/hⱼ with hⱼ = √ε·max(|θⱼ|, 1), have error O(hⱼ), i.e.
/// about half the digits of r; central differences, (rᵢ(θ + hⱼeⱼ) − rᵢ(θ − hⱼeⱼ))/(2hⱼ) with
/// hⱼ = ε^{1/3}·max(|θⱼ|, 1), have error O(hⱼ²), about two thirds of the digits, for twice the evaluations
/// (Nocedal & Wright, *Numerical Optimization*, 2nd ed., 2006, §8.1). Steps that would leave the box
/// are taken the other way (a one-sided difference), so the model is never evaluated out of bounds.
public enum FiniteDifferenceJacobian: Sendable {
    /// p extra evaluations, about 8 correct digits.
    case forward
    /// 2p extra evaluations, about 10 correct digits.
    case central

    /// The approximate Jacobian at θ, given r(θ) already evaluated.
    /// - Complexity: p (forward) or 2p (central) evaluations of `residuals`.
    public func jacobian(
        of residuals: @Sendable ([Double]) -> [Double], at theta: [Double], value: [Double], bounds: ParameterBounds
    ) -> Matrix {
        let m = value.count
        let p = theta.count
        var jac = Matrix(rows: m, columns: p)
        let epsilon = Double.ulpOfOne
        for j in 0..<p {
            let scale = max(abs(theta[j]), 1)
            switch self {
            case .forward:
                var h = epsilon.squareRoot() * scale
                if theta[j] + h > bounds.upper[j] { h = -h }
                var shifted = theta
                shifted[j] += h
                let actual = shifted[j] - theta[j]
                let r = residuals(shifted)
                for i in 0..<m { jac[i, j] = (r[i] - value[i]) / actual }
            case .central:
                let h = pow(epsilon, 1.0 / 3.0) * scale
                var plus = theta
                var minus = theta
                plus[j] = min(theta[j] + h, bounds.upper[j])
                minus[j] = max(theta[j] - h, bounds.lower[j])
                let width = plus[j] - minus[j]
                let rPlus = plus[j] == theta[j] ? value : residuals(plus)
                let rMinus = minus[j] == theta[j] ? value : residuals(minus)
                for i in 0..<m { jac[i, j] = (rPlus[i] - rMinus[i]) / width }
            }
        }
        return jac
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
