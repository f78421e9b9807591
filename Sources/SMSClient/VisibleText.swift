/// Text made safe to show in a message: control and invisible characters are written as
/// escapes, so a `\r` from a CRLF file, a NUL from a corrupt cassette or a zero-width space
/// pasted with a number is seen, not hidden (or printed raw into a terminal or log).
///
/// `\r` `\n` `\t` `\0` as such (`\x00` before a digit); other C0/C1 controls and DEL as `\xNN`; format characters
/// and spaces other than ' ' (General_Category Cf, Zs, Zl, Zp: U+200B, U+00A0, U+FEFF, ...)
/// as `U+XXXX`. Everything else is kept as it is.
public enum VisibleText {
    public static func escaped(_ text: String) -> String {
        // Most messages have nothing to escape: keep them as they are.
        if !text.unicodeScalars.contains(where: needsEscape) { return text }
        var out = ""
        let scalars = Array(text.unicodeScalars)
        for (i, scalar) in scalars.enumerated() {
            append(scalar, to: &out, before: i + 1 < scalars.count ? scalars[i + 1] : nil)
        }
        return out
    }

    /// Appends `scalar` to `out`, escaped when it is invisible or a control character.
    /// `next` is the scalar after it: a NUL before a digit is `\x00`, as `\0` then `45` would
    /// read as `\045`.
    public static func append(_ scalar: Unicode.Scalar, to out: inout String, before next: Unicode.Scalar? = nil) {
        switch scalar {
        case "\r": out += "\\r"
        case "\n": out += "\\n"
        case "\t": out += "\\t"
        case "\0":
            if let next, ("0"..."9").contains(next) { out += "\\x00" } else { out += "\\0" }
        default:
            let v = scalar.value
            if v < 0x20 || (0x7F...0x9F).contains(v) {
                out += "\\x" + hex(v, digits: 2)
            } else if isInvisible(scalar) {
                out += "U+" + hex(v, digits: 4)
            } else {
                out.unicodeScalars.append(scalar)
            }
        }
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x20 || (0x7F...0x9F).contains(v) { return true }
        return v >= 0xA0 && isInvisible(scalar)
    }

    private static func isInvisible(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return false }
        switch scalar.properties.generalCategory {
        case .format, .spaceSeparator, .lineSeparator, .paragraphSeparator: return true
        default: return false
        }
    }

    private static func hex(_ v: UInt32, digits: Int) -> String {
        let s = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, digits - s.count)) + s
    }
}
