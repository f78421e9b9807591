import SMSClient
/// ISO 8601 timestamps as the provider writes them (`2026-06-01T10:00:00+07:00`, Bangkok
/// time) and as clients send them (any offset, `Z`, optional fraction).
///
/// Hand-written rather than Foundation's formatters: the recipients endpoint formats one
/// timestamp per recipient at hundreds of thousands per second, and results must not depend
/// on the host's locale or time zone.
enum ISOTime {
    /// The provider's offset: +07:00.
    static let providerOffset = 7 * 3600

    /// `epoch` (seconds, fraction dropped) as `YYYY-MM-DDTHH:MM:SS+07:00`.
    static func format(_ epoch: Double) -> String {
        // Years 0001…9999 only: keeps the conversion safe whatever time it is asked for.
        let clamped = epoch.isFinite ? min(max(epoch, -62_135_596_800), 253_402_275_199) : 0
        let local = Int64(clamped.rounded(.down)) + Int64(providerOffset)
        let days = floorDiv(local, 86_400)
        let secondOfDay = Int(local - days * 86_400)
        let (y, m, d) = ISO8601Time.civilFromDays(days)
        // Written in place: this runs once per recipient on every page.
        return String(unsafeUninitializedCapacity: 25) { out in
            func put(_ value: Int, _ width: Int, at offset: Int) {
                var v = value
                for k in stride(from: offset + width - 1, through: offset, by: -1) {
                    out[k] = UInt8(truncatingIfNeeded: 0x30 + v % 10)
                    v /= 10
                }
            }
            put(Int(y), 4, at: 0)
            out[4] = UInt8(ascii: "-")
            put(Int(m), 2, at: 5)
            out[7] = UInt8(ascii: "-")
            put(Int(d), 2, at: 8)
            out[10] = UInt8(ascii: "T")
            put(secondOfDay / 3600, 2, at: 11)
            out[13] = UInt8(ascii: ":")
            put(secondOfDay / 60 % 60, 2, at: 14)
            out[16] = UInt8(ascii: ":")
            put(secondOfDay % 60, 2, at: 17)
            for (k, c) in "+07:00".utf8.enumerated() { out[19 + k] = c }
            return 25
        }
    }

    /// Parses `YYYY-MM-DDTHH:MM:SS[.fff](Z|±HH:MM|±HHMM)`; nil when malformed or without an
    /// offset (a time without an offset is ambiguous, and the API requires one).
    static func parse(_ text: String) -> Double? {
        let b = Array(text.utf8)
        var i = 0
        func number(_ width: Int) -> Int? {
            guard i + width <= b.count else { return nil }
            var v = 0
            for k in i..<(i + width) {
                guard b[k] >= 0x30, b[k] <= 0x39 else { return nil }
                v = v * 10 + Int(b[k] - 0x30)
            }
            i += width
            return v
        }
        func expect(_ c: Character) -> Bool {
            guard i < b.count, b[i] == c.asciiValue! else { return false }
            i += 1
            return true
        }
        guard let year = number(4), expect("-"), let month = number(2), expect("-"), let day = number(2),
            i < b.count, b[i] == UInt8(ascii: "T") || b[i] == UInt8(ascii: "t") || b[i] == UInt8(ascii: " ")
        else { return nil }
        i += 1
        guard let hour = number(2), expect(":"), let minute = number(2), expect(":"), let second = number(2)
        else { return nil }
        guard (1...12).contains(month), day >= 1, Int64(day) <= ISO8601Time.daysIn(month: Int64(month), year: Int64(year)), hour < 24, minute < 60,
            second < 60
        else { return nil }
        var fraction = 0.0
        if i < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ",") {
            i += 1
            var scale = 0.1
            let start = i
            while i < b.count, b[i] >= 0x30, b[i] <= 0x39 {
                fraction += Double(b[i] - 0x30) * scale
                scale /= 10
                i += 1
            }
            if i == start { return nil }
        }
        guard i < b.count else { return nil }
        var offset = 0
        if b[i] == UInt8(ascii: "Z") || b[i] == UInt8(ascii: "z") {
            i += 1
        } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
            let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
            i += 1
            guard let oh = number(2) else { return nil }
            _ = expect(":")
            guard let om = number(2), oh < 24, om < 60 else { return nil }
            offset = sign * (oh * 3600 + om * 60)
        } else {
            return nil
        }
        guard i == b.count else { return nil }
        let days = ISO8601Time.daysFromCivil(year: Int64(year), month: Int64(month), day: Int64(day))
        let seconds = days * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Double(seconds) + fraction
    }

    private static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
