/// Validates, normalises and (optionally) de-duplicates a send's `msisdns`, fast enough for
/// the API's 2,000,000-number maximum.
///
/// Numbers already in a plain form (`66XXXXXXXXX`, `0XXXXXXXXX`) are read straight from their
/// UTF-8 bytes (separators skipped, no allocation); anything else goes through
/// `MSISDN.normalize`, the one definition of a valid number, which also explains rejections.
/// Duplicates are found on the 9 national digits as an integer (see `DuplicateFinder`): at
/// 2,000,000 numbers a `Set<String>` costs several times more.
public enum RecipientNumbers {
    /// The API's limit on numbers per request.
    public static let maximumCount = 2_000_000

    /// Normalised numbers as their 9 national digits, first-occurrence order.
    public struct Normalized: Sendable, Equatable {
        public var national: [UInt32]
        /// How many numbers were dropped as duplicates of an earlier one.
        public var duplicatesRemoved: Int

        /// The normal forms as JSON strings (for small lists and tests; a send writes
        /// `national` straight to JSON bytes instead).
        public var numbers: [JSONValue] { national.map { .string(RecipientNumbers.normalForm($0)) } }
    }

    /// Throws `INVALID_ARGUMENT` for an empty or oversized list and `INVALID_MSISDN` naming the
    /// first invalid number's 1-based index and value.
    public static func normalize(_ list: MSISDNList, dedupe: Bool) throws -> Normalized {
        try checkCount(list.count)
        let keys = try list.nationalNumbers()
        guard dedupe, let repeated = DuplicateFinder.repeatedPositions(keys) else {
            return Normalized(national: keys, duplicatesRemoved: 0)
        }
        var kept: [UInt32] = []
        kept.reserveCapacity(keys.count)
        for i in keys.indices where !repeated[i] { kept.append(keys[i]) }
        return Normalized(national: kept, duplicatesRemoved: keys.count - kept.count)
    }

    public static func normalize(_ raw: [String], dedupe: Bool) throws -> Normalized {
        try normalize(MSISDNList(raw), dedupe: dedupe)
    }

    /// Refuses an empty list, and more numbers than one request may carry (before any is read).
    public static func checkCount(_ count: Int) throws {
        if count == 0 {
            throw SMSError.invalidArgument("msisdns", "'msisdns' is empty: give at least one number")
        }
        if count > maximumCount {
            throw SMSError.invalidArgument(
                "msisdns", "'msisdns' has \(count) numbers; at most \(maximumCount) are allowed per request")
        }
    }

    /// Appends `["66XXXXXXXXX",...]` for `national` to `out`: 14 bytes a number, no `String`s.
    public static func writeJSONArray(_ national: [UInt32], to out: inout [UInt8]) {
        let start = out.count
        // `[`, `]`, 13 bytes a number and a comma between numbers.
        let size = 2 + national.count * 14 - (national.isEmpty ? 0 : 1)
        out.append(contentsOf: repeatElement(0, count: size))
        out.withUnsafeMutableBufferPointer { whole in
            let buf = UnsafeMutableBufferPointer(rebasing: whole[start...])
            var p = 0
            buf[p] = UInt8(ascii: "[")
            p += 1
            for (i, number) in national.enumerated() {
                if i > 0 {
                    buf[p] = UInt8(ascii: ",")
                    p += 1
                }
                buf[p] = 0x22
                buf[p + 1] = 0x36
                buf[p + 2] = 0x36
                var v = number
                for d in stride(from: p + 11, through: p + 3, by: -1) {
                    buf[d] = UInt8(truncatingIfNeeded: v % 10) &+ 0x30
                    v /= 10
                }
                buf[p + 12] = 0x22
                p += 13
            }
            buf[p] = UInt8(ascii: "]")
            assert(p + 1 == size)
        }
    }

    /// The national 9 digits as an integer when the number is `0XXXXXXXXX` or `66XXXXXXXXX`
    /// (spaces, dashes, dots, brackets and tabs allowed between digits), else nil: then
    /// `MSISDN.normalize` decides. Never accepts what `MSISDN.normalize` rejects, and agrees
    /// with its result (tests check this).
    static func plainKey(_ s: String) -> UInt32? {
        var s = s
        return s.withUTF8 { plainKey($0) }
    }

    @inline(__always)
    static func plainKey(_ b: UnsafeBufferPointer<UInt8>) -> UInt32? {
        if b.count > 32 { return nil }
        // Digits are accumulated as a number; the first three decide the form.
        var digits = 0
        var first: UInt8 = 0, second: UInt8 = 0, third: UInt8 = 0
        var value: UInt64 = 0
        for byte in b {
            let d = byte &- 0x30
            if d < 10 {
                digits += 1
                if digits > 11 { return nil }
                if digits == 1 { first = byte } else if digits == 2 { second = byte } else if digits == 3 { third = byte }
                value = value &* 10 &+ UInt64(d)
                continue
            }
            switch byte {
            case 0x20, 0x2D, 0x2E, 0x28, 0x29, 0x5B, 0x5D, 0x09: continue  // space - . ( ) [ ] tab
            default: return nil  // '+', letters, anything else: the slow path explains
            }
        }
        let mobile: UInt8
        if digits == 11, first == 0x36, second == 0x36 {
            mobile = third
            value -= 66_000_000_000
        } else if digits == 10, first == 0x30 {
            mobile = second
        } else {
            return nil
        }
        guard mobile == 0x36 || mobile == 0x38 || mobile == 0x39 else { return nil }
        return UInt32(value)
    }

    /// `66` followed by the 9 national digits.
    static func normalForm(_ national: UInt32) -> String {
        String(unsafeUninitializedCapacity: 11) { buf in
            buf[0] = 0x36
            buf[1] = 0x36
            var v = national
            for i in stride(from: 10, through: 2, by: -1) {
                buf[i] = UInt8(v % 10) + 0x30
                v /= 10
            }
            return 11
        }
    }
}

/// Finds repeated numbers by sorting (national number, position) pairs with a stable LSD radix
/// sort on the number: every pass reads and writes memory in order, where a hash set or a
/// bitmap takes a cache miss per number on a shuffled list (measured 2–4× slower at 2,000,000).
enum DuplicateFinder {
    /// For each position, whether an earlier position holds the same number; nil when no
    /// number repeats. `keys` are national numbers (< 2^30).
    static func repeatedPositions(_ keys: [UInt32]) -> [Bool]? {
        let n = keys.count
        guard n > 1 else { return nil }
        // Number in the high half, position in the low half: sorting by the number keeps
        // equal numbers in position order, so the first of each run is the first occurrence.
        var pairs = [UInt64](unsafeUninitializedCapacity: n) { buffer, count in
            for i in 0..<n { buffer[i] = UInt64(keys[i]) << 32 | UInt64(i) }
            count = n
        }
        var scratch = [UInt64](repeating: 0, count: n)
        // Three passes of 10 bits cover the 30 bits a national number needs (< 10^9 < 2^30);
        // 1,024 counters stay in the L1 cache.
        for shift in [UInt64(32), 42, 52] {
            pairs.withUnsafeBufferPointer { source in
                scratch.withUnsafeMutableBufferPointer { target in
                    var offsets = [Int](repeating: 0, count: 1025)
                    offsets.withUnsafeMutableBufferPointer { offsets in
                        for pair in source { offsets[Int((pair >> shift) & 0x3FF) &+ 1] &+= 1 }
                        for b in 1...1024 { offsets[b] &+= offsets[b &- 1] }
                        for pair in source {
                            let bucket = Int((pair >> shift) & 0x3FF)
                            target[offsets[bucket]] = pair
                            offsets[bucket] &+= 1
                        }
                    }
                }
            }
            swap(&pairs, &scratch)
        }
        var repeated: [Bool]?
        pairs.withUnsafeBufferPointer { sorted in
            for j in 1..<n where sorted[j] >> 32 == sorted[j - 1] >> 32 {
                if repeated == nil { repeated = [Bool](repeating: false, count: n) }
                repeated![Int(sorted[j] & 0xFFFF_FFFF)] = true
            }
        }
        return repeated
    }
}
