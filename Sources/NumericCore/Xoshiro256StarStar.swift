// xoshiro256** by Blackman and Vigna: a 256-bit state, period 2^256 − 1, with `jump()`
// (advance 2^128 steps) for non-overlapping parallel streams. Seeds are expanded with
// SplitMix64, as its authors recommend.
//   D. Blackman, S. Vigna (2021), "Scrambled linear pseudorandom number generators",
//   ACM TOMS 47(4), article 36. https://doi.org/10.1145/3460772  https://prng.di.unimi.it/
//
// How healthgap splits streams (so that simulated results do not depend on thread count or
// job order): a run has one seed; the generator seeded with it is stream 0, and stream i is
// stream 0 advanced by i jumps. Job i (in the deterministic order of its group keys) always
// uses stream i, whichever thread runs it. `streams(seed:count:)` makes them serially in O(count).

/// The xoshiro256** pseudo-random generator, seedable and splittable by jumps of 2^128.
public struct Xoshiro256StarStar: RandomNumberGenerator, Sendable, Equatable {
    @usableFromInline var s0: UInt64
    @usableFromInline var s1: UInt64
    @usableFromInline var s2: UInt64
    @usableFromInline var s3: UInt64

    /// The four state words; never all zero.
    public var state: (UInt64, UInt64, UInt64, UInt64) {
        get { (s0, s1, s2, s3) }
        set { (s0, s1, s2, s3) = newValue }
    }

    /// Seeds the generator from one 64-bit value, expanded by SplitMix64.
    public init(seed: UInt64) {
        var sm = SplitMix64(state: seed)
        (s0, s1, s2, s3) = (sm.next(), sm.next(), sm.next(), sm.next())
        if (s0 | s1 | s2 | s3) == 0 { s0 = 1 }
    }

    /// Creates a generator from its raw state (not all zero).
    public init(state: (UInt64, UInt64, UInt64, UInt64)) {
        precondition(state != (0, 0, 0, 0), "xoshiro256** state must not be all zero")
        (s0, s1, s2, s3) = state
    }

    /// The next 64 random bits.
    ///
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public mutating func next() -> UInt64 {
        let result = rotateLeft(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = rotateLeft(s3, 45)
        return result
    }

    /// A uniform double in [0, 1) with 53 random bits.
    ///
    /// - Complexity: O(1).
    @inlinable @inline(__always)
    public mutating func nextUniform() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// Advances the state by 2^128 steps: the start of the next non-overlapping stream.
    ///
    /// - Complexity: 256 steps of the generator.
    public mutating func jump() {
        jump(by: (0x180e_c6d3_3cfd_0aba, 0xd5a6_1266_f0c9_392c, 0xa958_2618_e03f_c9aa, 0x39ab_dc45_29b1_661c))
    }

    /// Advances the state by 2^192 steps: for splitting streams again at a coarser level.
    ///
    /// - Complexity: 256 steps of the generator.
    public mutating func longJump() {
        jump(by: (0x76e1_5d3e_fefd_cbbf, 0xc500_4e44_1c52_2fb3, 0x7771_0069_854e_e241, 0x3910_9bb0_2acb_e635))
    }

    /// A copy advanced by one `jump()`.
    public func jumped() -> Xoshiro256StarStar {
        var copy = self
        copy.jump()
        return copy
    }

    /// `count` non-overlapping streams from one seed: stream i is the seeded generator after i jumps.
    ///
    /// - Complexity: O(count) jumps.
    public static func streams(seed: UInt64, count: Int) -> [Xoshiro256StarStar] {
        var result: [Xoshiro256StarStar] = []
        result.reserveCapacity(count)
        var g = Xoshiro256StarStar(seed: seed)
        for _ in 0..<count {
            result.append(g)
            g.jump()
        }
        return result
    }

    private mutating func jump(by table: (UInt64, UInt64, UInt64, UInt64)) {
        var j0: UInt64 = 0, j1: UInt64 = 0, j2: UInt64 = 0, j3: UInt64 = 0
        for word in [table.0, table.1, table.2, table.3] {
            for bit: UInt64 in 0..<64 {
                if word & (1 << bit) != 0 {
                    j0 ^= s0
                    j1 ^= s1
                    j2 ^= s2
                    j3 ^= s3
                }
                _ = next()
            }
        }
        (s0, s1, s2, s3) = (j0, j1, j2, j3)
    }

    /// Two generators are equal when their states are.
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.state == rhs.state }
}

@inlinable @inline(__always)
func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
    (x << k) | (x >> (64 - k))
}

/// SplitMix64 (Steele, Lea, Flood 2014): expands one seed into well-mixed state words.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    /// The running state, advanced by the golden-ratio increment each call.
    public var state: UInt64

    /// Creates the generator with `state` as its starting value.
    public init(state: UInt64) { self.state = state }

    /// The next 64 random bits.
    ///
    /// - Complexity: O(1).
    public mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}
