/// Morris's elementary-effects screening: which inputs matter, at r·(d + 1) model runs.
///
/// The box is mapped to the unit cube and discretised into a p-level grid {0, 1/(p−1), …, 1}. A
/// trajectory starts at a random grid point and moves one input at a time, in random order, by
/// ±Δ with Δ = p/(2(p − 1)); each move gives one elementary effect
///
///     EEᵢ = (f(x + Δ·eᵢ) − f(x)) / Δ      (in unit-cube units; multiply by the range for model units)
///
/// (Morris, "Factorial sampling plans for preliminary computational experiments", Technometrics 33(2),
/// 1991). Over r trajectories: μᵢ = mean EEᵢ, μ*ᵢ = mean |EEᵢ| — the ranking measure, which does not let
/// effects of opposite sign cancel (Campolongo, Cariboni & Saltelli, Environ. Model. Softw. 22, 2007) —
/// and σᵢ = standard deviation of EEᵢ (n − 1 denominator), large when Xᵢ acts non-linearly or through
/// interactions. A direction −Δ is taken by starting that coordinate Δ higher, so every point stays on
/// the grid and in the box. Trajectories are drawn from `seed`; model runs go over `threads` threads
/// with results that do not depend on the thread count.
public struct MorrisScreening: Sendable {
    /// Number of trajectories r.
    public var trajectories: Int = 50
    /// Grid levels p (even, so that Δ = p/(2(p − 1)) gives equal-probability sampling).
    public var levels: Int = 4
    public var seed: UInt64 = 1991
    public var threads: Int = 1

    public init() {}

    /// μ, μ* and σ of the elementary effects for each input.
    public struct Measures: Sendable {
        public let mean: [Double]
        public let meanAbsolute: [Double]
        public let standardDeviation: [Double]
        /// Model runs, r·(d + 1).
        public let evaluations: Int
    }

    /// Screens `model` over the box `bounds` (all bounds finite).
    /// - Complexity: r·(d + 1) model runs.
    public func analyze(_ model: @escaping @Sendable ([Double]) -> Double, over bounds: ParameterBounds) -> Measures {
        precondition(bounds.isFinite, "Morris screening needs finite bounds on every input")
        precondition(levels >= 2 && levels % 2 == 0, "Morris screening needs an even number of levels ≥ 2")
        precondition(trajectories >= 2, "Morris screening needs at least two trajectories")
        let d = bounds.count
        let delta = Double(levels) / (2 * Double(levels - 1))
        let lowerLevels = levels / 2  // starting levels 0 … p/2 − 1 leave room for +Δ
        var rng = SeededGenerator(seed: seed)
        // Each trajectory: d + 1 unit-cube points and, per step, the input moved and its signed Δ.
        var points = [[Double]]()
        var moves = [[(input: Int, step: Double)]]()
        for _ in 0..<trajectories {
            var order = Array(0..<d)
            for k in stride(from: d - 1, to: 0, by: -1) { order.swapAt(k, Int(rng.next() % UInt64(k + 1))) }
            let directions = (0..<d).map { _ in rng.next() & 1 == 0 ? 1.0 : -1.0 }
            var x = (0..<d).map { i -> Double in
                let level = Double(Int(rng.next() % UInt64(lowerLevels))) / Double(levels - 1)
                return directions[i] > 0 ? level : level + delta
            }
            points.append(x)
            var steps: [(input: Int, step: Double)] = []
            for i in order {
                x[i] += directions[i] * delta
                points.append(x)
                steps.append((i, directions[i] * delta))
            }
            moves.append(steps)
        }
        let scaled = points.map { u in (0..<d).map { bounds.lower[$0] + u[$0] * (bounds.upper[$0] - bounds.lower[$0]) }
        }
        let outputs = parallelMap(count: scaled.count, threads: threads) { model(scaled[$0]) }

        var effects = [[Double]](repeating: [], count: d)
        for t in 0..<trajectories {
            let base = t * (d + 1)
            for (k, move) in moves[t].enumerated() {
                effects[move.input].append((outputs[base + k + 1] - outputs[base + k]) / move.step)
            }
        }
        let r = Double(trajectories)
        let mean = effects.map { $0.reduce(0, +) / r }
        let meanAbsolute = effects.map { $0.reduce(0) { $0 + abs($1) } / r }
        let sd = (0..<d).map { i in
            (effects[i].reduce(0) { $0 + ($1 - mean[i]) * ($1 - mean[i]) } / (r - 1)).squareRoot()
        }
        return Measures(mean: mean, meanAbsolute: meanAbsolute, standardDeviation: sd, evaluations: outputs.count)
    }
}
