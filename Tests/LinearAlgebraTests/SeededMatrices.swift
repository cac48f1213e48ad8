import LinearAlgebra

/// A small deterministic generator (SplitMix64) so every test input can be reproduced from its seed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

extension Matrix {
    /// Entries uniform in [−1, 1).
    static func random(rows: Int, columns: Int, using generator: inout SeededGenerator) -> Matrix {
        Matrix(rows: rows, columns: columns,
               columnMajor: (0..<(rows * columns)).map { _ in Double.random(in: -1..<1, using: &generator) })
    }

    /// Largest absolute entry of A − B.
    func maxDifference(_ other: Matrix) -> Double {
        zip(storage, other.storage).map { abs($0 - $1) }.max() ?? 0
    }
}
