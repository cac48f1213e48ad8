import LinearAlgebra

/// Frank–Wolfe, conjugate and bi-conjugate Frank–Wolfe for static user equilibrium.
///
/// Iterate k: costs c = c(x_k); all-or-nothing at c gives the target y_k and the shortest-path total (so the gap of
/// x_k comes from the same pass); then a search target s_k, direction d_k = s_k − x_k, exact step λ_k and
/// x_{k+1} = x_k + λ_k d_k. With H = diag(c'_a(x_k)):
///
/// - FW: s_k = y_k (Frank & Wolfe 1956; LeBlanc, Morlok & Pierskalla 1975).
/// - CFW: s_k = α s_{k−1} + (1 − α) y_k with α chosen so that s_k − x_k is H-conjugate to s_{k−1} − x_k:
///   α = N / D, N = (s_{k−1} − x_k)ᵀ H (y_k − x_k), D = (s_{k−1} − x_k)ᵀ H (y_k − s_{k−1}), clamped to [0, 1 − δ]
///   with δ = 1e-6 (Mitradjieva & Lindberg 2013, eq. for CFW).
/// - BFW: s_k = β₀ y_k + β₁ s_{k−1} + β₂ s_{k−2}, conjugate to the last two directions:
///   with d̄ = s_{k−1} − x_k and d̿ = τ s_{k−1} − x_k + (1 − τ) s_{k−2} (τ = λ_{k−1}),
///   μ = −d̿ᵀH(y − x) / d̿ᵀH(s_{k−2} − s_{k−1}),  ν = μ τ / (1 − τ) − d̄ᵀH(y − x) / d̄ᵀH d̄,  both clamped at 0,
///   β₀ = 1 / (1 + μ + ν), β₁ = ν β₀, β₂ = μ β₀ (Mitradjieva & Lindberg 2013, section 3).
///
/// Conjugate targets are convex combinations of extreme points, so they stay feasible. The method falls back to the
/// plain FW target after a full step (λ = 1, conjugacy lost), when a denominator is 0, or when the conjugate
/// direction is not a descent direction.
enum FrankWolfe {
    static func solve(_ network: Network, demand: Matrix, options: AssignmentOptions) throws -> AssignmentResult {
        let clock = ContinuousClock()
        let start = clock.now
        func elapsed() -> Double { Assignment.seconds(clock.now - start) }
        let delay = network.delay
        let l = network.linkCount
        let totals = Assignment.demandTotals(demand)
        let threads = options.threads

        var x: [Double]
        if let warm = options.warmStartFlows {
            try Assignment.checkConservation(network, flows: warm, demand: demand)
            x = warm
        } else {
            x = try AllOrNothing.load(network, demand: demand, costs: delay.costs([Double](repeating: 0, count: l)), threads: threads)
                .volumes
        }
        var history: [IterationRecord] = []
        var previousTarget: [Double]? = nil  // s_{k−1}
        var olderTarget: [Double]? = nil  // s_{k−2}
        var previousStep = 1.0  // λ_{k−1}
        var olderStep = 1.0  // λ_{k−2}
        var lastStep: Double? = nil
        var status = AssignmentStatus.iterationLimit
        var k = 0
        while true {
            let c = delay.costs(x)
            let aon = try AllOrNothing.load(network, demand: demand, costs: c, threads: threads)
            let rec = Assignment.record(
                network, iteration: k, flows: x, costs: c, sptt: aon.shortestPathCost, demand: totals.assigned,
                step: lastStep, elapsed: elapsed())
            history.append(rec)
            options.progress?(rec)
            if let reason = Assignment.stopReason(rec, iteration: k, options: options, elapsed: clock.now - start) {
                status = reason
                break
            }
            let y = aon.volumes
            var target = y
            let hessian = (0..<l).map { delay.derivative($0, x[$0]) }
            switch options.algorithm {
            case .conjugateFrankWolfe:
                if let s1 = previousTarget, previousStep < 1 {
                    conjugate(&target, fwTarget: y, previous: s1, at: x, hessian: hessian)
                }
            case .biconjugateFrankWolfe:
                if let s1 = previousTarget, let s2 = olderTarget, previousStep < 1, olderStep < 1 {
                    let tau = previousStep
                    var n1 = 0.0, d1 = 0.0, n2 = 0.0, d2 = 0.0
                    for a in 0..<l {
                        let h = hessian[a]
                        let dbb = h * (tau * s1[a] - x[a] + (1 - tau) * s2[a])
                        n1 += dbb * (y[a] - x[a])
                        d1 += dbb * (s2[a] - s1[a])
                        let db = h * (s1[a] - x[a])
                        n2 += db * (y[a] - x[a])
                        d2 += db * (s1[a] - x[a])
                    }
                    if d1 != 0 && d2 != 0 {
                        let mu = max(0, -n1 / d1)
                        let nu = max(0, mu * tau / (1 - tau) - n2 / d2)
                        let b0 = 1 / (1 + mu + nu), b1 = nu * b0, b2 = mu * b0
                        for a in 0..<l { target[a] = b0 * y[a] + b1 * s1[a] + b2 * s2[a] }
                    }
                } else if let s1 = previousTarget, previousStep < 1 {
                    // One previous target only: the conjugate (CFW) combination, as BFW's first step.
                    conjugate(&target, fwTarget: y, previous: s1, at: x, hessian: hessian)
                }
            default:
                break
            }
            var direction = [Double](repeating: 0, count: l)
            var descent = 0.0
            for a in 0..<l {
                direction[a] = target[a] - x[a]
                descent += c[a] * direction[a]
            }
            if descent >= 0 && target != y {
                // The conjugate target does not descend: restart from the FW target.
                target = y
                for a in 0..<l { direction[a] = y[a] - x[a] }
            }
            let lambda = Assignment.lineSearch(delay, flows: x, direction: direction)
            for a in 0..<l { x[a] = max(0, x[a] + lambda * direction[a]) }
            olderTarget = previousTarget
            previousTarget = target
            olderStep = previousStep
            previousStep = lambda
            lastStep = lambda
            k += 1
        }
        return AssignmentResult(
            status: status, algorithm: options.algorithm, flows: x, costs: delay.costs(x), history: history,
            assignedDemand: totals.assigned, intrazonalDemand: totals.intrazonal, bushes: nil)
    }

    /// The conjugate (CFW) target: α·s₁ + (1 − α)·y with α = d̄ᵀH(y − x) / d̄ᵀH(y − s₁), d̄ = s₁ − x,
    /// clamped to [0, 1 − 10⁻⁶]; left as the FW target when the denominator is 0.
    private static func conjugate(
        _ target: inout [Double], fwTarget y: [Double], previous s1: [Double], at x: [Double],
        hessian: [Double]
    ) {
        var n = 0.0, dd = 0.0
        for a in y.indices {
            let h = hessian[a] * (s1[a] - x[a])
            n += h * (y[a] - x[a])
            dd += h * (y[a] - s1[a])
        }
        guard dd != 0 else { return }
        let alpha = min(max(n / dd, 0), 1 - 1e-6)
        for a in y.indices { target[a] = alpha * s1[a] + (1 - alpha) * y[a] }
    }
}
