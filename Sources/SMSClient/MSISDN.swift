/// Thai mobile numbers, as the API accepts them (`0XXXXXXXXX` or `66XXXXXXXXX`).
///
/// Normal form is `66` + 9 digits (`081-234-5678` → `66812345678`), so `0812345678` and
/// `66812345678` (the same subscriber) dedupe to one recipient. Accepted as Thai operators write
/// them: a `+66`, `0066` or `66` prefix, a `(0)` trunk digit after it (`+66 (0) 81 234 5678`),
/// any spaces (no-break and other Unicode spaces included), dots, dashes and brackets between
/// digits, Thai digits (`๐๘๑…`), and a 9-digit mobile number whose leading 0 a spreadsheet
/// dropped (`812345678`). A mobile number's first national digit is 6, 8 or 9.
public enum MSISDN {
    public enum Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        /// A character that is not a digit or a separator, and its 1-based position (in
        /// Unicode scalars, which is characters for everything a number holds).
        case badCharacter(Character, position: Int)
        /// More national digits than 9 after `prefix` (`"0"`, `"66"`, `"+66"`, `"0066"` or
        /// `""` for none).
        case tooManyDigits(prefix: String, national: Int)
        case tooFewDigits(prefix: String, national: Int)
        /// The number as written up to its first national digit (`"02"`, `"+662"`), which is
        /// not 6, 8 or 9.
        case notMobile(prefix: String)
        /// A `+` or `00` international number whose country code is not 66 (`"+1"`, `"0044"`).
        case notThai(prefix: String)

        public var description: String {
            switch self {
            case .empty: return "is empty"
            case .badCharacter(let c, let position):
                let shown = VisibleText.escaped(String(c))
                let what = c.isLetter ? "the letter '\(shown)'" : "'\(shown)'"
                return "contains \(what) at position \(position)"
            case .tooManyDigits(let prefix, let n):
                return "has too many digits (\(Invalid.written(prefix, n)); expected \(Invalid.expected(prefix)))"
            case .tooFewDigits(let prefix, let n):
                return "has too few digits (\(Invalid.written(prefix, n)); expected \(Invalid.expected(prefix)))"
            case .notMobile(let prefix):
                return "starts \(prefix), not a mobile prefix (06, 08 or 09)"
            case .notThai(let prefix):
                return "starts \(prefix)…, not Thailand's country code (+66 or 0066)"
            }
        }

        private static func written(_ prefix: String, _ national: Int) -> String {
            prefix.isEmpty ? "\(national) digits with no 0 or 66 in front" : "\(prefix) + \(national) digits"
        }

        private static func expected(_ prefix: String) -> String {
            prefix.isEmpty ? "9, or 0 + 9" : "\(prefix) + 9"
        }
    }

    /// The normal form `66XXXXXXXXX`, or why the number is not a Thai mobile number.
    ///
    /// The plain forms (`0XXXXXXXXX`, `66XXXXXXXXX`) take a byte fast path
    /// (`RecipientNumbers.plainKey`) before they get here; this is the one definition of a
    /// valid number, and the one that explains a refusal.
    public static func normalize(_ raw: String) -> Result<String, Invalid> {
        var digits: [UInt8] = []  // digit values 0...9
        digits.reserveCapacity(16)
        var sawPlus = false
        var openedAt: Int?  // digits.count at the last '(' or '['
        var trunkAt: Int?  // the index of a "(0)" digit after the country code
        var position = 0
        for scalar in raw.unicodeScalars {
            position += 1
            let v = scalar.value
            if let d = digitValue(v) {
                digits.append(d)
                if digits.count > 32 { return .failure(.tooManyDigits(prefix: "", national: digits.count)) }
                continue
            }
            switch v {
            case 0x28, 0x5B:  // ( [
                openedAt = digits.count
            case 0x29, 0x5D:  // ) ]
                if let o = openedAt, digits.count == o + 1, digits[o] == 0, isCountryCode(digits[..<o], plus: sawPlus) {
                    trunkAt = o
                }
                openedAt = nil
            case 0x2B where !sawPlus && digits.isEmpty:  // one leading +
                sawPlus = true
            default:
                if isSeparator(scalar) { continue }
                return .failure(.badCharacter(Character(scalar), position: position))
            }
        }
        if let t = trunkAt { digits.remove(at: t) }
        if digits.isEmpty { return .failure(.empty) }

        let prefix: String
        if sawPlus {
            guard digits.starts(with: [6, 6]) else { return .failure(.notThai(prefix: "+" + text(digits.prefix(2)))) }
            prefix = "+66"
        } else if digits.starts(with: [0, 0]) {
            guard digits.dropFirst(2).starts(with: [6, 6]) else {
                return .failure(.notThai(prefix: text(digits.prefix(4))))
            }
            prefix = "0066"
        } else if digits.first == 0 {
            prefix = "0"
        } else if digits.starts(with: [6, 6]), digits.count >= 10 {
            prefix = "66"
        } else {
            prefix = ""
        }
        var national = digits.dropFirst(prefix == "+66" ? 2 : prefix.utf8.count)
        // A trunk 0 written after the country code without brackets (`+66 081 234 5678`).
        if prefix != "0", prefix != "", national.count == 10, national.first == 0 {
            national = national.dropFirst()
        }
        if national.count > 9 { return .failure(.tooManyDigits(prefix: prefix, national: national.count)) }
        if national.count < 9 { return .failure(.tooFewDigits(prefix: prefix, national: national.count)) }
        switch national.first! {
        case 6, 8, 9: break
        default:
            let shown = prefix.isEmpty ? "" : (prefix == "0" ? "0" : prefix + " ")
            return .failure(.notMobile(prefix: shown + String(national.first!)))
        }
        var out: [UInt8] = [UInt8(ascii: "6"), UInt8(ascii: "6")]
        for d in national { out.append(d + 0x30) }
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// ASCII digits, Thai digits (U+0E50…U+0E59) and full-width digits (U+FF10…U+FF19).
    @inline(__always)
    private static func digitValue(_ v: UInt32) -> UInt8? {
        switch v {
        case 0x30...0x39: return UInt8(v - 0x30)
        case 0x0E50...0x0E59: return UInt8(v - 0x0E50)
        case 0xFF10...0xFF19: return UInt8(v - 0xFF10)
        default: return nil
        }
    }

    /// Spaces of any kind (not line breaks other than a CRLF file's `\r`), dashes and dots.
    private static func isSeparator(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.value {
        case 0x20, 0x09, 0x0D, 0x2D, 0x2E: return true  // space tab \r - .
        case 0x0A, 0x0B, 0x0C, 0x85, 0x2028, 0x2029: return false  // line breaks: two numbers in one cell
        case 0x2010...0x2015, 0x2212, 0xFE58, 0xFE63, 0xFF0D: return true  // hyphens, dashes, minus signs
        case 0xFF0E, 0x3000: return true  // full-width dot, ideographic space
        default: return scalar.properties.isWhitespace  // U+00A0, U+202F, U+2000…U+200A, …
        }
    }

    /// Whether `digits` (before a `(0)`) are Thailand's country code: `+66`, `66` or `0066`.
    private static func isCountryCode(_ digits: ArraySlice<UInt8>, plus: Bool) -> Bool {
        digits.elementsEqual([6, 6]) || (!plus && digits.elementsEqual([0, 0, 6, 6]))
    }

    private static func text<S: Sequence>(_ digits: S) -> String where S.Element == UInt8 {
        String(decoding: digits.map { $0 + 0x30 }, as: UTF8.self)
    }

    /// `66812xxx678`: enough to recognise a number in a log, not enough to dial it.
    public static func mask(_ number: String) -> String {
        let chars = Array(number)
        guard chars.count >= 8 else { return String(repeating: "x", count: chars.count) }
        let keepHead = chars.count - 6, keepTail = 3
        return String(chars[..<keepHead]) + "xxx" + String(chars[(chars.count - keepTail)...])
    }
}
