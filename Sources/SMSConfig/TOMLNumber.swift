/// TOML's number syntax: decimal integers with `_` between digits and no leading zeros,
/// `0x`/`0o`/`0b` integers, floats with a fraction and/or exponent, `inf` and `nan`.
enum TOMLNumber {
    /// The number a word spells, or nil when it is not a valid TOML number.
    static func parse(_ word: String) -> TOMLValue? {
        switch word {
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where word.hasPrefix(prefix) {
            let digits = word.dropFirst(2)
            guard separatedDigits(digits, radix: radix) else { return nil }
            return Int64(digits.filter { $0 != "_" }, radix: radix).map { .integer($0) }
        }
        var body = Substring(word)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        if let e = body.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            let mantissa = body[..<e]
            var exponent = body[body.index(after: e)...]
            if exponent.first == "+" || exponent.first == "-" { exponent = exponent.dropFirst() }
            guard validMantissa(mantissa), separatedDigits(exponent, radix: 10) else { return nil }
            return Double(word.filter { $0 != "_" }).map { .float($0) }
        }
        if body.contains(".") {
            guard validMantissa(body) else { return nil }
            return Double(word.filter { $0 != "_" }).map { .float($0) }
        }
        guard separatedDigits(body, radix: 10), !hasLeadingZero(body) else { return nil }
        return Int64(word.filter { $0 != "_" }).map { .integer($0) }
    }

    /// A decimal integer too large for 64 bits (so the message can say so).
    static func isOutOfRangeInteger(_ word: String) -> Bool {
        var body = Substring(word)
        if body.first == "+" || body.first == "-" { body = body.dropFirst() }
        return separatedDigits(body, radix: 10) && !hasLeadingZero(body) && Int64(word.filter { $0 != "_" }) == nil
    }

    /// `1979-05-27`, `07:32:00`, `1979-05-27T07:32:00Z`: TOML dates and times.
    static func looksLikeDateOrTime(_ word: String) -> Bool {
        let c = Array(word)
        func digits(_ r: Range<Int>) -> Bool { r.upperBound <= c.count && r.allSatisfy { c[$0].isASCII && c[$0].isNumber } }
        return (digits(0..<4) && c.count > 4 && c[4] == "-") || (digits(0..<2) && c.count > 2 && c[2] == ":")
    }

    /// `int-part(.frac)?` with the int part free of leading zeros.
    private static func validMantissa(_ m: Substring) -> Bool {
        let parts = m.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, separatedDigits(parts[0], radix: 10), !hasLeadingZero(parts[0]) else { return false }
        return parts.count == 1 || separatedDigits(parts[1], radix: 10)
    }

    private static func hasLeadingZero(_ digits: Substring) -> Bool {
        digits.count > 1 && digits.first == "0"
    }

    /// Digits of the radix, with single `_` only between two digits.
    private static func separatedDigits(_ s: Substring, radix: Int) -> Bool {
        guard let first = s.first, let last = s.last, first != "_", last != "_" else { return false }
        var previousUnderscore = false
        for ch in s {
            if ch == "_" {
                if previousUnderscore { return false }
                previousUnderscore = true
                continue
            }
            previousUnderscore = false
            guard let v = ch.hexDigitValue, v < radix else { return false }
        }
        return true
    }
}
