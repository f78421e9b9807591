/// A small TOML reader for smsh's config file: comments, bare/quoted/dotted keys, `[table]`
/// and `[a.b]` headers, basic strings (with escapes, `\uXXXX`, `\UXXXXXXXX`), literal strings,
/// integers (decimal with `_`, `0x`/`0o`/`0b`), floats (`inf`, `nan`), booleans, arrays
/// (across lines) and inline tables. Multi-line strings, dates and times and arrays of tables
/// (`[[x]]`) are refused with a clear message rather than misread. Duplicate keys and tables
/// defined twice are errors, as TOML requires.
///
/// Written here rather than taken from a TOML package: smsh reads one small file at start-up,
/// and a C++ parser would cost binary size and start-up time.
public enum TOMLReader {
    /// Parses a document; errors name `fileName` and the line.
    public static func parse(_ text: String, fileName: String = "config.toml") throws -> TOMLTable {
        var parser = TOMLParser(text: text, fileName: fileName)
        return try parser.document()
    }
}

struct TOMLParser {
    let s: [Unicode.Scalar]
    let fileName: String
    var i = 0
    var line = 1
    /// The key whose value is being read: messages name it, never the value (it may be a secret).
    var valueKey = ""

    init(text: String, fileName: String) {
        s = Array(text.unicodeScalars)
        self.fileName = fileName
    }

    // MARK: document structure

    mutating func document() throws -> TOMLTable {
        let root = TOMLTableNode(line: 1)
        var current = root
        if peek == "\u{FEFF}" { i += 1 }
        while true {
            skipSpaces()
            guard let c = peek else { break }
            if c == "#" { try skipComment() }
            if try takeNewline() { continue }
            if peek == nil { break }
            if peek == "[" {
                if peek(1) == "[" {
                    throw error("arrays of tables ([[...]]) are not supported in smsh's config; use a [table] per entry")
                }
                i += 1
                skipSpaces()
                let headerLine = line
                let path = try key()
                guard peek == "]" else { throw error("expected ']' to close the table header, found \(describe(peek))") }
                i += 1
                current = try openHeader(path, in: root, line: headerLine)
            } else {
                let keyLine = line
                let path = try key()
                guard peek == "=" else { throw error("expected '=' after the key '\(path.joined(separator: "."))', found \(describe(peek))") }
                i += 1
                skipSpaces()
                valueKey = path.joined(separator: ".")
                let v = try value()
                try assign(v, to: path, in: current, line: keyLine)
            }
            try endOfLine()
        }
        return root.value
    }

    /// After a key/value pair or header: only spaces and a comment may follow on the line.
    mutating func endOfLine() throws {
        skipSpaces()
        if peek == "#" { try skipComment() }
        if peek == nil { return }
        if try takeNewline() { return }
        throw error("expected the end of the line, found \(describe(peek))")
    }

    /// `[a.b.c]`: finds or creates the table, refusing one defined twice.
    mutating func openHeader(_ path: [String], in root: TOMLTableNode, line headerLine: Int) throws -> TOMLTableNode {
        var node = root
        for (n, k) in path.enumerated() {
            let last = n == path.count - 1
            let name = path[...n].joined(separator: ".")
            switch node.slots[k] {
            case nil:
                let child = TOMLTableNode(line: headerLine)
                node.set(k, .table(child))
                node = child
            case .value(_, let l)?:
                throw error("'\(name)' is already a value (line \(l)), not a table", line: headerLine)
            case .table(let child)?:
                if child.sealed { throw error("'\(name)' is an inline table (line \(child.line)) and cannot be extended", line: headerLine) }
                if last && (child.definedByHeader || child.definedByDottedKey) {
                    throw error("table [\(name)] is defined twice (first on line \(child.line))", line: headerLine)
                }
                node = child
            }
        }
        node.definedByHeader = true
        return node
    }

    /// `a.b.c = v` inside `table`: intermediate tables are created; a key set twice is an error.
    func assign(_ v: TOMLValue, to path: [String], in table: TOMLTableNode, line keyLine: Int) throws {
        var node = table
        for k in path.dropLast() {
            switch node.slots[k] {
            case nil:
                let child = TOMLTableNode(line: keyLine)
                child.definedByDottedKey = true
                child.sealed = node.sealed
                node.set(k, .table(child))
                node = child
            case .value(_, let l)?:
                throw error("'\(k)' is already a value (line \(l)), not a table", line: keyLine)
            case .table(let child)?:
                if child.sealed && !node.sealed || child.definedByHeader {
                    throw error("cannot add keys to the table '\(k)' defined on line \(child.line) with a dotted key", line: keyLine)
                }
                node = child
            }
        }
        let k = path.last!
        if let existing = node.slots[k] {
            let first: Int
            switch existing {
            case .value(_, let l): first = l
            case .table(let t): first = t.line
            }
            throw error("duplicate key '\(path.joined(separator: "."))' (first set on line \(first))", line: keyLine)
        }
        if case .table(let t) = v {
            // Inline tables arrive as values; keep them as sealed nodes so they cannot be extended.
            node.set(k, .table(TOMLTableNode.sealedNode(t, line: keyLine)))
        } else {
            node.set(k, .value(v, line: keyLine))
        }
    }

    // MARK: keys

    /// A possibly dotted key; leaves the position after trailing spaces.
    mutating func key() throws -> [String] {
        var parts: [String] = []
        while true {
            skipSpaces()
            parts.append(try simpleKey())
            skipSpaces()
            guard peek == "." else { return parts }
            i += 1
        }
    }

    mutating func simpleKey() throws -> String {
        switch peek {
        case "\""?:
            if peek(1) == "\"" && peek(2) == "\"" { throw error("multi-line strings cannot be keys") }
            return try basicString()
        case "'"?:
            return try literalString()
        default:
            var k = ""
            while let c = peek, TOMLParser.isBareKeyCharacter(c) {
                k.unicodeScalars.append(c)
                i += 1
            }
            if k.isEmpty { throw error("expected a key, found \(describe(peek))") }
            return k
        }
    }

    static func isBareKeyCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "_" || c == "-"
    }

    // MARK: values

    mutating func value() throws -> TOMLValue {
        switch peek {
        case nil, "\n"?, "\r"?, "#"?:
            throw error("expected a value after '='")
        case "\""?:
            if peek(1) == "\"" && peek(2) == "\"" {
                throw error("multi-line strings (\"\"\"...\"\"\") are not supported in smsh's config")
            }
            return .string(try basicString())
        case "'"?:
            if peek(1) == "'" && peek(2) == "'" {
                throw error("multi-line strings ('''...''') are not supported in smsh's config")
            }
            return .string(try literalString())
        case "["?:
            return try array()
        case "{"?:
            return try inlineTable()
        default:
            return try scalarWord()
        }
    }

    mutating func array() throws -> TOMLValue {
        i += 1  // [
        var items: [TOMLValue] = []
        while true {
            try skipSpacesCommentsAndNewlines()
            if peek == "]" { break }
            if peek == nil { throw error("unterminated array: expected ']'") }
            items.append(try value())
            try skipSpacesCommentsAndNewlines()
            if peek == "," {
                i += 1
                continue
            }
            if peek == "]" { break }
            throw error("expected ',' or ']' in the array, found \(describe(peek))")
        }
        i += 1  // ]
        return .array(items)
    }

    mutating func inlineTable() throws -> TOMLValue {
        let tableLine = line
        i += 1  // {
        let node = TOMLTableNode(line: tableLine)
        node.sealed = true
        skipSpaces()
        if peek == "}" {
            i += 1
            return .table(node.value)
        }
        while true {
            let keyLine = line
            let path = try key()
            guard peek == "=" else { throw error("expected '=' after the key '\(path.joined(separator: "."))', found \(describe(peek))") }
            i += 1
            skipSpaces()
            valueKey = path.joined(separator: ".")
            try assign(try value(), to: path, in: node, line: keyLine)
            skipSpaces()
            if peek == "," {
                i += 1
                skipSpaces()
                if peek == "}" { throw error("no trailing comma allowed in an inline table") }
                continue
            }
            if peek == "}" { break }
            if peek == "\n" || peek == "\r" || peek == nil {
                throw error("an inline table must be closed with '}' on the same line")
            }
            throw error("expected ',' or '}' in the inline table, found \(describe(peek))")
        }
        i += 1  // }
        return .table(node.value)
    }

    /// true, false, a number, or a refused date/time. Messages name the key, not the word:
    /// an unquoted API key must not be echoed to the terminal.
    mutating func scalarWord() throws -> TOMLValue {
        var word = ""
        while let c = peek, !" \t\n\r,]}#".unicodeScalars.contains(c) {
            word.unicodeScalars.append(c)
            i += 1
        }
        if word == "true" { return .boolean(true) }
        if word == "false" { return .boolean(false) }
        if let v = TOMLNumber.parse(word) { return v }
        if word.isEmpty { throw error("expected a value for '\(valueKey)', found \(describe(peek))") }
        if TOMLNumber.looksLikeDateOrTime(word) {
            throw error("'\(valueKey)': dates and times are not supported in smsh's config; write the value as a string")
        }
        if let c = word.unicodeScalars.first, ("0"..."9").contains(c) || c == "+" || c == "-" {
            if TOMLNumber.isOutOfRangeInteger(word) { throw error("'\(valueKey)': integer out of range (64-bit)") }
            throw error("'\(valueKey)': invalid number")
        }
        throw error("'\(valueKey)': invalid value (strings need quotes: \(valueKey) = \"...\")")
    }

    // MARK: scanning

    var peek: Unicode.Scalar? { i < s.count ? s[i] : nil }
    func peek(_ ahead: Int) -> Unicode.Scalar? { i + ahead < s.count ? s[i + ahead] : nil }

    mutating func skipSpaces() {
        while let c = peek, c == " " || c == "\t" { i += 1 }
    }

    mutating func skipComment() throws {
        while let c = peek, c != "\n", c != "\r" {
            if TOMLParser.isControl(c) { throw error("control character U+\(hex(c.value)) in a comment") }
            i += 1
        }
    }

    /// Consumes `\n` or `\r\n`; false when not at a newline.
    mutating func takeNewline() throws -> Bool {
        if peek == "\n" {
            i += 1
            line += 1
            return true
        }
        if peek == "\r" {
            guard peek(1) == "\n" else { throw error("a bare carriage return must be followed by a newline") }
            i += 2
            line += 1
            return true
        }
        return false
    }

    mutating func skipSpacesCommentsAndNewlines() throws {
        while true {
            skipSpaces()
            if peek == "#" { try skipComment() }
            if try !takeNewline() { return }
        }
    }

    func describe(_ c: Unicode.Scalar?) -> String {
        guard let c else { return "the end of the file" }
        if c == "\n" || c == "\r" { return "the end of the line" }
        return "'\(c)'"
    }

    func hex(_ v: UInt32) -> String {
        let h = String(v, radix: 16, uppercase: true)
        return String(repeating: "0", count: max(0, 4 - h.count)) + h
    }

    func error(_ message: String, line: Int? = nil) -> TOMLError {
        TOMLError(fileName: fileName, line: line ?? self.line, message: message)
    }
}
