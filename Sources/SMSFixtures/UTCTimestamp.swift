import SMSClient

/// ISO 8601 timestamps for a cassette's `recordedAt`, without Foundation's formatters so the
/// text is the same on every platform: written as `2026-11-29T11:50:01Z`; read also with
/// fractional seconds or a `+07:00` offset, since people edit cassettes by hand.
enum UTCTimestamp {
    static func format(_ epochSeconds: Double) -> String {
        ISO8601Time.formatUTC(epochSeconds: epochSeconds)
    }

    /// Epoch seconds, or nil when the text is not `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM)`.
    static func parse(_ text: String) -> Double? {
        let c = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int64? {
            guard from + count <= c.count else { return nil }
            var v: Int64 = 0
            for b in c[from..<from + count] {
                guard b >= 0x30, b <= 0x39 else { return nil }
                v = v * 10 + Int64(b - 0x30)
            }
            return v
        }
        func at(_ i: Int, _ ch: Character) -> Bool { i < c.count && c[i] == ch.asciiValue! }
        guard let y = number(0, 4), at(4, "-"), let mo = number(5, 2), at(7, "-"), let d = number(8, 2),
            at(10, "T") || at(10, "t") || at(10, " "), let h = number(11, 2), at(13, ":"), let mi = number(14, 2),
            at(16, ":"), let s = number(17, 2),
            (1...12).contains(mo), (1...31).contains(d), h < 24, mi < 60, s < 61
        else { return nil }
        var i = 19
        var fraction = 0.0
        if at(i, ".") {
            i += 1
            var scale = 0.1
            while i < c.count, c[i] >= 0x30, c[i] <= 0x39 {
                fraction += Double(c[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
        }
        var offset: Int64 = 0
        if at(i, "Z") || at(i, "z") {
            i += 1
        } else if at(i, "+") || at(i, "-") {
            guard let oh = number(i + 1, 2), at(i + 3, ":"), let om = number(i + 4, 2) else { return nil }
            offset = (oh * 3600 + om * 60) * (at(i, "-") ? -1 : 1)
            i += 6
        } else {
            return nil
        }
        guard i == c.count else { return nil }
        let dayNumber = ISO8601Time.daysFromCivil(year: y, month: mo, day: d)
        return Double(dayNumber * 86_400 + h * 3600 + mi * 60 + s - offset) + fraction
    }
}
