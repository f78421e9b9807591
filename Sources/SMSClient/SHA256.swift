/// SHA-256 (FIPS 180-4), streaming. Used for the digest of long number lists in cassettes,
/// campaign send keys (`TextDigest`) and trusted plugin folders (SMSState's PluginTrust);
/// written here because smsh takes no crypto package just for one fingerprint.
public struct SHA256 {
    private static let k: [UInt32] = [
        0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
        0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
        0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
        0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
        0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
        0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
        0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
        0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
    ]

    private var state: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    /// Bytes not yet compressed: the first `buffered` of these 64.
    private var buffer = [UInt8](repeating: 0, count: 64)
    private var buffered = 0
    /// Bytes already compressed (whole blocks).
    private var totalBytes: UInt64 = 0

    public init() {}

    public mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: $0) }
        if done != nil { return }
        for b in bytes { update(byte: b) }
    }

    public mutating func update(_ string: String) {
        var s = string
        s.withUTF8 { update(buffer: $0) }
    }

    public mutating func update(byte: UInt8) {
        buffer[buffered] = byte
        buffered += 1
        if buffered == 64 { flush() }
    }

    // Copies with memory moves rather than element by element: the unit tests run debug builds,
    // where a 2,000,000-number digest would otherwise take many seconds.
    private mutating func update(buffer source: UnsafeBufferPointer<UInt8>) {
        guard let base = source.baseAddress, !source.isEmpty else { return }
        var i = 0
        let n = source.count
        if buffered > 0 {
            let take = min(64 - buffered, n)
            let start = buffered
            buffer.withUnsafeMutableBufferPointer { ($0.baseAddress! + start).update(from: base, count: take) }
            buffered += take
            i = take
            if buffered == 64 { flush() }
        }
        while n - i >= 64 {
            totalBytes &+= 64
            SHA256.compress(UnsafeBufferPointer(start: base + i, count: 64), into: &state)
            i += 64
        }
        if i < n {
            let rest = n - i
            buffer.withUnsafeMutableBufferPointer { $0.baseAddress!.update(from: base + i, count: rest) }
            buffered = rest
        }
    }

    private mutating func flush() {
        totalBytes &+= 64
        buffer.withUnsafeBufferPointer { SHA256.compress($0, into: &state) }
        buffered = 0
    }

    /// The 32-byte digest. The hasher must not be used afterwards.
    public mutating func finalize() -> [UInt8] {
        let messageBits = (totalBytes &+ UInt64(buffered)) &* 8
        var tail = Array(buffer[0..<buffered])
        tail.append(0x80)
        if tail.count > 56 {
            while tail.count < 64 { tail.append(0) }
            tail.withUnsafeBufferPointer { SHA256.compress($0, into: &state) }
            tail.removeAll()
        }
        while tail.count < 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: messageBits >> UInt64(shift))) }
        tail.withUnsafeBufferPointer { SHA256.compress($0, into: &state) }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in state {
            for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return out
    }

    /// Lower-case hex digest of `bytes`.
    public static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hexString(hasher.finalize())
    }

    public static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func compress(_ block: UnsafeBufferPointer<UInt8>, into state: inout [UInt32]) {
        // Raw pointers and locals throughout: debug builds (which run the unit tests) would
        // otherwise spend most of their time in array bounds and uniqueness checks.
        let p = block.baseAddress!
        withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { wBuffer in
            let w = wBuffer.baseAddress!
            for i in 0..<16 {
                let j = i &* 4
                w[i] = UInt32(p[j]) << 24 | UInt32(p[j &+ 1]) << 16 | UInt32(p[j &+ 2]) << 8 | UInt32(p[j &+ 3])
            }
            for i in 16..<64 {
                let x = w[i &- 15], y = w[i &- 2]
                let s0 = (x >> 7 | x << 25) ^ (x >> 18 | x << 14) ^ (x >> 3)
                let s1 = (y >> 17 | y << 15) ^ (y >> 19 | y << 13) ^ (y >> 10)
                w[i] = w[i &- 16] &+ s0 &+ w[i &- 7] &+ s1
            }
            state.withUnsafeMutableBufferPointer { stateBuffer in
                let h0 = stateBuffer.baseAddress!
                SHA256.k.withUnsafeBufferPointer { kBuffer in
                    let k = kBuffer.baseAddress!
                    var a = h0[0], b = h0[1], c = h0[2], d = h0[3]
                    var e = h0[4], f = h0[5], g = h0[6], h = h0[7]
                    for i in 0..<64 {
                        let s1 = (e >> 6 | e << 26) ^ (e >> 11 | e << 21) ^ (e >> 25 | e << 7)
                        let ch = (e & f) ^ (~e & g)
                        let t1 = h &+ s1 &+ ch &+ k[i] &+ w[i]
                        let s0 = (a >> 2 | a << 30) ^ (a >> 13 | a << 19) ^ (a >> 22 | a << 10)
                        let maj = (a & b) ^ (a & c) ^ (b & c)
                        h = g; g = f; f = e; e = d &+ t1
                        d = c; c = b; b = a; a = t1 &+ s0 &+ maj
                    }
                    h0[0] &+= a; h0[1] &+= b; h0[2] &+= c; h0[3] &+= d
                    h0[4] &+= e; h0[5] &+= f; h0[6] &+= g; h0[7] &+= h
                }
            }
        }
    }
}
