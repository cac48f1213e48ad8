#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A small, fast, seedable random number generator: xoshiro256** seeded through SplitMix64.
///
/// xoshiro256** (Blackman & Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 47(4),
/// 2021) has a 2²⁵⁶ − 1 period and passes BigCrush; SplitMix64 (Steele, Lea & Flood, "Fast splittable
/// pseudorandom number generators", OOPSLA 2014) expands a 64-bit seed into the 256-bit state, as the
/// xoshiro authors recommend.
///
/// Calibration never draws from a shared generator in parallel code. Instead each unit of work (a
/// particle, a proposal, an ensemble member) gets its own generator from `init(seed:stream:substream:)`,
/// which hashes the three keys with SplitMix64's finaliser: results then depend only on the seed and the
/// work item's index, never on how work was split between threads.
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0: UInt64, s1: UInt64, s2: UInt64, s3: UInt64
    /// The second normal of the last polar-method pair, or NaN when none is pending.
    private var spareNormal = Double.nan

    /// A generator from one 64-bit seed.
    public init(seed: UInt64) {
        var sm = seed
        s0 = Self.splitMix(&sm)
        s1 = Self.splitMix(&sm)
        s2 = Self.splitMix(&sm)
        s3 = Self.splitMix(&sm)
    }

    /// An independent-looking generator keyed by (seed, stream, substream), e.g. (seed, generation, particle).
    public init(seed: UInt64, stream: UInt64, substream: UInt64 = 0) {
        var key = seed
        var mixed = Self.splitMix(&key)
        mixed ^= Self.mix(stream &+ 0x632B_E59B_D9B4_E019)
        mixed = Self.mix(mixed)
        mixed ^= Self.mix(substream &+ 0x8CB9_2BA7_2F3D_8DD7)
        self.init(seed: Self.mix(mixed))
    }

    /// SplitMix64's step: advances `state` and returns its finalised value.
    private static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        return mix(state)
    }

    /// SplitMix64's finaliser (a bijective 64-bit mixer).
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    private static func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = Self.rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = Self.rotl(s3, 45)
        return result
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw (Marsaglia & Bray's polar method, SIAM Review 6(3), 1964). Each accepted
    /// pair of uniforms gives two independent normals; the second is returned by the next call (half the
    /// logarithms and square roots), so draws are deterministic for a seed and a sequence of calls.
    public mutating func normal() -> Double {
        if !spareNormal.isNaN {
            let value = spareNormal
            spareNormal = .nan
            return value
        }
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 {
                let factor = (-2 * log(s) / s).squareRoot()
                spareNormal = v * factor
                return u * factor
            }
        }
    }
}
