public import LinearAlgebra

/// How a static user-equilibrium assignment is solved.
public enum AssignmentAlgorithm: String, Sendable, Hashable, CaseIterable {
    /// Frank–Wolfe (Frank & Wolfe 1956; LeBlanc, Morlok & Pierskalla 1975) with an exact line search.
    case frankWolfe = "fw"
    /// Conjugate Frank–Wolfe (Mitradjieva & Lindberg 2013).
    case conjugateFrankWolfe = "cfw"
    /// Bi-conjugate Frank–Wolfe (Mitradjieva & Lindberg 2013).
    case biconjugateFrankWolfe = "bfw"
    /// Algorithm B, bush-based (Dial 2006), for very small gaps.
    case algorithmB = "bush"
}

/// Why an assignment stopped. Only `.converged` means the gap target was met; the others are results, not errors.
public enum AssignmentStatus: String, Sendable, Hashable {
    case converged
    case iterationLimit
    case timeLimit
}

/// Convergence measures at one iterate, all computed from a fresh shortest-path pass at that iterate's costs.
///
/// With TSTT = Σ_a x_a c_a(x) and SPTT = Σ_od q_od π_od(c(x)) (least OD costs at the same costs):
/// relative gap = (TSTT − SPTT) / TSTT, average excess cost = (TSTT − SPTT) / Σ_od q_od, and the Beckmann objective
/// is ``VolumeDelay/beckmann(_:)``. The gap is 0 exactly at user equilibrium (Wardrop 1952) and bounds how far the
/// objective is from its optimum: Z(x) − Z* ≤ TSTT − SPTT.
public struct IterationRecord: Sendable, Hashable {
    /// 0 is the starting point (all-or-nothing at free flow, or the warm start); k after k steps.
    public var iteration: Int
    public var relativeGap: Double
    public var averageExcessCost: Double
    public var beckmann: Double
    /// Total system travel (generalized) cost Σ x c.
    public var totalSystemTravelTime: Double
    /// The step length taken to reach this iterate (Frank–Wolfe family), nil otherwise.
    public var stepSize: Double?
    /// Seconds since the solve began.
    public var elapsedSeconds: Double
}

/// Settings of a solve. Defaults: bi-conjugate Frank–Wolfe to relative gap 1e-6 (the accuracy for published
/// comparisons) in at most 1 000 iterations, on all cores.
public struct AssignmentOptions: Sendable {
    public var algorithm: AssignmentAlgorithm
    public var relativeGap: Double
    public var maxIterations: Int
    /// Wall-clock limit; nil for none.
    public var timeLimit: Duration?
    /// Threads for shortest paths; nil = all cores. Results do not depend on it.
    public var threads: Int?
    /// Link flows to start from. They must be feasible for this demand (conservation is checked). The Frank–Wolfe
    /// family starts from them; Algorithm B (without ``warmStartBushes``) builds its first bushes as the shortest-path
    /// trees at their costs, since link flows do not say which origin uses which link.
    public var warmStartFlows: [Double]?
    /// A previous bush solution to start Algorithm B from; demand may differ (``BushState``).
    public var warmStartBushes: BushState?
    /// Called once per iterate, in order.
    public var progress: (@Sendable (IterationRecord) -> Void)?

    public init(
        algorithm: AssignmentAlgorithm = .biconjugateFrankWolfe, relativeGap: Double = 1e-6, maxIterations: Int = 1000,
        timeLimit: Duration? = nil, threads: Int? = nil, warmStartFlows: [Double]? = nil,
        warmStartBushes: BushState? = nil, progress: (@Sendable (IterationRecord) -> Void)? = nil
    ) {
        self.algorithm = algorithm
        self.relativeGap = relativeGap
        self.maxIterations = maxIterations
        self.timeLimit = timeLimit
        self.threads = threads
        self.warmStartFlows = warmStartFlows
        self.warmStartBushes = warmStartBushes
        self.progress = progress
    }
}

/// The outcome of a solve: flows, costs and the whole convergence history, whether or not the target was met.
public struct AssignmentResult: Sendable {
    public var status: AssignmentStatus
    public var algorithm: AssignmentAlgorithm
    /// Link volumes in the network's link order.
    public var flows: [Double]
    /// Generalized link costs at `flows`.
    public var costs: [Double]
    public var history: [IterationRecord]
    /// Demand assigned (off-diagonal) and demand ignored because origin = destination.
    public var assignedDemand: Double
    public var intrazonalDemand: Double
    /// The bushes (Algorithm B only), for a later warm start.
    public var bushes: BushState?

    public var final: IterationRecord { history[history.count - 1] }
    public var relativeGap: Double { final.relativeGap }
    public var beckmann: Double { final.beckmann }
    public var totalSystemTravelTime: Double { final.totalSystemTravelTime }
    public var iterations: Int { final.iteration }
}

/// Static user-equilibrium traffic assignment with BPR link costs.
///
/// User equilibrium (Wardrop 1952): every used path between an OD pair has the least cost. With separable increasing
/// link costs it is the minimum of the Beckmann objective Z(x) = Σ_a ∫₀^{x_a} c_a over the flows that carry the
/// demand (Beckmann, McGuire & Winsten 1956); link flows are unique where costs strictly increase.
///
/// - Frank–Wolfe family (``AssignmentAlgorithm/frankWolfe``, ``AssignmentAlgorithm/conjugateFrankWolfe``,
///   ``AssignmentAlgorithm/biconjugateFrankWolfe``): linearise Z at x, solve the linear problem by all-or-nothing
///   (target y), choose a search target s (y itself, or a combination of y with the previous targets conjugate with
///   respect to the diagonal Hessian H = diag(c'_a(x_a)), Mitradjieva & Lindberg 2013, *Transportation Science*
///   47(2)), and move to x + λ(s − x) with λ ∈ [0, 1] minimising Z exactly (``lineSearch``).
/// - Algorithm B (Dial 2006, *Transportation Research B* 40(10)): see ``BushAssignment``.
///
/// Each iterate is scored by a fresh shortest-path pass (``IterationRecord``), and the solve stops at the first of:
/// gap ≤ target, `maxIterations` steps, the time limit. Non-convergence is a status in the result.
public enum Assignment {
    public static func solve(
        _ network: Network, demand: Matrix, options: AssignmentOptions = AssignmentOptions()
    ) throws -> AssignmentResult {
        let z = network.zoneCount
        guard demand.rows == z && demand.columns == z else {
            throw TrafficError.invalidDemand("the demand is \(demand.rows)×\(demand.columns) but the network has \(z) zones")
        }
        for v in demand.storage where !(v.isFinite && v >= 0) {
            throw TrafficError.invalidDemand("a demand entry is negative or not finite (\(v))")
        }
        guard options.relativeGap >= 0, options.maxIterations >= 0 else {
            throw TrafficError.invalidDemand("relative gap and iteration limit must be non-negative")
        }
        switch options.algorithm {
        case .algorithmB:
            return try BushAssignment.solve(network, demand: demand, options: options)
        default:
            return try FrankWolfe.solve(network, demand: demand, options: options)
        }
    }

    /// Off-diagonal and diagonal demand totals.
    static func demandTotals(_ demand: Matrix) -> (assigned: Double, intrazonal: Double) {
        var total = 0.0, diagonal = 0.0
        for v in demand.storage { total += v }
        for i in 0..<demand.rows { diagonal += demand[i, i] }
        return (total - diagonal, diagonal)
    }

    /// The convergence record for flows `x` at costs `c` given SPTT from a fresh shortest-path pass.
    /// A duration in seconds, for iteration records.
    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) * 1e-18
    }

    /// Why an assignment stops after recording iteration `k`, or nil to go on: converged at the
    /// requested gap, else out of iterations, else out of time (checked in that order, so a run that
    /// converges on its last allowed iteration reports convergence).
    static func stopReason(
        _ record: IterationRecord, iteration k: Int, options: AssignmentOptions,
        elapsed: Duration
    ) -> AssignmentStatus? {
        if record.relativeGap <= options.relativeGap { return .converged }
        if k >= options.maxIterations { return .iterationLimit }
        if let limit = options.timeLimit, elapsed >= limit { return .timeLimit }
        return nil
    }

    static func record(
        _ network: Network, iteration: Int, flows x: [Double], costs c: [Double], sptt: Double, demand: Double,
        step: Double?, elapsed: Double
    ) -> IterationRecord {
        var tstt = 0.0
        for a in 0..<x.count { tstt += x[a] * c[a] }
        let excess = tstt - sptt
        return IterationRecord(
            iteration: iteration, relativeGap: tstt > 0 ? excess / tstt : 0,
            averageExcessCost: demand > 0 ? excess / demand : 0, beckmann: network.delay.beckmann(x),
            totalSystemTravelTime: tstt, stepSize: step, elapsedSeconds: elapsed)
    }

    /// Checks that `flows` carry `demand`: at every node, inflow − outflow = attracted − produced demand, to
    /// 1e-7 of the total demand (so rounding in a saved solution passes, a wrong matrix does not).
    public static func checkConservation(_ network: Network, flows: [Double], demand: Matrix) throws {
        guard flows.count == network.linkCount else {
            throw TrafficError.invalidWarmStart("\(flows.count) flows for \(network.linkCount) links")
        }
        if let bad = flows.firstIndex(where: { !($0.isFinite && $0 >= 0) }) {
            throw TrafficError.invalidWarmStart("link \(bad + 1) has flow \(flows[bad])")
        }
        let imbalance = nodeImbalance(network, flows: flows, demand: demand)
        let tolerance = 1e-7 * max(1, demandTotals(demand).assigned)
        if let i = imbalance.indices.max(by: { abs(imbalance[$0]) < abs(imbalance[$1]) }), abs(imbalance[i]) > tolerance {
            throw TrafficError.invalidWarmStart("flow is not conserved at node \(i + 1) (off by \(imbalance[i]))")
        }
    }

    /// inflow − outflow − (attracted − produced) at every node; zero for a feasible flow.
    public static func nodeImbalance(_ network: Network, flows: [Double], demand: Matrix) -> [Double] {
        var balance = [Double](repeating: 0, count: network.nodeCount)
        for a in 0..<network.linkCount {
            balance[Int(network.head[a])] += flows[a]
            balance[Int(network.tail[a])] -= flows[a]
        }
        let z = network.zoneCount
        for o in 0..<z {
            for d in 0..<z where d != o {
                let q = demand[o, d]
                balance[d] -= q
                balance[o] += q
            }
        }
        return balance
    }

    /// Exact line search: the λ ∈ [0, 1] that minimises Z(x + λ d).
    ///
    /// Z is convex along the segment, so λ* solves g(λ) = Σ_a c_a(x_a + λ d_a) d_a = 0 (or is an end point where g
    /// does not change sign). Safeguarded Newton with g'(λ) = Σ_a c'_a(x_a + λ d_a) d_a², falling back to bisection
    /// whenever Newton leaves the bracket; stops when the bracket is below 1e-15 or g = 0.
    /// - Complexity: O(L) per evaluation, typically under 10 evaluations.
    public static func lineSearch(_ delay: VolumeDelay, flows x: [Double], direction d: [Double]) -> Double {
        var active: [Int] = []
        for a in 0..<d.count where d[a] != 0 { active.append(a) }
        func g(_ lambda: Double) -> (Double, Double) {
            var value = 0.0, slope = 0.0
            for a in active {
                let v = x[a] + lambda * d[a]
                value += delay.cost(a, v) * d[a]
                slope += delay.derivative(a, v) * d[a] * d[a]
            }
            return (value, slope)
        }
        let (g0, _) = g(0)
        if g0 >= 0 { return 0 }
        let (g1, _) = g(1)
        if g1 <= 0 { return 1 }
        var lo = 0.0, hi = 1.0
        var lambda = g0 / (g0 - g1)  // secant start
        for _ in 0..<200 {
            let (value, slope) = g(lambda)
            if value == 0 { return lambda }
            if value < 0 { lo = lambda } else { hi = lambda }
            if hi - lo <= 1e-15 { break }
            var next = slope > 0 ? lambda - value / slope : .nan
            if !(next > lo && next < hi) { next = 0.5 * (lo + hi) }
            if abs(next - lambda) <= 1e-15 { return next }
            lambda = next
        }
        return lambda
    }
}
