/// A TOML value as smsh's config reader produces it. Integers and floats stay apart, as in
/// the rest of smsh (`5000` is `.integer`, `5000.0` is `.float`).
public indirect enum TOMLValue: Equatable, Sendable {
    case string(String)
    case integer(Int64)
    case float(Double)
    case boolean(Bool)
    case array([TOMLValue])
    case table(TOMLTable)

    /// The TOML name of the value's type, for messages ("expected a string, got an integer").
    public var typeName: String {
        switch self {
        case .string: return "a string"
        case .integer: return "an integer"
        case .float: return "a float"
        case .boolean: return "a boolean"
        case .array: return "an array"
        case .table: return "a table"
        }
    }

    public var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
    public var tableValue: TOMLTable? { if case .table(let t) = self { return t } else { return nil } }
}

/// A TOML table: its entries with the line each key was written on, in file order.
public struct TOMLTable: Equatable, Sendable {
    public struct Entry: Equatable, Sendable {
        public var value: TOMLValue
        /// The 1-based line of the key (or of the `[header]` for a table).
        public var line: Int
    }

    public private(set) var keys: [String] = []
    public private(set) var entries: [String: Entry] = [:]

    public init() {}

    public subscript(key: String) -> TOMLValue? { entries[key]?.value }

    public func line(of key: String) -> Int? { entries[key]?.line }

    /// Adds or replaces an entry, keeping first-insertion order.
    mutating func set(_ key: String, _ value: TOMLValue, line: Int) {
        if entries[key] == nil { keys.append(key) }
        entries[key] = Entry(value: value, line: line)
    }
}

/// A config file that is not valid TOML (or uses TOML smsh does not read), with its line.
public struct TOMLError: Error, Equatable, CustomStringConvertible, Sendable {
    public var fileName: String
    public var line: Int
    public var message: String

    public init(fileName: String, line: Int, message: String) {
        self.fileName = fileName
        self.line = line
        self.message = message
    }

    /// `config.toml:LINE: message`
    public var description: String { "\(fileName):\(line): \(message)" }
}
