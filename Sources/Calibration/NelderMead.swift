/// The Nelder–Mead downhill simplex method, for objectives that are not smooth enough for
/// Levenberg–Marquardt (a stochastic simulator with common random numbers, a piecewise cost).
///
/// A simplex of p + 1 points moves by reflection (α = 1), expansion (γ = 2), outside and inside
/// contraction (β = ½) and shrink (δ = ½) as in Lagarias, Reeds, Wright & Wright, "Convergence properties
/// of the Nelder–Mead simplex method in low dimensions", SIAM J. Optim. 9(1), 1998 (the original is
/// Nelder & Mead, Computer Journal 7, 1965). With `adaptive`, the coefficients depend on the dimension,
/// α = 1, γ = 1 + 2/p, β = 0.75 − 1/(2p), δ = 1 − 1/p (Gao & Han, Comput. Optim. Appl. 51, 2012), which
/// helps beyond about five parameters.
///
/// Bounds are enforced by projecting every trial point onto the box. The initial simplex is the start
/// plus, for each coordinate, a step of 5 % of |θⱼ| (0.00025 when θⱼ = 0; MATLAB's fminsearch rule), taken
/// inwards when it would cross a bound. It stops when the simplex's values agree within
/// `functionTolerance` and its vertices lie within `parameterTolerance` of the best (max-norm), both
/// absolute (fminsearch's TolFun and TolX). Nelder–Mead has no convergence guarantee beyond p = 1
/// (McKinnon, SIAM J. Optim. 9(1), 1998); restart from the result to guard against a collapsed simplex.
public struct NelderMead: Sendable {
    /// Absolute tolerance on the spread of objective values over the simplex.
    public var functionTolerance: Double = 1e-10
    /// Absolute tolerance on the simplex's diameter about its best vertex (max-norm).
    public var parameterTolerance: Double = 1e-10
    /// Limit on objective evaluations.
    public var maximumEvaluations: Int = 20_000
    /// Use Gao & Han's dimension-dependent coefficients.
    public var adaptive: Bool = false

    public init() {}

    /// The result: best point, its value, and how it stopped.
    public struct Result: Sendable {
        public let parameters: [Double]
        public let value: Double
        public let status: OptimizationStatus
        public let iterations: Int
        public let evaluations: Int
    }

    /// Minimises `objective` from `start` within `bounds`.
    /// - Complexity: one or two evaluations per iteration, p + 1 on a shrink.
    public func minimize(
        _ objective: ([Double]) -> Double, from start: [Double], bounds: ParameterBounds? = nil
    ) -> Result {
        let p = start.count
        precondition(p > 0, "Nelder–Mead: no parameters")
        let box = bounds ?? .unbounded(p)
        precondition(box.count == p, "Nelder–Mead: bounds for \(box.count) parameters, expected \(p)")
        let dimension = Double(p)
        let (alpha, gamma, beta, delta) =
            adaptive ? (1.0, 1 + 2 / dimension, 0.75 - 1 / (2 * dimension), 1 - 1 / dimension) : (1.0, 2.0, 0.5, 0.5)

        var evaluations = 0
        func f(_ x: [Double]) -> Double {
            evaluations += 1
            let v = objective(x)
            return v.isNaN ? .infinity : v
        }
        let x0 = box.project(start)
        var simplex = [x0]
        for j in 0..<p {
            var vertex = x0
            var step = x0[j] != 0 ? 0.05 * abs(x0[j]) : 0.00025
            if vertex[j] + step > box.upper[j] { step = -step }
            vertex[j] = min(max(vertex[j] + step, box.lower[j]), box.upper[j])
            simplex.append(vertex)
        }
        var values = simplex.map(f)
        if !values[0].isFinite && values.allSatisfy({ !$0.isFinite }) {
            return Result(
                parameters: x0, value: values[0], status: .nonFiniteObjective, iterations: 0, evaluations: evaluations)
        }

        var iterations = 0
        while true {
            // Order vertices by value (stable, so ties keep their age as Lagarias et al. require).
            let order = (0...p).sorted { values[$0] < values[$1] }
            simplex = order.map { simplex[$0] }
            values = order.map { values[$0] }

            let spread = values[p] - values[0]
            let diameter = (1...p).map { k in (0..<p).map { abs(simplex[k][$0] - simplex[0][$0]) }.max()! }.max()!
            if spread <= functionTolerance && diameter <= parameterTolerance {
                return Result(
                    parameters: simplex[0], value: values[0], status: .simplexConverged, iterations: iterations,
                    evaluations: evaluations)
            }
            if evaluations >= maximumEvaluations {
                return Result(
                    parameters: simplex[0], value: values[0], status: .maximumEvaluations, iterations: iterations,
                    evaluations: evaluations)
            }
            iterations += 1

            var centroid = [Double](repeating: 0, count: p)
            for k in 0..<p {
                for j in 0..<p { centroid[j] += simplex[k][j] / dimension }
            }
            func toward(_ coefficient: Double) -> [Double] {
                box.project((0..<p).map { centroid[$0] + coefficient * (simplex[p][$0] - centroid[$0]) })
            }
            let reflected = toward(-alpha)
            let fr = f(reflected)
            if fr < values[0] {
                let expanded = toward(-alpha * gamma)
                let fe = f(expanded)
                if fe < fr {
                    simplex[p] = expanded
                    values[p] = fe
                } else {
                    simplex[p] = reflected
                    values[p] = fr
                }
                continue
            }
            if fr < values[p - 1] {
                simplex[p] = reflected
                values[p] = fr
                continue
            }
            let outside = fr < values[p]
            let contracted = toward(outside ? -alpha * beta : beta)
            let fc = f(contracted)
            if (outside && fc <= fr) || (!outside && fc < values[p]) {
                simplex[p] = contracted
                values[p] = fc
                continue
            }
            for k in 1...p {
                simplex[k] = box.project((0..<p).map { simplex[0][$0] + delta * (simplex[k][$0] - simplex[0][$0]) })
                values[k] = f(simplex[k])
            }
        }
    }
}
