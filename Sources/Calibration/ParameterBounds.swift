/// Box bounds `lower ≤ θ ≤ upper` on a parameter vector; either side may be infinite.
///
/// Optimisers enforce them by projection, `P(θ)ᵢ = min(max(θᵢ, lowerᵢ), upperᵢ)`, the nearest point of
/// the box in any norm. Projection keeps every evaluated point feasible (a model may be undefined
/// outside its box, e.g. a negative rate), unlike a transformation such as θ = lower + (upper − lower)·
/// sin²(φ), which distorts the curvature near the bounds and the standard errors computed from it.
public struct ParameterBounds: Sendable, Equatable {
    /// Lower bounds (−∞ for none).
    public let lower: [Double]
    /// Upper bounds (+∞ for none).
    public let upper: [Double]

    /// Bounds from two equally long vectors with `lower ≤ upper` element-wise (a violation traps).
    public init(lower: [Double], upper: [Double]) {
        precondition(lower.count == upper.count, "bounds: \(lower.count) lower and \(upper.count) upper values")
        precondition(zip(lower, upper).allSatisfy { $0 <= $1 }, "bounds: some lower bound exceeds its upper bound")
        self.lower = lower
        self.upper = upper
    }

    /// No bounds on `count` parameters.
    public static func unbounded(_ count: Int) -> ParameterBounds {
        ParameterBounds(
            lower: Array(repeating: -Double.infinity, count: count), upper: Array(repeating: .infinity, count: count))
    }

    /// Number of parameters.
    public var count: Int { lower.count }

    /// Whether every bound is finite (required to sample uniformly from the box).
    public var isFinite: Bool { lower.allSatisfy(\.isFinite) && upper.allSatisfy(\.isFinite) }

    /// The nearest point of the box.
    public func project(_ x: [Double]) -> [Double] {
        precondition(x.count == count, "bounds: point has \(x.count) values, expected \(count)")
        return (0..<count).map { min(max(x[$0], lower[$0]), upper[$0]) }
    }

    /// Whether `x` lies in the box.
    public func contains(_ x: [Double]) -> Bool {
        precondition(x.count == count, "bounds: point has \(x.count) values, expected \(count)")
        return (0..<count).allSatisfy { x[$0] >= lower[$0] && x[$0] <= upper[$0] }
    }
}
