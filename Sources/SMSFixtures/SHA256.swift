/// SHA-256 (FIPS 180-4), streaming. Used for the digest of long number lists in cassettes;
/// written here because smsh takes no crypto package just for one fingerprint.
struct SHA256 {
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
    /// Bytes not yet compressed (always fewer than 64).
    private var pending: [UInt8] = []
    /// Bytes already compressed (whole blocks).
    private var totalBytes: UInt64 = 0

    init() { pending.reserveCapacity(64) }

    mutating func update(_ bytes: some Sequence<UInt8>) {
        let done: Void? = bytes.withContiguousStorageIfAvailable { update(buffer: $0) }
        if done != nil { return }
        for b in bytes { append(b) }
    }

    mutating func update(_ string: String) {
        var s = string
        s.withUTF8 { update(buffer: $0) }
    }

    private mutating func update(buffer: UnsafeBufferPointer<UInt8>) {
        var i = 0
        while i < buffer.count {
            // Whole blocks straight from the caller's memory; odd bytes through `pending`.
            if pending.isEmpty, buffer.count - i >= 64 {
                compress(UnsafeBufferPointer(rebasing: buffer[i..<i + 64]))
                i += 64
            } else {
                let n = min(64 - pending.count, buffer.count - i)
                pending.append(contentsOf: UnsafeBufferPointer(rebasing: buffer[i..<i + n]))
                i += n
                if pending.count == 64 { flushPending() }
            }
        }
    }

    private mutating func append(_ byte: UInt8) {
        pending.append(byte)
        if pending.count == 64 { flushPending() }
    }

    private mutating func flushPending() {
        totalBytes &+= 64
        pending.withUnsafeBufferPointer { SHA256.compress($0, into: &state) }
        pending.removeAll(keepingCapacity: true)
    }

    /// The 32-byte digest. The hasher must not be used afterwards.
    mutating func finalize() -> [UInt8] {
        let messageBits = (totalBytes &+ UInt64(pending.count)) &* 8
        var tail = pending
        tail.append(0x80)
        if tail.count > 56 {
            while tail.count < 64 { tail.append(0) }
            tail.withUnsafeBufferPointer { compress($0) }
            tail.removeAll()
        }
        while tail.count < 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: messageBits >> UInt64(shift))) }
        tail.withUnsafeBufferPointer { compress($0) }
        var out: [UInt8] = []
        out.reserveCapacity(32)
        for word in state {
            for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: word >> UInt32(shift))) }
        }
        return out
    }

    /// Lower-case hex digest of `bytes`.
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(bytes)
        return hexString(hasher.finalize())
    }

    static func hexString(_ digest: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(digest.count * 2)
        for b in digest {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func compress(_ block: UnsafeBufferPointer<UInt8>) {
        totalBytes &+= 64
        SHA256.compress(block, into: &state)
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
