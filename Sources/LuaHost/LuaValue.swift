/// A Lua value copied into Swift. Integers and floats stay apart (`3` is `.integer(3)`,
/// `3.0` is `.number(3.0)`); strings are bytes, so embedded NULs and invalid UTF-8 survive.
public indirect enum LuaValue: Hashable, Sendable {
    case `nil`
    case boolean(Bool)
    case integer(Int64)
    case number(Double)
    case string([UInt8])
    case table(LuaTable)
    /// A function, userdata or thread: it has no Swift copy; the payload is its type name.
    case opaque(String)

    public static func string(_ s: String) -> LuaValue { .string(Array(s.utf8)) }

    /// The Lua type name (`type(v)` in Lua).
    public var typeName: String {
        switch self {
        case .nil: return "nil"
        case .boolean: return "boolean"
        case .integer, .number: return "number"
        case .string: return "string"
        case .table: return "table"
        case .opaque(let name): return name
        }
    }

    /// The string value decoded as UTF-8 (invalid bytes become U+FFFD); nil if not a string.
    public var stringValue: String? {
        if case .string(let bytes) = self { return String(decoding: bytes, as: UTF8.self) }
        return nil
    }

    public var tableValue: LuaTable? {
        if case .table(let t) = self { return t }
        return nil
    }

    public var isNil: Bool { if case .nil = self { return true } else { return false } }
}

/// A Lua table copied into Swift: `array` holds keys 1...n (no holes), `hash` everything else.
public struct LuaTable: Hashable, Sendable {
    public var array: [LuaValue]
    public var hash: [LuaValue: LuaValue]

    public init(array: [LuaValue] = [], hash: [LuaValue: LuaValue] = [:]) {
        self.array = array
        self.hash = hash
    }

    public subscript(key: String) -> LuaValue? {
        get { hash[.string(key)] }
        set { hash[.string(key)] = newValue }
    }

    public var isEmpty: Bool { array.isEmpty && hash.isEmpty }
}

extension LuaValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral
{
    public init(stringLiteral value: String) { self = .string(Array(value.utf8)) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .boolean(value) }
    public init(nilLiteral: ()) { self = .nil }
    public init(arrayLiteral elements: LuaValue...) { self = .table(LuaTable(array: elements)) }
    public init(dictionaryLiteral elements: (String, LuaValue)...) {
        var t = LuaTable()
        for (k, v) in elements { t[k] = v }
        self = .table(t)
    }
}
