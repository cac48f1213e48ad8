import Calibration
import Foundation
import LinearAlgebra
import Testing

/// The log relative error −log₁₀(|estimate − certified| / |certified|): the number of agreeing digits
/// (McCullough, "Assessing the reliability of statistical software", Am. Stat. 52, 1998).
func agreeingDigits(_ estimate: Double, _ certified: Double) -> Double {
    if estimate == certified { return 15 }
    return -log10(abs(estimate - certified) / abs(certified))
}

/// The least-squares problem r(b) = f(x; b) − y with the analytic Jacobian.
func leastSquaresProblem(_ problem: NISTProblem, analytic: Bool = true) -> LeastSquaresProblem {
    let model = NISTModel.named(problem.name)
    let (x, y) = (problem.x, problem.y)
    let p = problem.certified.count
    let jacobian: @Sendable ([Double]) -> Matrix = { b in
        var jac = Matrix(rows: x.count, columns: p)
        for i in 0..<x.count {
            let g = model.gradient(x[i], b)
            for j in 0..<p { jac[i, j] = g[j] }
        }
        return jac
    }
    return LeastSquaresProblem(
        parameterCount: p, residualCount: x.count,
        residuals: { b in (0..<x.count).map { model.value(x[$0], b) - y[$0] } },
        jacobian: analytic ? jacobian : nil)
}

@Suite("Levenberg–Marquardt on NIST StRD nonlinear regression")
struct LevenbergMarquardtTests {
    static let problems = [
        "Bennett5", "BoxBOD", "Chwirut2", "DanWood", "Eckerle4", "Lanczos3", "MGH09", "Misra1a", "Rat43", "Thurber",
    ]

    /// Six significant digits of every certified parameter and of the certified residual sum of squares,
    /// from both NIST starting points (the StRD's own yardstick: LRE ≥ 6; Lanczos3's data carry 5–6
    /// digits, and its certified values are still reached).
    @Test("certified parameters and residual sum of squares to 6 digits from both starts", arguments: problems)
    func certifiedValues(name: String) throws {
        let problem = try NISTProblem(name: name)
        let lsq = leastSquaresProblem(problem)
        for (index, start) in problem.starts.enumerated() {
            let fit = LevenbergMarquardt().minimize(lsq, from: start)
            let parameterDigits = zip(fit.parameters, problem.certified).map { agreeingDigits($0, $1) }
            let rssDigits = agreeingDigits(fit.residualSumOfSquares, problem.certifiedResidualSumOfSquares)
            print(
                "NIST \(name) start \(index + 1): \(fit.status), \(fit.iterations) iterations, \(fit.residualEvaluations) evaluations; "
                    + "digits b = \(parameterDigits.map { String(format: "%.1f", $0) }.joined(separator: " ")), "
                    + "RSS \(String(format: "%.1f", rssDigits)) (\(fit.residualSumOfSquares))")
            #expect(fit.status.isConverged, "\(name) start \(index + 1): \(fit.status)")
            #expect(parameterDigits.allSatisfy { $0 >= 6 }, "\(name) start \(index + 1): parameters \(fit.parameters)")
            #expect(rssDigits >= 6, "\(name) start \(index + 1): RSS \(fit.residualSumOfSquares)")
            // The certified standard deviations are s·√diag((JᵀJ)⁻¹): 4 digits is what a 6-digit
            // estimate supports (the Jacobian at θ̂ carries the estimate's error).
            let se = try #require(fit.standardErrors)
            let seDigits = zip(se, problem.certifiedStandardDeviations).map { agreeingDigits($0, $1) }
            #expect(seDigits.allSatisfy { $0 >= 4 }, "\(name) start \(index + 1): standard errors \(se)")
        }
    }

    /// Finite differences (central) on the same problems from the closer start: the fit must not need
    /// an analytic Jacobian for the easier cases.
    @Test(
        "central finite differences reach 6 digits on the lower-difficulty problems",
        arguments: ["Chwirut2", "DanWood", "Misra1a"])
    func finiteDifferences(name: String) throws {
        let problem = try NISTProblem(name: name)
        let fit = LevenbergMarquardt().minimize(leastSquaresProblem(problem, analytic: false), from: problem.starts[1])
        #expect(fit.status.isConverged)
        #expect(zip(fit.parameters, problem.certified).allSatisfy { agreeingDigits($0, $1) >= 6 }, "\(fit.parameters)")
        #expect(agreeingDigits(fit.residualSumOfSquares, problem.certifiedResidualSumOfSquares) >= 6)
    }

    /// An upper bound below the unconstrained optimum of Misra1a's b2 holds b2 on the bound, and b1
    /// is then the 1-parameter least-squares optimum given b2 (a linear problem: b1 = Σyφ/Σφ², φ = 1 − e^{−b2x}).
    @Test("an active upper bound is respected and the free parameter is optimal given it")
    func activeBound() throws {
        let problem = try NISTProblem(name: "Misra1a")
        let bound = 4.0e-4  // certified b2 = 5.5016e-4
        let bounded = leastSquaresProblem(problem).with(bounds: ParameterBounds(lower: [0, 0], upper: [1e4, bound]))
        let fit = LevenbergMarquardt().minimize(bounded, from: problem.starts[0])
        #expect(fit.status.isConverged, "\(fit.status)")
        #expect(fit.parameters[1] == bound)
        let phi = problem.x.map { 1 - exp(-bound * $0) }
        let b1 = zip(problem.y, phi).map { $0 * $1 }.reduce(0, +) / phi.map { $0 * $0 }.reduce(0, +)
        #expect(abs(fit.parameters[0] - b1) <= 1e-8 * b1, "b1 \(fit.parameters[0]) vs \(b1)")
    }

    @Test("the correlation matrix has a unit diagonal and is symmetric")
    func correlation() throws {
        let problem = try NISTProblem(name: "Misra1a")
        let fit = LevenbergMarquardt().minimize(leastSquaresProblem(problem), from: problem.starts[0])
        let c = try #require(fit.correlation)
        #expect(abs(c[0, 0] - 1) < 1e-12 && abs(c[1, 1] - 1) < 1e-12)
        #expect(abs(c[0, 1] - c[1, 0]) < 1e-12 && abs(c[0, 1]) < 1)
    }

    @Test("a non-finite start is reported, not a crash")
    func nonFinite() {
        let problem = LeastSquaresProblem(parameterCount: 1, residualCount: 2, residuals: { b in [log(b[0]), 1] })
        let fit = LevenbergMarquardt().minimize(problem, from: [-1])
        #expect(fit.status == .nonFiniteObjective)
    }
}

@Suite("Nelder–Mead")
struct NelderMeadTests {
    /// Rosenbrock's valley, minimum 0 at (1, 1), from the classic start (−1.2, 1).
    @Test("Rosenbrock from (−1.2, 1) to 1e-6")
    func rosenbrock() {
        let result = NelderMead().minimize(
            { x in 100 * pow(x[1] - x[0] * x[0], 2) + pow(1 - x[0], 2) }, from: [-1.2, 1])
        #expect(result.status == .simplexConverged)
        #expect(abs(result.parameters[0] - 1) < 1e-6 && abs(result.parameters[1] - 1) < 1e-6, "\(result.parameters)")
    }

    /// With the box x ≤ 0.5 the constrained minimum of Rosenbrock is on the bound at (0.5, 0.25).
    @Test("bounds by projection: constrained Rosenbrock minimum on the bound")
    func bounded() {
        let bounds = ParameterBounds(lower: [-2, -2], upper: [0.5, 2])
        let result = NelderMead().minimize(
            { x in 100 * pow(x[1] - x[0] * x[0], 2) + pow(1 - x[0], 2) }, from: [-1.2, 1], bounds: bounds)
        #expect(
            abs(result.parameters[0] - 0.5) < 1e-6 && abs(result.parameters[1] - 0.25) < 1e-6, "\(result.parameters)")
    }

    /// Misra1a's sum of squares, scaled parameters: Nelder–Mead reaches the certified RSS to 6 digits.
    @Test("Misra1a sum of squares with the adaptive coefficients")
    func misra() throws {
        let problem = try NISTProblem(name: "Misra1a")
        let model = NISTModel.named("Misra1a")
        var optimiser = NelderMead()
        optimiser.adaptive = true
        optimiser.functionTolerance = 1e-12
        optimiser.parameterTolerance = 1e-12
        // Optimise u = (b1/100, b2·1e4) so that both coordinates are O(1).
        let result = optimiser.minimize(
            { u in
                let b = [u[0] * 100, u[1] * 1e-4]
                return zip(problem.x, problem.y).map { pow(model.value($0, b) - $1, 2) }.reduce(0, +)
            }, from: [problem.starts[0][0] / 100, problem.starts[0][1] * 1e4])
        #expect(agreeingDigits(result.value, problem.certifiedResidualSumOfSquares) >= 6, "\(result)")
    }
}
