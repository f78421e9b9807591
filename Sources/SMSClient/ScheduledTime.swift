/// When a scheduled send should go out: an ISO 8601 time with an offset, or epoch seconds
/// (what Lua's `os.time()` returns).
///
/// Either form is sent as ISO 8601 in Bangkok time, `2026-06-01T10:00:00+07:00`, whole seconds:
/// one canonical form on the wire keeps requests comparable (fixtures match bodies).
public enum ScheduledTime: Sendable, Equatable {
    case iso8601(String)
    case epochSeconds(Double)

    /// Bangkok, the provider's home: UTC+7, no daylight saving.
    static let wireOffsetSeconds: Int64 = 7 * 3600
    /// 10000-01-01T00:00:00Z: later times do not fit four year digits.
    static let latestEpoch: Double = 253_402_300_800

    /// Seconds since the epoch, or nil when the value is not a valid time.
    public var secondsSinceEpoch: Int64? {
        switch self {
        case .epochSeconds(let s):
            guard s.isFinite, s >= 0, s < Self.latestEpoch else { return nil }
            return Int64(s.rounded(.down))
        case .iso8601(let text):
            return ISO8601Time.parse(text)
        }
    }

    /// The wire form, or an `INVALID_ARGUMENT` error naming `scheduledTime`.
    public func wireValue() throws -> String {
        guard let seconds = secondsSinceEpoch else {
            let shown: String
            switch self {
            case .iso8601(let text): shown = SMSError.quoted(text)
            case .epochSeconds(let s): shown = "\(s)"
            }
            throw SMSError.invalidArgument(
                "scheduledTime",
                "'scheduledTime' = \(shown) is not an ISO 8601 time with offset "
                    + "(e.g. 2026-06-01T10:00:00+07:00) or epoch seconds")
        }
        return ISO8601Time.format(epochSeconds: seconds, offsetSeconds: Self.wireOffsetSeconds)
    }
}

/// A small exact ISO 8601 reader/writer for `YYYY-MM-DDTHH:MM[:SS[.fff]](Z|±HH:MM|±HHMM)`.
public enum ISO8601Time {
    public static func parse(_ text: String) -> Int64? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int64? {
            guard i + width <= b.count else { return nil }
            var v: Int64 = 0
            for k in i..<(i + width) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int64(b[k] - 0x30)
            }
            i += width
            return v
        }
        func literal(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), literal(0x2D), let month = number(2), literal(0x2D), let day = number(2)
        else { return nil }
        guard literal(UInt8(ascii: "T")) || literal(UInt8(ascii: "t")) || literal(UInt8(ascii: " ")) else { return nil }
        guard let hour = number(2), literal(0x3A), let minute = number(2) else { return nil }
        var second: Int64 = 0
        if literal(0x3A) {
            guard let s = number(2) else { return nil }
            second = s
            if literal(UInt8(ascii: ".")) || literal(UInt8(ascii: ",")) {
                let start = i
                while i < b.count, b[i] >= 0x30, b[i] <= 0x39 { i += 1 }
                if i == start { return nil }
            }
        }
        var offset: Int64
        if literal(UInt8(ascii: "Z")) || literal(UInt8(ascii: "z")) {
            offset = 0
        } else if i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign: Int64 = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2) else { return nil }
            _ = literal(0x3A)
            guard let om = number(2), oh <= 23, om <= 59 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        guard (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year),
            hour <= 23, minute <= 59, second <= 59
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let result = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return result >= 0 ? result : nil
    }

    /// `2026-11-29T11:50:01Z`: UTC, whole seconds (log lines, cassettes, the journal).
    public static func formatUTC(epochSeconds: Double) -> String {
        let total = Int64(epochSeconds.rounded(.down))
        let days = total >= 0 ? total / 86_400 : (total - 86_399) / 86_400
        let secs = total - days * 86_400
        let (y, m, d) = civilFromDays(days)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))Z"
    }

    public static func format(epochSeconds: Int64, offsetSeconds: Int64) -> String {
        let local = epochSeconds + offsetSeconds
        let days = local >= 0 ? local / 86400 : (local - 86399) / 86400
        let secs = local - days * 86400
        let (y, m, d) = civilFromDays(days)
        let sign = offsetSeconds < 0 ? "-" : "+"
        let off = abs(offsetSeconds)
        return "\(pad(y, 4))-\(pad(m, 2))-\(pad(d, 2))T\(pad(secs / 3600, 2)):\(pad(secs / 60 % 60, 2)):\(pad(secs % 60, 2))"
            + "\(sign)\(pad(off / 3600, 2)):\(pad(off / 60 % 60, 2))"
    }

    private static func pad(_ v: Int64, _ width: Int) -> String {
        let s = String(v)
        return String(repeating: "0", count: max(0, width - s.count)) + s
    }

    public static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 (H. Hinnant's `days_from_civil`).
    public static func daysFromCivil(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// (year, month, day) of a day count since 1970-01-01.
    public static func civilFromDays(_ days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }
}
