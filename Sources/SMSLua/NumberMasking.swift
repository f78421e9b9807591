import SMSClient

/// `--mask-numbers`: phone numbers shown to people (REPL results, log lines, error messages)
/// become `66812xxx678`: enough to tell numbers apart in an incident, not enough to dial.
public enum NumberMasking {
    /// Masks every run of digits (with the usual separators inside) that is a Thai mobile
    /// number; other text is left as it is.
    public static func mask(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        var i = 0
        while i < chars.count {
            guard chars[i].isASCII, chars[i].isNumber || (chars[i] == "+" && i + 1 < chars.count && chars[i + 1].isNumber) else {
                out.append(chars[i])
                i += 1
                continue
            }
            // The longest candidate: digits with - . space between them.
            var j = i + 1
            var digits = chars[i].isNumber ? 1 : 0
            while j < chars.count, (chars[j].isASCII && chars[j].isNumber) || ("-. ".contains(chars[j]) && j + 1 < chars.count && chars[j + 1].isNumber) {
                if chars[j].isNumber { digits += 1 }
                j += 1
            }
            let candidate = String(chars[i..<j])
            if (10...11).contains(digits), case .success(let normal) = MSISDN.normalize(candidate) {
                out += MSISDN.mask(normal)
            } else {
                out += candidate
            }
            i = j
        }
        return out
    }
}
