public import LinearAlgebra

/// A small deterministic generator (SplitMix64; Steele, Lea & Flood 2014) so every test input can be
/// reproduced from its seed. The one copy for every test target: print the seed when a test fails.
public struct SeededGenerator: RandomNumberGenerator {
    public var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// A uniform double in [0, 1): the top 53 bits of the next output over 2⁵³.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) / Double(1 << 53)
    }
}

extension Matrix {
    /// Entries uniform in [−1, 1).
    public static func random(rows: Int, columns: Int, using generator: inout SeededGenerator) -> Matrix {
        Matrix(
            rows: rows, columns: columns,
            columnMajor: (0..<(rows * columns)).map { _ in Double.random(in: -1..<1, using: &generator) })
    }

    /// Largest absolute entry of A − B.
    public func maxDifference(_ other: Matrix) -> Double {
        zip(storage, other.storage).map { abs($0 - $1) }.max() ?? 0
    }
}
