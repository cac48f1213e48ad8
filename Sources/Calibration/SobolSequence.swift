/// The Sobol low-discrepancy sequence in up to 21 dimensions (Sobol', USSR Comput. Math. & Math. Phys.
/// 7(4), 1967), generated in Gray-code order (Antonov & Saleev 1979; Bratley & Fox, ACM TOMS 14(1), 1988).
///
/// Dimension 1 is van der Corput's sequence in base 2. Dimension d ≥ 2 uses a primitive polynomial
/// x^s + a₁x^{s−1} + … + a_{s−1}x + 1 over GF(2) (coefficients packed into the integer a) and initial
/// direction integers m₁ … m_s; further ones follow the recurrence
///
///     v_k = a₁v_{k−1} ⊕ a₂v_{k−2} ⊕ … ⊕ a_{s−1}v_{k−s+1} ⊕ v_{k−s} ⊕ (v_{k−s} ≫ s),   v_k = m_k·2^{32−k}
///
/// and point n is x_n = x_{n−1} ⊕ v_c with c the position of the lowest zero bit of n − 1. The (s, a, m)
/// values are Joe & Kuo's "new-joe-kuo-6.21201" table, chosen for good two-dimensional projections
/// (Joe & Kuo, "Constructing Sobol sequences with better two-dimensional projections", SIAM J. Sci.
/// Comput. 30(5), 2008; https://web.maths.unsw.edu.au/~fkuo/sobol/), typed here for dimensions 2–21.
/// Points are 32-bit fractions, so at most 2³² points.
///
/// The first point is the origin; `init(dimensions:skipFirst:)` drops it by default, as Saltelli et al.
/// (2010) recommend for sensitivity analysis. Balance properties hold for blocks of 2^k points.
public struct SobolSequence: Sendable {
    /// Joe & Kuo's (s, a, m₁…m_s) for dimensions 2…21.
    static let joeKuo: [(s: Int, a: UInt32, m: [UInt32])] = [
        (1, 0, [1]), (2, 1, [1, 3]), (3, 1, [1, 3, 1]), (3, 2, [1, 1, 1]), (4, 1, [1, 1, 3, 3]),
        (4, 4, [1, 3, 5, 13]), (5, 2, [1, 1, 5, 5, 17]), (5, 4, [1, 1, 5, 5, 5]), (5, 7, [1, 1, 7, 11, 19]),
        (5, 11, [1, 1, 5, 1, 1]), (5, 13, [1, 1, 1, 3, 11]), (5, 14, [1, 3, 5, 5, 31]),
        (6, 1, [1, 3, 3, 9, 7, 49]), (6, 13, [1, 1, 1, 15, 21, 21]), (6, 16, [1, 3, 1, 13, 27, 49]),
        (6, 19, [1, 1, 1, 15, 7, 5]), (6, 22, [1, 3, 1, 15, 13, 25]), (6, 25, [1, 1, 5, 5, 19, 61]),
        (7, 1, [1, 3, 7, 11, 23, 15, 103]), (7, 4, [1, 3, 7, 13, 13, 15, 69]),
    ]

    /// The most dimensions the typed table supports.
    public static let maximumDimensions = joeKuo.count + 1

    /// Number of dimensions.
    public let dimensions: Int
    private let directions: [[UInt32]]  // [dimension][bit], 32 bits each
    private var state: [UInt32]
    private var index: UInt32 = 0

    /// A sequence in `dimensions` dimensions, skipping the origin unless `skipFirst` is false.
    public init(dimensions: Int, skipFirst: Bool = true) {
        precondition(
            dimensions >= 1 && dimensions <= Self.maximumDimensions,
            "Sobol: 1…\(Self.maximumDimensions) dimensions supported, asked for \(dimensions)")
        self.dimensions = dimensions
        var directions: [[UInt32]] = [(1...32).map { UInt32(1) << (32 - $0) }]
        for d in 1..<dimensions {
            let (s, a, m) = Self.joeKuo[d - 1]
            var v = [UInt32](repeating: 0, count: 32)
            for k in 0..<min(s, 32) { v[k] = m[k] << (31 - k) }
            if s < 32 {
                for k in s..<32 {
                    var value = v[k - s] ^ (v[k - s] >> UInt32(s))
                    for i in 1..<s where (a >> UInt32(s - 1 - i)) & 1 == 1 { value ^= v[k - i] }
                    v[k] = value
                }
            }
            directions.append(v)
        }
        self.directions = directions
        self.state = [UInt32](repeating: 0, count: dimensions)
        if skipFirst { _ = next() }
    }

    /// The next point in [0, 1)^d.
    public mutating func next() -> [Double] {
        let point = state.map { Double($0) * 0x1.0p-32 }
        // Advance: flip by the direction number of the lowest zero bit of the current index.
        let c = (~index).trailingZeroBitCount
        precondition(c < 32, "Sobol: the sequence's 2³² points are exhausted")
        for d in 0..<dimensions { state[d] ^= directions[d][c] }
        index &+= 1
        return point
    }
}
