#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A reproducible stream of random numbers keyed by (seed, member, module, tick).
///
/// Each key selects an independent stream, so a module's draws at tick t of member m never depend on
/// how many numbers any other module, member or tick used, nor on the thread that runs it. Two runs
/// with the same seed — a policy and its baseline — therefore share common random numbers, and their
/// member-by-member differences have low variance.
///
/// The key is mixed into a 256-bit state with SplitMix64 (Steele, Lea & Flood 2014); the stream is
/// xoshiro256** (Blackman & Vigna 2021). Module names are hashed with 64-bit FNV-1a, which, unlike
/// Swift's `Hasher`, is the same in every process.
public struct RandomStream: RandomNumberGenerator, Sendable {
    private var s: (UInt64, UInt64, UInt64, UInt64)

    /// The stream for one key.
    public init(seed: UInt64, member: Int, module: String, tick: Int) {
        var mix = SplitMix64(state: seed)
        var key = mix.next() ^ UInt64(truncatingIfNeeded: member)
        key = SplitMix64.mix(key) ^ RandomStream.fnv1a(module)
        key = SplitMix64.mix(key) ^ UInt64(truncatingIfNeeded: tick)
        var expand = SplitMix64(state: key)
        s = (expand.next(), expand.next(), expand.next(), expand.next())
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = rotl(s.1 &* 5, 7) &* 9
        let t = s.1 << 17
        s.2 ^= s.0
        s.3 ^= s.1
        s.1 ^= s.2
        s.0 ^= s.3
        s.2 ^= t
        s.3 = rotl(s.3, 45)
        return result
    }

    /// A uniform draw in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A standard normal draw (Marsaglia's polar method).
    public mutating func standardNormal() -> Double {
        while true {
            let u = 2 * uniform() - 1
            let v = 2 * uniform() - 1
            let s = u * u + v * v
            if s > 0 && s < 1 { return u * (-2 * log(s) / s).squareRoot() }
        }
    }

    /// A normal draw with mean `mean` and standard deviation `sd`.
    public mutating func normal(mean: Double, sd: Double) -> Double {
        mean + sd * standardNormal()
    }

    /// 64-bit FNV-1a of a string's UTF-8 bytes.
    static func fnv1a(_ text: String) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

/// SplitMix64: a simple, well-mixed generator used to expand keys into xoshiro state.
struct SplitMix64 {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    /// One SplitMix64 output from a state: a bijective 64-bit mixing function.
    static func mix(_ x: UInt64) -> UInt64 {
        var generator = SplitMix64(state: x)
        return generator.next()
    }
}
