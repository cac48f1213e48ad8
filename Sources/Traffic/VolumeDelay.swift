import Foundation

/// Link generalized cost from the BPR volume–delay function, for all links of a network (struct of arrays).
///
///     c_a(v) = t₀_a · (1 + b_a · (v / C_a)^p_a) + f_a,     f_a = tollFactor · toll_a + distanceFactor · length_a
///
/// (Bureau of Public Roads, *Traffic Assignment Manual*, 1964; b = 0.15, p = 4 in the original calibration, but each
/// TNTP link carries its own.) The Beckmann objective (Beckmann, McGuire & Winsten 1956) is the sum of the integrals
///
///     Z(x) = Σ_a ∫₀^{x_a} c_a(w) dw = Σ_a [ t₀_a · (x_a + b_a · C_a / (p_a + 1) · (x_a / C_a)^(p_a + 1)) + f_a · x_a ],
///
/// which is convex, and strictly so on links with b, p > 0; user equilibrium minimises it over feasible flows.
/// Links with `b = 0` or `p = 0` have constant cost `t₀ (1 + b) + f` and zero derivative; a zero free-flow time gives
/// a link that costs only its fixed part. Capacity is never 0 on a flow-dependent link (``Network`` checks).
/// - Complexity: O(1) per link.
public struct VolumeDelay: Sendable {
    public let freeFlowTime: [Double]
    public let b: [Double]
    public let power: [Double]
    public let capacity: [Double]
    /// The fixed part f_a of the generalized cost.
    public let fixedCost: [Double]

    public init(links: [Link], tollFactor: Double, distanceFactor: Double) {
        freeFlowTime = links.map(\.freeFlowTime)
        b = links.map { $0.hasConstantTime ? ($0.power == 0 ? $0.b : 0) : $0.b }
        power = links.map { $0.hasConstantTime ? 0 : $0.power }
        capacity = links.map { $0.capacity > 0 ? $0.capacity : 1 }
        fixedCost = links.map { tollFactor * $0.toll + distanceFactor * $0.length }
    }

    public var count: Int { freeFlowTime.count }

    @inline(__always)
    static func ratioPower(_ r: Double, _ p: Double) -> Double {
        switch p {
        case 4: let r2 = r * r; return r2 * r2
        case 1: return r
        case 2: return r * r
        case 3: return r * r * r
        case 5: let r2 = r * r; return r2 * r2 * r
        case 0: return 1
        default: return pow(r, p)
        }
    }

    /// Travel time t_a(v) without the fixed part.
    @inline(__always)
    public func time(_ a: Int, _ v: Double) -> Double {
        let p = power[a]
        if p == 0 { return freeFlowTime[a] * (1 + b[a]) }
        return freeFlowTime[a] * (1 + b[a] * VolumeDelay.ratioPower(max(v, 0) / capacity[a], p))
    }

    /// Generalized cost c_a(v) = t_a(v) + f_a.
    @inline(__always)
    public func cost(_ a: Int, _ v: Double) -> Double { time(a, v) + fixedCost[a] }

    /// dc_a/dv = t₀ · b · p / C · (v / C)^(p − 1); 0 on constant-time links.
    @inline(__always)
    public func derivative(_ a: Int, _ v: Double) -> Double {
        let p = power[a]
        if p == 0 || b[a] == 0 || freeFlowTime[a] == 0 { return 0 }
        let c = capacity[a]
        let r = max(v, 0) / c
        return freeFlowTime[a] * b[a] * p / c * (p == 1 ? 1 : VolumeDelay.ratioPower(r, p - 1))
    }

    /// ∫₀^v c_a(w) dw.
    @inline(__always)
    public func integral(_ a: Int, _ v: Double) -> Double {
        let p = power[a]
        let x = max(v, 0)
        if p == 0 { return (freeFlowTime[a] * (1 + b[a]) + fixedCost[a]) * x }
        let c = capacity[a]
        return freeFlowTime[a] * (x + b[a] * c / (p + 1) * VolumeDelay.ratioPower(x / c, p + 1)) + fixedCost[a] * x
    }

    /// Costs of all links at `flows`.
    public func costs(_ flows: [Double]) -> [Double] {
        var out = [Double](repeating: 0, count: count)
        for a in 0..<count { out[a] = cost(a, flows[a]) }
        return out
    }

    /// The Beckmann objective Z(x).
    public func beckmann(_ flows: [Double]) -> Double {
        var z = 0.0
        for a in 0..<count { z += integral(a, flows[a]) }
        return z
    }
}
