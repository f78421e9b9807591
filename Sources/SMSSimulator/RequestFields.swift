import SMSClient

/// Typed access to a JSON request body; every wrong type is a 400 naming the field.
/// A field set to `null` counts as absent.
struct BodyFields {
    let object: [String: JSONValue]

    init(_ body: JSONValue?) throws {
        guard case .object(let object)? = body else {
            throw APIError.invalidParameter("Request body must be a JSON object")
        }
        self.object = object
    }

    func has(_ key: String) -> Bool {
        guard let v = object[key] else { return false }
        return !v.isNull
    }

    private func value(_ key: String) -> JSONValue? {
        guard let v = object[key], !v.isNull else { return nil }
        return v
    }

    func string(_ key: String) throws -> String? {
        guard let v = value(key) else { return nil }
        guard let s = v.stringValue else { throw APIError.invalidParameter("\(key) must be a string, not \(v.typeName)") }
        return s
    }

    func integer(_ key: String) throws -> Int64? {
        guard let v = value(key) else { return nil }
        guard let i = v.intValue else { throw APIError.invalidParameter("\(key) must be an integer, not \(v.typeName)") }
        return i
    }

    func number(_ key: String) throws -> Double? {
        guard let v = value(key) else { return nil }
        guard let d = v.doubleValue, d.isFinite else { throw APIError.invalidParameter("\(key) must be a number, not \(v.typeName)") }
        return d
    }

    func bool(_ key: String) throws -> Bool? {
        guard let v = value(key) else { return nil }
        guard let b = v.boolValue else { throw APIError.invalidParameter("\(key) must be a boolean, not \(v.typeName)") }
        return b
    }

    func array(_ key: String) throws -> [JSONValue]? {
        guard let v = value(key) else { return nil }
        guard let a = v.arrayValue else { throw APIError.invalidParameter("\(key) must be an array, not \(v.typeName)") }
        return a
    }

    func dictionary(_ key: String) throws -> [String: JSONValue]? {
        guard let v = value(key) else { return nil }
        guard let o = v.objectValue else { throw APIError.invalidParameter("\(key) must be an object, not \(v.typeName)") }
        return o
    }
}

/// Typed access to query parameters; a malformed or out-of-range value is a 400 naming it.
struct QueryFields {
    let items: [QueryItem]

    func string(_ name: String) -> String? {
        items.first { $0.name == name }?.value
    }

    /// The integer `name`, `fallback` when absent, 400 when not an integer within `range`.
    func integer(_ name: String, default fallback: Int, in range: ClosedRange<Int>) throws -> Int {
        guard let text = string(name) else { return fallback }
        guard let v = Int(text), range.contains(v) else {
            let upper = range.upperBound == Int.max ? "" : "…\(range.upperBound)"
            throw APIError.invalidParameter("\(name) must be an integer in \(range.lowerBound)\(upper), got '\(text)'")
        }
        return v
    }
}
