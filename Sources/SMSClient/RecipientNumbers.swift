/// Validates, normalises and (optionally) de-duplicates a send's `msisdns`, fast enough for
/// the API's 2,000,000-number maximum.
///
/// Numbers already in a plain form (`66XXXXXXXXX`, `0XXXXXXXXX`) are read straight from their
/// UTF-8 bytes; anything else goes through `MSISDN.normalize`, the one definition of a valid
/// number. Duplicates are found on the number's integer value (a `Set<UInt64>`), which is
/// cheaper than hashing strings.
public enum RecipientNumbers {
    /// The API's limit on numbers per request.
    public static let maximumCount = 2_000_000

    public struct Normalized: Sendable {
        /// Normal forms (`66XXXXXXXXX`), first occurrence order, as JSON strings for the body.
        public var numbers: [JSONValue]
        /// How many numbers were dropped as duplicates of an earlier one.
        public var duplicatesRemoved: Int
    }

    /// Throws `INVALID_ARGUMENT` for an empty or oversized list and `INVALID_MSISDN` naming the
    /// first invalid number's 1-based index and value.
    public static func normalize(_ raw: [String], dedupe: Bool) throws -> Normalized {
        if raw.isEmpty {
            throw SMSError.invalidArgument("msisdns", "'msisdns' is empty: give at least one number")
        }
        if raw.count > maximumCount {
            throw SMSError.invalidArgument(
                "msisdns", "'msisdns' has \(raw.count) numbers; at most \(maximumCount) are allowed per request")
        }
        var numbers: [JSONValue] = []
        numbers.reserveCapacity(raw.count)
        var seen = Set<UInt64>()
        if dedupe { seen.reserveCapacity(raw.count) }
        var duplicates = 0
        for index in raw.indices {
            let value = raw[index]
            let key: UInt64
            if let fast = plainKey(value) {
                key = fast
            } else {
                switch MSISDN.normalize(value) {
                case .success(let normal): key = plainKey(normal)!
                case .failure(let reason): throw SMSError.invalidMSISDN(index: index + 1, value: value, reason: reason)
                }
            }
            if dedupe, !seen.insert(key).inserted {
                duplicates += 1
                continue
            }
            numbers.append(.string(normalForm(key)))
        }
        return Normalized(numbers: numbers, duplicatesRemoved: duplicates)
    }

    /// The national 9 digits as an integer for a number in plain form, else nil.
    /// Agrees with `MSISDN.normalize` on every plain-form input (tests check this).
    static func plainKey(_ s: String) -> UInt64? {
        var s = s
        return s.withUTF8 { b -> UInt64? in
            let start: Int
            if b.count == 11, b[0] == 0x36, b[1] == 0x36 {
                start = 2
            } else if b.count == 10, b[0] == 0x30 {
                start = 1
            } else {
                return nil
            }
            let first = b[start]
            guard first == 0x36 || first == 0x38 || first == 0x39 else { return nil }
            var v: UInt64 = 0
            for i in start..<b.count {
                let d = b[i] &- 0x30
                guard d < 10 else { return nil }
                v = v * 10 + UInt64(d)
            }
            return v
        }
    }

    /// `66` followed by the 9 national digits.
    static func normalForm(_ national: UInt64) -> String {
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
