/// How an optimiser stopped: a value, never a crash (SciML's `ReturnCode`, MINPACK's `info`).
///
/// The first four cases are convergence by one of the stopping rules; the rest say why it gave up, and
/// the accompanying result still carries the best point found.
public enum OptimizationStatus: Sendable, Equatable, CustomStringConvertible {
    /// Both the actual and the predicted relative reduction of the sum of squares fell below `ftol`.
    case relativeReductionBelowTolerance
    /// The scaled step fell below `xtol` relative to the scaled parameters.
    case stepBelowTolerance
    /// The (projected) gradient is orthogonal to the residuals to within `gtol`, or the residuals vanish.
    case gradientBelowTolerance
    /// Nelder–Mead: the simplex shrank below the parameter tolerance and its values agree within the
    /// function tolerance.
    case simplexConverged
    /// The iteration limit was reached first.
    case maximumIterations
    /// The function-evaluation limit was reached first.
    case maximumEvaluations
    /// The objective was not finite at the starting point.
    case nonFiniteObjective
    /// A linear-algebra step failed (e.g. a rank-deficient damped system); the message says which.
    case numericalFailure(String)

    /// Whether a stopping rule for convergence was met.
    public var isConverged: Bool {
        switch self {
        case .relativeReductionBelowTolerance, .stepBelowTolerance, .gradientBelowTolerance, .simplexConverged: true
        default: false
        }
    }

    public var description: String {
        switch self {
        case .relativeReductionBelowTolerance: "converged: relative reduction of the sum of squares below ftol"
        case .stepBelowTolerance: "converged: relative step below xtol"
        case .gradientBelowTolerance: "converged: gradient below gtol"
        case .simplexConverged: "converged: simplex below tolerances"
        case .maximumIterations: "stopped: maximum iterations reached"
        case .maximumEvaluations: "stopped: maximum function evaluations reached"
        case .nonFiniteObjective: "failed: the objective is not finite at the starting point"
        case .numericalFailure(let message): "failed: \(message)"
        }
    }
}
