/// Basic (`"..."`, with escapes) and literal (`'...'`) single-line strings.
extension TOMLParser {
    mutating func basicString() throws -> String {
        let startLine = line
        i += 1  // "
        var out = ""
        while true {
            guard let c = peek, c != "\n", c != "\r" else {
                throw error("unterminated string (started on line \(startLine)); strings end on the same line", line: startLine)
            }
            i += 1
            if c == "\"" { return out }
            if c == "\\" {
                out.unicodeScalars.append(try escape())
                continue
            }
            if TOMLParser.isControl(c) { throw error("control character U+\(hex(c.value)) in a string; use an escape") }
            out.unicodeScalars.append(c)
        }
    }

    mutating func escape() throws -> Unicode.Scalar {
        guard let c = peek else { throw error("unterminated escape at the end of the file") }
        i += 1
        switch c {
        case "b": return "\u{08}"
        case "t": return "\t"
        case "n": return "\n"
        case "f": return "\u{0C}"
        case "r": return "\r"
        case "\"": return "\""
        case "\\": return "\\"
        case "u": return try unicodeEscape(digits: 4)
        case "U": return try unicodeEscape(digits: 8)
        default: throw error("invalid escape '\\\(c)' in a string (valid: \\b \\t \\n \\f \\r \\\" \\\\ \\uXXXX \\UXXXXXXXX)")
        }
    }

    mutating func unicodeEscape(digits: Int) throws -> Unicode.Scalar {
        var text = ""
        for _ in 0..<digits {
            guard let c = peek, c.properties.isASCIIHexDigit else {
                throw error("\\\(digits == 4 ? "u" : "U") needs \(digits) hexadecimal digits")
            }
            text.unicodeScalars.append(c)
            i += 1
        }
        guard let code = UInt32(text, radix: 16), let scalar = Unicode.Scalar(code) else {
            throw error("\\\(digits == 4 ? "u" : "U")\(text) is not a Unicode scalar value")
        }
        return scalar
    }

    mutating func literalString() throws -> String {
        let startLine = line
        i += 1  // '
        var out = ""
        while true {
            guard let c = peek, c != "\n", c != "\r" else {
                throw error("unterminated string (started on line \(startLine)); strings end on the same line", line: startLine)
            }
            i += 1
            if c == "'" { return out }
            if TOMLParser.isControl(c) { throw error("control character U+\(hex(c.value)) in a string") }
            out.unicodeScalars.append(c)
        }
    }

    static func isControl(_ c: Unicode.Scalar) -> Bool {
        (c.value < 0x20 && c != "\t") || c.value == 0x7F
    }
}
