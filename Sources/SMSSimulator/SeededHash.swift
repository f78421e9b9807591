/// Deterministic pseudo-randomness for the simulator: every "random" choice (a recipient's
/// outcome and delay, a fault, a uuid) is a pure function of the seed and the thing's
/// identity, so a run can be replayed and nothing per recipient needs to be stored.
enum SeededHash {
    /// SplitMix64's finaliser: a good 64-bit mixer.
    @inline(__always)
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    @inline(__always)
    static func hash(_ a: UInt64, _ b: UInt64, _ c: UInt64) -> UInt64 {
        mix(mix(mix(a) ^ b) ^ c)
    }

    /// A uniform value in [0, 1) from the top 53 bits.
    @inline(__always)
    static func unit(_ h: UInt64) -> Double {
        Double(h >> 11) * 0x1p-53
    }
}
