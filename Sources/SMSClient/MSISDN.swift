/// Thai mobile numbers, as the API accepts them (`0XXXXXXXXX` or `66XXXXXXXXX`).
///
/// Normal form is `66` + 9 digits (`081-234-5678` → `66812345678`), so `0812345678` and
/// `66812345678` (the same subscriber) dedupe to one recipient. Spaces, dashes, dots,
/// brackets and one leading `+` are stripped; anything else makes the number invalid.
/// A mobile number's first national digit is 6, 8 or 9.
public enum MSISDN {
    public enum Invalid: Error, Sendable, Equatable, CustomStringConvertible {
        case empty
        case badCharacter(Character)
        case badLength(digits: Int)
        case badPrefix
        case notMobile

        public var description: String {
            switch self {
            case .empty: return "is empty"
            case .badCharacter(let c): return "contains '\(VisibleText.escaped(String(c)))'"
            case .badLength(let n): return "has \(n) digits (expected 0 + 9 digits or 66 + 9 digits)"
            case .badPrefix: return "must start with 0 or 66"
            case .notMobile: return "is not a mobile number (06, 08 or 09)"
            }
        }
    }

    /// The normal form `66XXXXXXXXX`, or why the number is not a Thai mobile number.
    public static func normalize(_ raw: String) -> Result<String, Invalid> {
        var digits: [UInt8] = []
        digits.reserveCapacity(12)
        var sawPlus = false
        var sawDigit = false
        for b in raw.utf8 {
            switch b {
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits.append(b)
                sawDigit = true
                if digits.count > 13 { return .failure(.badLength(digits: digits.count)) }
            case UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "("), UInt8(ascii: ")"),
                UInt8(ascii: "["), UInt8(ascii: "]"), 0x09, 0x0D:  // 0x0D: CRLF files leave a \r at line ends
                continue
            case UInt8(ascii: "+") where !sawPlus && !sawDigit:
                sawPlus = true
            default:
                return .failure(.badCharacter(firstBadCharacter(raw)))
            }
        }
        if digits.isEmpty { return .failure(.empty) }
        let national: ArraySlice<UInt8>
        if digits.count == 11, digits[0] == UInt8(ascii: "6"), digits[1] == UInt8(ascii: "6") {
            national = digits[2...]
        } else if digits.count == 10, digits[0] == UInt8(ascii: "0"), !sawPlus {
            national = digits[1...]
        } else if digits.count == 10 || digits.count == 11 {
            return .failure(.badPrefix)
        } else {
            return .failure(.badLength(digits: digits.count))
        }
        switch national.first! {
        case UInt8(ascii: "6"), UInt8(ascii: "8"), UInt8(ascii: "9"): break
        default: return .failure(.notMobile)
        }
        var out: [UInt8] = [UInt8(ascii: "6"), UInt8(ascii: "6")]
        out.append(contentsOf: national)
        return .success(String(decoding: out, as: UTF8.self))
    }

    /// The first character `normalize` refused, by scalar (a zero-width joiner after a digit
    /// would otherwise hide in the digit's `Character`).
    private static func firstBadCharacter(_ raw: String) -> Character {
        var sawPlusOrDigit = false
        for scalar in raw.unicodeScalars {
            if scalar.isASCII {
                let a = UInt8(scalar.value)
                if (0x30...0x39).contains(a) { sawPlusOrDigit = true; continue }
                if " -.()[]\t\r".utf8.contains(a) { continue }
                if a == UInt8(ascii: "+") && !sawPlusOrDigit { sawPlusOrDigit = true; continue }
            }
            return Character(scalar)
        }
        return "?"
    }

    /// `66812xxx678`: enough to recognise a number in a log, not enough to dial it.
    public static func mask(_ number: String) -> String {
        let chars = Array(number)
        guard chars.count >= 8 else { return String(repeating: "x", count: chars.count) }
        let keepHead = chars.count - 6, keepTail = 3
        return String(chars[..<keepHead]) + "xxx" + String(chars[(chars.count - keepTail)...])
    }
}
