import Foundation
public import LinearAlgebra

/// How trip-making falls off with generalized cost c (minutes): the deterrence function f(c) of the gravity model.
///
/// - `exponential(beta)`: f = e^(−β c) (Wilson 1967, entropy maximisation).
/// - `power(alpha)`: f = c^(−α) (the classical Newtonian form).
/// - `combined(alpha, beta)`: f = c^(−α) e^(−β c) (the gamma or Tanner function; Ortúzar & Willumsen,
///   *Modelling Transport*, 4th ed., §5.5).
///
/// Costs are floored at `costFloor` before the power is taken (c^(−α) diverges at 0, and intrazonal costs are
/// often 0); an infinite cost (no path) gives f = 0.
public enum Deterrence: Sendable, Hashable {
    case exponential(beta: Double)
    case power(alpha: Double)
    case combined(alpha: Double, beta: Double)

    public func value(_ cost: Double, costFloor: Double = 1) -> Double {
        guard cost.isFinite else { return 0 }
        switch self {
        case .exponential(let beta): return exp(-beta * cost)
        case .power(let alpha): return pow(max(cost, costFloor), -alpha)
        case .combined(let alpha, let beta):
            let c = max(cost, costFloor)
            return pow(c, -alpha) * exp(-beta * c)
        }
    }
}

/// A doubly-constrained distribution and how well it meets its margins.
public struct GravityResult: Sendable {
    /// Trips `T[i, j]` from zone i to zone j.
    public var trips: Matrix
    public var iterations: Int
    /// max_i |Σ_j T_ij − O_i| / O_i over zones with O_i > 0 (columns are met exactly after the last half-step).
    public var worstRowError: Double
}

/// The doubly-constrained gravity model, solved by Furness balancing (Furness 1965), also known as iterative
/// proportional fitting (Deming & Stephan 1940) or the RAS method.
///
///     T_ij = r_i · F_ij · s_j,   F_ij = f(c_ij),   Σ_j T_ij = O_i,   Σ_i T_ij = D_j
///
/// Alternate r ← O ⊘ (F s) and s ← D ⊘ (Fᵀ r) — two matrix–vector products (BLAS dgemv) per iteration — until every
/// row total is within `tolerance` (relative) of its production; columns then hold exactly. Attractions are first scaled
/// to the production total (Σ D = Σ O is necessary). The iteration converges whenever a matrix with F's zero pattern
/// meets the margins (Sinkhorn 1967; Bacharach 1965); otherwise the method stops at `maxIterations` and throws.
/// - Complexity: O(Z²) per iteration; usually tens of iterations for 1e-12.
public enum Gravity {
    public static func distribute(
        productions: [Double], attractions: [Double], costs: Matrix, deterrence: Deterrence, costFloor: Double = 1,
        tolerance: Double = 1e-12, maxIterations: Int = 10_000
    ) throws -> GravityResult {
        let z = productions.count
        precondition(attractions.count == z && costs.rows == z && costs.columns == z, "shapes differ")
        for (k, v) in (productions + attractions).enumerated() where !(v.isFinite && v >= 0) {
            throw TrafficError.infeasible("\(k < z ? "production" : "attraction") of zone \(k % z + 1) is \(v)")
        }
        let totalO = productions.reduce(0, +), totalD = attractions.reduce(0, +)
        guard totalO > 0 else { return GravityResult(trips: Matrix(rows: z, columns: z), iterations: 0, worstRowError: 0) }
        guard totalD > 0 else { throw TrafficError.infeasible("trips are produced but no zone attracts any") }
        let d = attractions.map { $0 * totalO / totalD }
        var f = Matrix(rows: z, columns: z)
        for j in 0..<z {
            for i in 0..<z { f[i, j] = deterrence.value(costs[i, j], costFloor: costFloor) }
        }
        var r = [Double](repeating: 1, count: z)
        var s = [Double](repeating: 1, count: z)
        var worst = Double.infinity
        var iterations = 0
        while iterations < maxIterations {
            iterations += 1
            let fs = f.times(s)
            for i in 0..<z {
                if productions[i] == 0 { r[i] = 0; continue }
                guard fs[i] > 0 else {
                    throw TrafficError.infeasible("zone \(i + 1) produces trips but can reach no attracting zone")
                }
                r[i] = productions[i] / fs[i]
            }
            let ftr = f.times(r, transpose: .transpose)
            for j in 0..<z {
                if d[j] == 0 { s[j] = 0; continue }
                guard ftr[j] > 0 else {
                    throw TrafficError.infeasible("zone \(j + 1) attracts trips but no producing zone reaches it")
                }
                s[j] = d[j] / ftr[j]
            }
            let rows = f.times(s)
            worst = 0
            for i in 0..<z where productions[i] > 0 {
                worst = max(worst, abs(r[i] * rows[i] - productions[i]) / productions[i])
            }
            if worst <= tolerance { break }
        }
        guard worst <= tolerance else {
            throw TrafficError.infeasible(
                "Furness balancing did not meet the margins in \(maxIterations) iterations (row error \(worst)); some zones may be unreachable"
            )
        }
        var trips = f
        for j in 0..<z {
            for i in 0..<z { trips[i, j] = r[i] * f[i, j] * s[j] }
        }
        return GravityResult(trips: trips, iterations: iterations, worstRowError: worst)
    }
}
