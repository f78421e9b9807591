import CLua
import LuaHost
import SMSOperations

/// Renders Lua values for people (the REPL's result display): tables with sorted keys and
/// indentation, arrays compact, long arrays cut with "… N more", cycles marked, depth
/// limited; strings quoted with escapes so binary data is visible; error values through
/// their `__tostring`. Colour (ANSI) only when asked for.
public struct ValuePrinter {
    public var color: Bool
    public var maxDepth: Int
    public var maxItems: Int
    /// Width under which a table is printed on one line.
    public var lineWidth: Int
    /// Show phone numbers as `66812xxx678` (`--mask-numbers`).
    public var maskNumbers: Bool

    public init(color: Bool = false, maxDepth: Int = 6, maxItems: Int = 50, lineWidth: Int = 80, maskNumbers: Bool = false) {
        self.color = color
        self.maskNumbers = maskNumbers
        self.maxDepth = maxDepth
        self.maxItems = maxItems
        self.lineWidth = lineWidth
    }

    public func render(_ s: LuaStack, at index: Int32) -> String {
        var visiting: [UnsafeRawPointer] = []
        return render(s, at: s.absolute(index), indent: 0, visiting: &visiting)
    }

    private func paint(_ text: String, _ code: String) -> String {
        color ? "\u{1B}[\(code)m\(text)\u{1B}[0m" : text
    }

    private func render(_ s: LuaStack, at index: Int32, indent: Int, visiting: inout [UnsafeRawPointer]) -> String {
        s.ensure(8)
        switch s.type(at: index) {
        case LUA_TNIL, LUA_TNONE: return paint("nil", "2")
        case LUA_TBOOLEAN: return paint(lua_toboolean(s.L, index) != 0 ? "true" : "false", "35")
        case LUA_TNUMBER:
            if s.isInteger(at: index) { return paint(String(s.integer(at: index)!), "36") }
            return paint(ValuePrinter.float(s.number(at: index)!), "36")
        case LUA_TSTRING:
            let text = ValuePrinter.quote(s.bytes(at: index)!)
            return paint(maskNumbers ? NumberMasking.mask(text) : text, "32")
        case LUA_TTABLE:
            if hasToString(s, at: index) {
                let text = s.describe(at: index)
                return paint(maskNumbers ? NumberMasking.mask(text) : text, "33")
            }
            return renderTable(s, at: index, indent: indent, visiting: &visiting)
        default:
            return paint(s.describe(at: index), "2")
        }
    }

    private func hasToString(_ s: LuaStack, at index: Int32) -> Bool {
        guard lua_getmetatable(s.L, index) != 0 else { return false }
        let t = s.getField("__tostring", in: -1)
        s.pop(2)
        return t != LUA_TNIL
    }

    private func renderTable(_ s: LuaStack, at index: Int32, indent: Int, visiting: inout [UnsafeRawPointer]) -> String {
        let ptr = lua_topointer(s.L, index)!
        if visiting.contains(ptr) { return paint("<cycle>", "31") }
        if visiting.count >= maxDepth { return paint("{…}", "2") }
        visiting.append(ptr)
        defer { visiting.removeLast() }

        // The array part: 1..n without holes.
        var n: Int64 = 0
        while true {
            let t = s.getIndex(n + 1, in: index)
            s.pop()
            if t == LUA_TNIL { break }
            n += 1
        }
        var items: [String] = []
        let shown = min(n, Int64(maxItems))
        if shown > 0 {
            for i in 1...shown {
                s.getIndex(i, in: index)
                items.append(render(s, at: s.top, indent: indent + 1, visiting: &visiting))
                s.pop()
            }
        }
        if n > shown { items.append(paint("… \(n - shown) more", "2")) }

        // The other keys, sorted: strings first (alphabetically), then others by text.
        var keyed: [(sortKey: String, key: String, value: String)] = []
        var otherCount = 0
        s.pushNil()
        while lua_next(s.L, index) != 0 {
            let kt = s.type(at: -2)
            if kt == LUA_TNUMBER, s.isInteger(at: -2), let k = s.integer(at: -2), k >= 1, k <= n {
                s.pop()
                continue
            }
            otherCount += 1
            if keyed.count < maxItems {
                let keyText: String
                let sortKey: String
                if kt == LUA_TSTRING, let k = s.string(at: -2), ValuePrinter.isIdentifier(k) {
                    keyText = k
                    sortKey = "0" + k
                } else {
                    // Copy the key before rendering: rendering must not disturb lua_next.
                    s.pushCopy(of: -2)
                    let inner = render(s, at: s.top, indent: indent + 1, visiting: &visiting)
                    s.pop()
                    keyText = "[" + inner + "]"
                    sortKey = "1" + inner
                }
                let valueText = render(s, at: s.top, indent: indent + 1, visiting: &visiting)
                keyed.append((sortKey, keyText, valueText))
            }
            s.pop()
        }
        keyed.sort { $0.sortKey < $1.sortKey }
        var fields = keyed.map { "\($0.key) = \($0.value)" }
        if otherCount > keyed.count { fields.append(paint("… \(otherCount - keyed.count) more", "2")) }

        let all = items + fields
        if all.isEmpty { return "{}" }
        let oneLine = "{ " + all.joined(separator: ", ") + " }"
        if ValuePrinter.visibleWidth(oneLine) + indent * 2 <= lineWidth && !oneLine.contains("\n") {
            return oneLine
        }
        let pad = String(repeating: "  ", count: indent + 1)
        var lines: [String] = []
        if !items.isEmpty {
            // Arrays stay compact: as many items per line as fit; a multi-line item stands on
            // its own lines (never after an empty line, which would print a lone ",").
            var line = ""
            for item in items {
                let multiLine = item.contains("\n")
                if !line.isEmpty && (multiLine || ValuePrinter.visibleWidth(line + item) + pad.count + 2 > lineWidth) {
                    lines.append(line)
                    line = ""
                }
                line += (line.isEmpty ? "" : ", ") + item
                if multiLine { lines.append(line); line = "" }
            }
            if !line.isEmpty { lines.append(line) }
        }
        lines += fields
        return "{\n" + lines.map { pad + $0 }.joined(separator: ",\n") + "\n" + String(repeating: "  ", count: indent) + "}"
    }

    static func isIdentifier(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first == "_" || (first.isASCII && first.properties.isAlphabetic) else { return false }
        let keywords: Set<String> = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
                                     "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]
        return !keywords.contains(s) && s.unicodeScalars.allSatisfy { $0 == "_" || ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) }
    }

    /// A Lua string literal: valid UTF-8 shown as text, control and invalid bytes escaped.
    public static func quote(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        var out = "\""
        var i = 0
        let count = bytes.count
        while i < count {
            let b = bytes[i]
            switch b {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x0A: out += "\\n"
            case 0x0D: out += "\\r"
            case 0x09: out += "\\t"
            case 0x20..<0x7F: out.unicodeScalars.append(Unicode.Scalar(b))
            case 0x80...:
                // Take a whole UTF-8 sequence when valid, else escape the byte.
                let len = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0
                if len > 0, i + len <= count,
                   let s = String(validating: UnsafeBufferPointer(rebasing: bytes[i..<(i + len)]), as: UTF8.self) {
                    out += s
                    i += len
                    continue
                }
                out += "\\x" + hex(b)
            default: out += "\\x" + hex(b)
            }
            i += 1
        }
        return out + "\""
    }

    private static func hex(_ b: UInt8) -> String {
        let digits = Array("0123456789abcdef")
        return String([digits[Int(b >> 4)], digits[Int(b & 0xF)]])
    }

    /// Lua's `%.14g` look: 3.0 stays "3.0", 0.1 stays "0.1".
    static func float(_ d: Double) -> String {
        if d.isNaN { return d.sign == .minus ? "-nan" : "nan" }
        if d.isInfinite { return d < 0 ? "-inf" : "inf" }
        if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
        if d == d.rounded(), abs(d) < 1e15 { return String(Int64(d)) + ".0" }
        return "\(d)"
    }

    /// Width without ANSI escapes.
    static func visibleWidth(_ s: String) -> Int {
        var width = 0
        var inEscape = false
        for c in s.unicodeScalars {
            if inEscape {
                if c == "m" { inEscape = false }
            } else if c == "\u{1B}" {
                inEscape = true
            } else {
                width += 1
            }
        }
        return width
    }
}
