import LinearAlgebra

/// The Levenberg–Marquardt method for nonlinear least squares with Moré's scaling and box bounds.
///
/// Each iteration solves the damped, scaled Gauss–Newton problem
///
///     min_h ‖J·h + r‖² + μ·‖D·h‖²,  i.e. the least-squares system  [J; √μ·D]·h ≈ [−r; 0]
///
/// by QR (LAPACK dgels), never forming JᵀJ, so it keeps the accuracy of the residuals (Moré, "The
/// Levenberg–Marquardt algorithm: implementation and theory", Lecture Notes in Mathematics 630, 1978,
/// §§3–4). D = diag(dⱼ) with dⱼ the largest column norm ‖J·eⱼ‖ seen so far (Moré's choice), which makes the
/// iteration invariant to the units of the parameters: Thurber's θ span 10⁻⁴…10³ and converge alike.
/// The damping μ follows the gain ratio ρ = (S(θ) − S(θ + h))/(S(θ) − ‖r + J·h‖²): a step with ρ > 0 is
/// accepted and μ ← μ·max(1/3, 1 − (2ρ − 1)³); otherwise μ ← μ·ν, ν ← 2ν (Nielsen, "Damping parameter in
/// Marquardt's method", IMM-REP-1999-05, DTU; Madsen, Nielsen & Tingleff, *Methods for non-linear least
/// squares problems*, 2004, §3.2), starting from μ₀ = τ·maxⱼ (JᵀJ)ⱼⱼ/dⱼ².
///
/// Bounds: variables at a bound whose negative gradient points out of the box are held fixed for the
/// step, the reduced system is solved for the others, and the trial point is projected onto the box —
/// a projected LM in the manner of Kanzow, Yamashita & Fukushima, "Levenberg–Marquardt methods with
/// strong local convergence properties for solving nonlinear equations with convex constraints",
/// J. Comput. Appl. Math. 172 (2004).
///
/// Stopping rules are MINPACK's (Moré, Garbow & Hillstrom, *User guide for MINPACK-1*, ANL-80-74, 1980):
/// `ftol` on the actual and predicted relative reduction of S, `xtol` on ‖D·h‖ relative to ‖D·θ‖,
/// `gtol` on the largest cosine between r and a column of J. Defaults are tight (a fit is cheap next to
/// the model runs behind it, and NIST's StRD asks for 6+ digits); loosen them for expensive models.
public struct LevenbergMarquardt: Sendable {
    /// Relative-reduction tolerance (MINPACK `ftol`).
    public var relativeReductionTolerance: Double = 1e-14
    /// Relative step tolerance (MINPACK `xtol`).
    public var stepTolerance: Double = 1e-13
    /// Gradient (cosine) tolerance (MINPACK `gtol`).
    public var gradientTolerance: Double = 1e-14
    /// Iteration limit (each trial step counts).
    public var maximumIterations: Int = 10_000
    /// τ in μ₀ = τ·maxⱼ (JᵀJ)ⱼⱼ/dⱼ²; small trusts Gauss–Newton from the start (Madsen et al. suggest 10⁻⁶…1).
    public var initialDampingFactor: Double = 1e-3
    /// Add geodesic acceleration to each step: h = v + ½a, where v is the LM step and a solves the same
    /// damped system with the second directional derivative of r along v in place of r; a step whose
    /// acceleration is large, 2‖D·a‖ > α‖D·v‖, is rejected like an uphill one (Transtrum & Sethna,
    /// "Improvements to the Levenberg–Marquardt algorithm for nonlinear least-squares minimization",
    /// arXiv:1201.5885, 2012). It costs one more residual evaluation per iteration and keeps the iteration
    /// out of plateaus a plain Gauss–Newton step jumps into, e.g. BoxBOD from NIST's first start, where
    /// the first step sends b₂ from 1 to ≈115 and e^{−b₂x} underflows.
    public var geodesicAcceleration: Bool = true
    /// α, the largest accepted 2‖D·a‖/‖D·v‖ (Transtrum & Sethna suggest 0.75).
    public var accelerationRatioLimit: Double = 0.75
    /// How to differentiate when the problem has no analytic Jacobian.
    public var finiteDifferences: FiniteDifferenceJacobian = .central

    public init() {}

    /// Minimises ‖r(θ)‖² from `start` (projected onto the bounds first).
    /// - Complexity: per iteration one QR of an (m + p) × p matrix, O((m + p)·p²), one residual
    ///   evaluation, and one Jacobian on acceptance.
    public func minimize(_ problem: LeastSquaresProblem, from start: [Double]) -> LeastSquaresFit {
        precondition(
            start.count == problem.parameterCount,
            "LM: start has \(start.count) values, expected \(problem.parameterCount)")
        precondition(maximumIterations >= 1, "LM: maximumIterations must be at least 1")
        let (m, p) = (problem.residualCount, problem.parameterCount)
        let bounds = problem.bounds
        var evaluations = 0
        func residuals(_ theta: [Double]) -> [Double] {
            evaluations += 1
            let r = problem.residuals(theta)
            precondition(r.count == m, "LM: residual function returned \(r.count) values, expected \(m)")
            return r
        }
        func jacobian(_ theta: [Double], _ r: [Double]) -> Matrix {
            if let analytic = problem.jacobian {
                let jac = analytic(theta)
                precondition(
                    jac.rows == m && jac.columns == p, "LM: Jacobian is \(jac.rows)×\(jac.columns), expected \(m)×\(p)")
                return jac
            }
            let before = evaluations
            let jac = finiteDifferences.jacobian(of: problem.residuals, at: theta, value: r, bounds: bounds)
            evaluations = before + (finiteDifferences == .forward ? p : 2 * p)
            return jac
        }

        var theta = bounds.project(start)
        var r = residuals(theta)
        var jac = Matrix(rows: m, columns: p)
        func finish(_ status: OptimizationStatus, _ iterations: Int) -> LeastSquaresFit {
            LeastSquaresFit(
                parameters: theta, residuals: r, status: status, iterations: iterations,
                residualEvaluations: evaluations, jacobian: jac)
        }
        guard r.allSatisfy(\.isFinite) else { return finish(.nonFiniteObjective, 0) }
        jac = jacobian(theta, r)
        // LAPACK rejects non-finite input as an illegal argument; report it as the data's problem instead.
        let nonFiniteJacobian = OptimizationStatus.numericalFailure("the Jacobian has non-finite entries")
        guard jac.storage.allSatisfy(\.isFinite) else { return finish(nonFiniteJacobian, 0) }

        var sumOfSquares = dot(r, r)
        var scale = columnNorms(jac).map { $0 > 0 ? $0 : 1 }
        var mu = initialDampingFactor * (0..<p).map { j in pow(columnNorm(jac, j) / scale[j], 2) }.max()!
        if mu <= 0 { mu = initialDampingFactor }
        var nu = 2.0

        for iteration in 1...maximumIterations {
            if sumOfSquares == 0 { return finish(.gradientBelowTolerance, iteration - 1) }
            let gradient = jac.times(r, transpose: .transpose)  // Jᵀr, half the gradient of S
            // Hold variables at a bound whose descent direction −g points out of the box.
            let free = (0..<p).filter { j in
                !((theta[j] <= bounds.lower[j] && gradient[j] > 0) || (theta[j] >= bounds.upper[j] && gradient[j] < 0))
            }
            // MINPACK's gtol: the largest |cos| between r and a free column of J.
            let rNorm = sumOfSquares.squareRoot()
            let cosine =
                free.map { j -> Double in
                    let norm = columnNorm(jac, j)
                    return norm > 0 ? abs(gradient[j]) / (norm * rNorm) : 0
                }.max() ?? 0
            if cosine <= gradientTolerance { return finish(.gradientBelowTolerance, iteration - 1) }

            // Damped system over the free variables: [J_F; √μ·D_F]·h_F ≈ [−r; 0].
            let k = free.count
            var augmented = Matrix(rows: m + k, columns: k)
            var rhs = [Double](repeating: 0, count: m + k)
            for (column, j) in free.enumerated() {
                for i in 0..<m { augmented[i, column] = jac[i, j] }
                augmented[m + column, column] = mu.squareRoot() * scale[j]
            }
            for i in 0..<m { rhs[i] = -r[i] }
            guard let reduced = try? augmented.leastSquares(rhs) else {
                return finish(.numericalFailure("the damped Gauss–Newton system is rank deficient"), iteration)
            }
            var velocity = [Double](repeating: 0, count: p)
            for (column, j) in free.enumerated() { velocity[j] = reduced[column] }
            var trial = theta
            for j in 0..<p { trial[j] += velocity[j] }
            if geodesicAcceleration {
                // Second directional derivative of r along v by a finite difference with step 0.1
                // (Transtrum & Sethna's choice), then the acceleration a from the same damped system.
                let probeStep = 0.1
                let probe = bounds.project((0..<p).map { theta[$0] + probeStep * velocity[$0] })
                let probeResiduals = residuals(probe)
                let directional = jac.times((0..<p).map { (probe[$0] - theta[$0]) / probeStep })
                var curvature = [Double](repeating: 0, count: m + k)
                for i in 0..<m {
                    curvature[i] = -(2 / probeStep) * ((probeResiduals[i] - r[i]) / probeStep - directional[i])
                }
                guard probeResiduals.allSatisfy(\.isFinite), let acceleration = try? augmented.leastSquares(curvature)
                else {
                    mu *= nu
                    nu *= 2
                    continue
                }
                let scaledVelocity = free.enumerated().map { scale[$1] * reduced[$0] }
                let scaledAcceleration = free.enumerated().map { scale[$1] * acceleration[$0] }
                if 2 * norm(scaledAcceleration) > accelerationRatioLimit * norm(scaledVelocity) {
                    mu *= nu
                    nu *= 2
                    continue
                }
                for (column, j) in free.enumerated() { trial[j] += 0.5 * acceleration[column] }
            }
            trial = bounds.project(trial)
            let step = (0..<p).map { trial[$0] - theta[$0] }

            let scaledStep = (0..<p).map { scale[$0] * step[$0] }
            let scaledTheta = (0..<p).map { scale[$0] * theta[$0] }
            if norm(scaledStep) <= stepTolerance * (norm(scaledTheta) + stepTolerance) {
                return finish(.stepBelowTolerance, iteration)
            }

            let trialResiduals = residuals(trial)
            let trialSum = trialResiduals.allSatisfy(\.isFinite) ? dot(trialResiduals, trialResiduals) : .infinity
            var linearised = r
            jac.multiply(step, into: &linearised, beta: 1)  // r + J·h
            let predicted = sumOfSquares - dot(linearised, linearised)
            let actual = sumOfSquares - trialSum
            let rho = predicted > 0 ? actual / predicted : -1

            if rho > 0 {
                let converged =
                    actual <= relativeReductionTolerance * sumOfSquares
                    && predicted <= relativeReductionTolerance * sumOfSquares
                theta = trial
                r = trialResiduals
                sumOfSquares = trialSum
                jac = jacobian(theta, r)
                guard jac.storage.allSatisfy(\.isFinite) else { return finish(nonFiniteJacobian, iteration) }
                let norms = columnNorms(jac)
                for j in 0..<p { scale[j] = max(scale[j], norms[j]) }
                if converged { return finish(.relativeReductionBelowTolerance, iteration) }
                mu *= max(1.0 / 3.0, 1 - pow(2 * rho - 1, 3))
                nu = 2
            } else {
                if predicted <= relativeReductionTolerance * sumOfSquares && actual <= 0 && mu > 1e300 {
                    return finish(.relativeReductionBelowTolerance, iteration)
                }
                mu *= nu
                nu *= 2
            }
        }
        return finish(.maximumIterations, maximumIterations)
    }
}

private func dot(_ a: [Double], _ b: [Double]) -> Double { Vector.dot(a, b) }
private func norm(_ a: [Double]) -> Double { Vector.norm(a) }

private func columnNorm(_ a: Matrix, _ j: Int) -> Double {
    var sum = 0.0
    for i in 0..<a.rows { sum += a[i, j] * a[i, j] }
    return sum.squareRoot()
}

private func columnNorms(_ a: Matrix) -> [Double] { (0..<a.columns).map { columnNorm(a, $0) } }

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
