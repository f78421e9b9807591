/// A JSON object from the API, kept whole: every field the server sent, known or not, is in
/// `json` (the Lua layer converts that), and the typed accessors of each result return nil
/// for a missing or differently typed field instead of failing the call.
public protocol APIObject: Sendable, Equatable {
    var json: [String: JSONValue] { get }
    init(json: [String: JSONValue])
}

extension APIObject {
    public subscript(key: String) -> JSONValue? { json[key] }

    func string(_ key: String) -> String? { json[key]?.stringValue }
    func int(_ key: String) -> Int64? { json[key]?.intValue }
    func double(_ key: String) -> Double? { json[key]?.doubleValue }
    func bool(_ key: String) -> Bool? { json[key]?.boolValue }

    /// The objects in an array field (`data`), skipping elements that are not objects.
    func objects<T: APIObject>(_ key: String) -> [T] {
        guard let array = json[key]?.arrayValue else { return [] }
        return array.compactMap { $0.objectValue.map(T.init(json:)) }
    }
}
