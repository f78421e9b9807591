/// A small, fast JSON reader and writer for `JSONValue`, working on UTF-8 bytes.
///
/// Foundation's JSONSerialization loses the integer/float distinction and is slow on the
/// 2,000,000-number bodies smsh must handle; this codec does neither.

public struct JSONParseError: Error, Sendable, Equatable, CustomStringConvertible {
    public let offset: Int
    public let reason: String
    @inlinable
    public init(offset: Int, reason: String) {
        self.offset = offset
        self.reason = reason
    }
    public var description: String { "invalid JSON at byte \(offset): \(reason)" }
}

/// Receives a JSON document as the reader goes, so one reader (one grammar, one set of
/// limits) builds `JSONValue`s here and Lua tables straight from the bytes in the Lua bridge.
public protocol JSONReadingSink {
    associatedtype Value
    associatedtype Container
    mutating func null() -> Value
    mutating func bool(_ value: Bool) -> Value
    mutating func int(_ value: Int64) -> Value
    mutating func double(_ value: Double) -> Value
    /// Unescaped UTF-8 bytes (not checked for validity), valid only during the call.
    mutating func string(_ utf8: UnsafeBufferPointer<UInt8>) -> Value
    mutating func beginObject() -> Container
    /// An object member's key, before its value is read.
    mutating func key(_ utf8: UnsafeBufferPointer<UInt8>, in object: inout Container)
    mutating func member(_ value: Value, in object: inout Container)
    mutating func endObject(_ object: Container) -> Value
    mutating func beginArray() -> Container
    mutating func element(_ value: Value, in array: inout Container)
    mutating func endArray(_ array: Container) -> Value
}

/// Reads one JSON document from `bytes` into `sink`. Nesting deeper than `maxDepth` is an
/// error, never a crash.
@inlinable
public func readJSON<Sink: JSONReadingSink>(
    _ bytes: UnsafeBufferPointer<UInt8>, into sink: inout Sink, maxDepth: Int = 512
) throws -> Sink.Value {
    var reader = JSONReader(bytes: bytes, maxDepth: maxDepth)
    reader.skipWhitespace()
    let value = try reader.readValue(depth: 0, &sink)
    reader.skipWhitespace()
    if reader.index != bytes.count { throw reader.error("unexpected trailing data") }
    return value
}

extension JSONValue {
    /// Parses one JSON document. Nesting deeper than `maxDepth` is an error, never a crash.
    public static func parse(_ bytes: some Collection<UInt8>, maxDepth: Int = 512) throws -> JSONValue {
        let array = Array(bytes)
        return try array.withUnsafeBufferPointer { buffer in
            var sink = JSONValueSink()
            return try readJSON(buffer, into: &sink, maxDepth: maxDepth)
        }
    }

    public static func parse(_ text: String) throws -> JSONValue {
        try parse(Array(text.utf8))
    }
}

/// Builds `JSONValue`s (strings with invalid UTF-8 repaired, as `String(decoding:)` does).
struct JSONValueSink: JSONReadingSink {
    struct Container {
        var object: [String: JSONValue] = [:]
        var array: [JSONValue] = []
        var key = ""
    }
    func null() -> JSONValue { .null }
    func bool(_ value: Bool) -> JSONValue { .bool(value) }
    func int(_ value: Int64) -> JSONValue { .int(value) }
    func double(_ value: Double) -> JSONValue { .double(value) }
    func string(_ utf8: UnsafeBufferPointer<UInt8>) -> JSONValue { .string(String(decoding: utf8, as: UTF8.self)) }
    func beginObject() -> Container { Container() }
    func key(_ utf8: UnsafeBufferPointer<UInt8>, in object: inout Container) {
        object.key = String(decoding: utf8, as: UTF8.self)
    }
    func member(_ value: JSONValue, in object: inout Container) { object.object[object.key] = value }
    func endObject(_ object: Container) -> JSONValue { .object(object.object) }
    func beginArray() -> Container { Container() }
    func element(_ value: JSONValue, in array: inout Container) { array.array.append(value) }
    func endArray(_ array: Container) -> JSONValue { .array(array.array) }
}

@usableFromInline
struct JSONReader {
    @usableFromInline let bytes: UnsafeBufferPointer<UInt8>
    @usableFromInline let maxDepth: Int
    @usableFromInline var index = 0
    /// Unescaped bytes of the string being read, when it has escapes.
    @usableFromInline var scratch: [UInt8] = []

    @inlinable
    init(bytes: UnsafeBufferPointer<UInt8>, maxDepth: Int) {
        self.bytes = bytes
        self.maxDepth = maxDepth
    }

    @inlinable
    func error(_ reason: String) -> JSONParseError { JSONParseError(offset: index, reason: reason) }

    @inlinable
    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    @inlinable
    mutating func readValue<Sink: JSONReadingSink>(depth: Int, _ sink: inout Sink) throws -> Sink.Value {
        guard index < bytes.count else { throw error("unexpected end of input") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try readObject(depth: depth + 1, &sink)
        case UInt8(ascii: "["): return try readArray(depth: depth + 1, &sink)
        case UInt8(ascii: "\""): return try readString { sink.string($0) }
        case UInt8(ascii: "t"): try expect("true"); return sink.bool(true)
        case UInt8(ascii: "f"): try expect("false"); return sink.bool(false)
        case UInt8(ascii: "n"): try expect("null"); return sink.null()
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            switch try readNumber() {
            case .int(let i): return sink.int(i)
            case .double(let d): return sink.double(d)
            }
        default: throw error("unexpected character '\(VisibleText.escaped(String(Unicode.Scalar(bytes[index]))))'")
        }
    }

    @inlinable
    mutating func expect(_ word: StaticString) throws {
        let n = word.utf8CodeUnitCount
        guard index + n <= bytes.count else { throw error("unexpected end of input") }
        let w = word.utf8Start
        for i in 0..<n where bytes[index + i] != w[i] { throw error("invalid literal") }
        index += n
    }

    @inlinable
    mutating func readObject<Sink: JSONReadingSink>(depth: Int, _ sink: inout Sink) throws -> Sink.Value {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth)") }
        index += 1
        var object = sink.beginObject()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return sink.endObject(object) }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("expected a key string") }
            try readString { sink.key($0, in: &object) }
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw error("expected ':'") }
            index += 1
            skipWhitespace()
            sink.member(try readValue(depth: depth, &sink), in: &object)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "}") { index += 1; return sink.endObject(object) }
            throw error("expected ',' or '}'")
        }
    }

    @inlinable
    mutating func readArray<Sink: JSONReadingSink>(depth: Int, _ sink: inout Sink) throws -> Sink.Value {
        if depth > maxDepth { throw error("nesting deeper than \(maxDepth)") }
        index += 1
        var array = sink.beginArray()
        skipWhitespace()
        if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return sink.endArray(array) }
        while true {
            skipWhitespace()
            sink.element(try readValue(depth: depth, &sink), in: &array)
            skipWhitespace()
            guard index < bytes.count else { throw error("unexpected end of input") }
            if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
            if bytes[index] == UInt8(ascii: "]") { index += 1; return sink.endArray(array) }
            throw error("expected ',' or ']'")
        }
    }

    /// Reads a string and hands its unescaped bytes to `use`.
    @inlinable
    mutating func readString<T>(_ use: (UnsafeBufferPointer<UInt8>) -> T) throws -> T {
        index += 1  // opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return use(UnsafeBufferPointer(rebasing: bytes[start..<(index - 1)]))
            }
            if b == UInt8(ascii: "\\") { break }
            if b < 0x20 { throw error("control character in string") }
            index += 1
        }
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let b = bytes[index]
            if b == UInt8(ascii: "\"") {
                index += 1
                return scratch.withUnsafeBufferPointer(use)
            }
            if b < 0x20 { throw error("control character in string") }
            if b != UInt8(ascii: "\\") { scratch.append(b); index += 1; continue }
            index += 1
            guard index < bytes.count else { break }
            let e = bytes[index]
            index += 1
            switch e {
            case UInt8(ascii: "\""): scratch.append(0x22)
            case UInt8(ascii: "\\"): scratch.append(0x5C)
            case UInt8(ascii: "/"): scratch.append(0x2F)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try readHex4()
                if (0xD800..<0xDC00).contains(scalar) {
                    // A high surrogate must be followed by a low one.
                    if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") {
                        index += 2
                        let low = try readHex4()
                        guard (0xDC00..<0xE000).contains(low) else { throw error("invalid surrogate pair") }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    } else {
                        throw error("lone surrogate")
                    }
                } else if (0xDC00..<0xE000).contains(scalar) {
                    throw error("lone surrogate")
                }
                scratch.append(contentsOf: String(Character(Unicode.Scalar(scalar)!)).utf8)
            default: throw error("invalid escape")
            }
        }
        throw error("unterminated string")
    }

    @inlinable
    mutating func readHex4() throws -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("short \\u escape") }
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = bytes[index]
            let d: UInt32
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt32(c - UInt8(ascii: "0"))
            case UInt8(ascii: "a")...UInt8(ascii: "f"): d = UInt32(c - UInt8(ascii: "a") + 10)
            case UInt8(ascii: "A")...UInt8(ascii: "F"): d = UInt32(c - UInt8(ascii: "A") + 10)
            default: throw error("invalid \\u escape")
            }
            v = v << 4 | d
            index += 1
        }
        return v
    }

    @usableFromInline
    enum Number { case int(Int64), double(Double) }

    @inlinable
    mutating func readNumber() throws -> Number {
        let start = index
        var isInteger = true
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        let digitsStart = index
        while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
        if index == digitsStart { throw error("invalid number") }
        if bytes[digitsStart] == UInt8(ascii: "0"), index - digitsStart > 1 { throw error("leading zero in number") }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            isInteger = false
            index += 1
            let f = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            if index == f { throw error("invalid number") }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            isInteger = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            let e = index
            while index < bytes.count, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(bytes[index]) { index += 1 }
            if index == e { throw error("invalid number") }
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        if isInteger, let i = Int64(text) { return .int(i) }
        guard let d = Double(text) else { throw error("invalid number") }
        // 1e400 would become infinity, which JSON cannot write back (it would turn into null
        // on the next serialisation, and json.encode refuses it): refuse it here instead.
        guard d.isFinite else {
            index = start
            throw error("number out of range")
        }
        return .double(d)
    }
}

extension JSONValue {
    /// Compact UTF-8 JSON. `sortedKeys` gives byte-stable output (cassettes, tests);
    /// `pretty` indents with two spaces for files people read.
    public func serialized(sortedKeys: Bool = false, pretty: Bool = false) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out, sortedKeys: sortedKeys || pretty, indent: pretty ? 0 : nil)
        return out
    }

    public func serializedString(sortedKeys: Bool = false, pretty: Bool = false) -> String {
        String(decoding: serialized(sortedKeys: sortedKeys, pretty: pretty), as: UTF8.self)
    }

    public func write(to out: inout [UInt8], sortedKeys: Bool = false, indent: Int? = nil) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let b): out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i): out.append(contentsOf: String(i).utf8)
        case .double(let d): JSONValue.writeDouble(d, to: &out)
        case .string(let s): JSONValue.writeString(s, to: &out)
        case .array(let a):
            out.append(UInt8(ascii: "["))
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let indent { JSONValue.newline(indent + 1, &out) }
                v.write(to: &out, sortedKeys: sortedKeys, indent: indent.map { $0 + 1 })
            }
            if let indent, !a.isEmpty { JSONValue.newline(indent, &out) }
            out.append(UInt8(ascii: "]"))
        case .object(let o):
            out.append(UInt8(ascii: "{"))
            let keys = sortedKeys ? o.keys.sorted() : Array(o.keys)
            for (i, k) in keys.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                if let indent { JSONValue.newline(indent + 1, &out) }
                JSONValue.writeString(k, to: &out)
                out.append(UInt8(ascii: ":"))
                if indent != nil { out.append(UInt8(ascii: " ")) }
                o[k]!.write(to: &out, sortedKeys: sortedKeys, indent: indent.map { $0 + 1 })
            }
            if let indent, !o.isEmpty { JSONValue.newline(indent, &out) }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func newline(_ level: Int, _ out: inout [UInt8]) {
        out.append(0x0A)
        out.append(contentsOf: repeatElement(UInt8(ascii: " "), count: level * 2))
    }

    /// JSON has no NaN or infinity: they are written as null.
    public static func writeDouble(_ d: Double, to out: inout [UInt8]) {
        guard d.isFinite else { out.append(contentsOf: "null".utf8); return }
        if d == d.rounded(), abs(d) < 1e15 {
            // Keep the float visible as a float: 3.0, not 3.
            out.append(contentsOf: String(Int64(d)).utf8)
            out.append(contentsOf: ".0".utf8)
            if d == 0, d.sign == .minus { out.insert(UInt8(ascii: "-"), at: out.count - 3) }
        } else {
            out.append(contentsOf: "\(d)".utf8)
        }
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)

    public static func writeString(_ s: String, to out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { buf in
            var runStart = 0
            for i in 0..<buf.count {
                let b = buf[i]
                if b >= 0x20 && b != 0x22 && b != 0x5C { continue }
                if runStart < i { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<i])) }
                runStart = i + 1
                switch b {
                case 0x22: out.append(contentsOf: [0x5C, 0x22])
                case 0x5C: out.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: out.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: out.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: out.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                default:
                    out.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0xF)]])
                }
            }
            if runStart < buf.count { out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[runStart..<buf.count])) }
        }
        out.append(UInt8(ascii: "\""))
    }
}
