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
            // The longest candidate: digits with runs of - . space ( ) between them
            // (`+66 (0) 81 234 5678`, `0066 81-234-5678`).
            var j = i + 1
            var digits = chars[i].isNumber ? 1 : 0
            while j < chars.count {
                if chars[j].isASCII && chars[j].isNumber {
                    digits += 1
                    j += 1
                    continue
                }
                var k = j
                while k < chars.count, "-. ()".contains(chars[k]) { k += 1 }
                guard k > j, k < chars.count, chars[k].isASCII, chars[k].isNumber else { break }
                j = k
            }
            let candidate = String(chars[i..<j])
            // 10 to 13 digits: 0 + 9, 66 + 9, 0066 + 9, 66 (0) + 9 (a bare 9-digit number is
            // too easily an amount to be masked).
            if (10...13).contains(digits), case .success(let normal) = MSISDN.normalize(candidate) {
                out += MSISDN.mask(normal)
            } else {
                out += candidate
            }
            i = j
        }
        return out
    }
}
