import CLua
import LuaHost
import SMSClient

/// The `json` module: `json.encode(v, {pretty=, sort=})`, `json.decode(s)`, `json.null`,
/// `json.array(t)`, `json.object(t)`. Integers stay integers and floats floats both ways;
/// JSON null decodes to the `json.null` sentinel (so arrays keep their length) and
/// `json.null` encodes to null.
public struct JSONModule: LuaModule {
    public let name = "json"
    public init() {}

    public func open(_ stack: LuaStack) throws {
        stack.pushLibrary("json", doc: "json — encode and decode JSON with integers and floats kept apart.", functions: [
            LuaLibraryFunction("encode", doc: """
                json.encode(value, {pretty=false, sort=false}) -> string
                  Tables with keys 1..n become arrays, tables with string keys objects; an empty
                  table is {} unless made with json.array{}. json.null is null. Integers are
                  written as integers, floats with a fraction or exponent (3.0 stays 3.0).
                  Errors: functions, userdata, NaN, cycles, mixed keys, invalid UTF-8 (naming the path).
                  Example: json.encode({id = 1, tags = json.array{}}) --> {"id":1,"tags":[]}
                """) { s in
                var pretty = false, sorted = false
                if s.type(at: 2) == LUA_TTABLE {
                    s.getField("pretty", in: 2)
                    s.getField("sort", in: 2)
                    pretty = lua_toboolean(s.L, -2) != 0
                    sorted = lua_toboolean(s.L, -1) != 0
                    s.pop(2)
                }
                let value: JSONValue
                do {
                    value = try s.json(at: 1)
                } catch let e as LuaToJSONError {
                    throw LuaArgumentError("json.encode: \(e.description)")
                }
                s.push(bytes: value.serialized(sortedKeys: sorted, pretty: pretty))
                return 1
            },
            LuaLibraryFunction("decode", doc: """
                json.decode(text) -> value
                  Parses JSON. Integers become Lua integers, other numbers floats; null becomes
                  json.null; arrays and objects remember their kind for json.encode.
                  Errors: "json.decode: invalid JSON at byte N: reason".
                  Example: json.decode('{"n": 3, "x": 3.0}').n --> 3 (math.type integer)
                """) { s in
                guard let bytes = s.bytes(at: 1) else {
                    throw LuaArgumentError("bad argument #1 to 'json.decode' (string expected, got \(s.typeName(at: 1)))")
                }
                do {
                    try s.push(jsonBytes: bytes, nulls: .sentinel, markKinds: true)
                } catch let e as JSONParseError {
                    throw LuaArgumentError("json.decode: \(e.description)")
                }
                return 1
            },
            LuaLibraryFunction("array", doc: """
                json.array(t) -> t
                  Marks t as a JSON array (a shared metatable) and returns it, so an empty one
                  encodes as []; json.array() is a new empty array. Empty arrays in API results
                  and from json.decode already carry the mark.
                  Example: json.encode({tags = json.array()}) --> {"tags":[]}
                """) { s in
                if s.type(at: 1) != LUA_TTABLE { s.top = 0; s.newTable() }
                s.top = 1
                s.pushJSONKindMetatable(array: true)
                s.setMetatable(forValueAt: 1)
                return 1
            },
            LuaLibraryFunction("object", doc: """
                json.object(t) -> t
                  Marks t (default: a new table) as a JSON object, so an empty one encodes as {}.
                """) { s in
                if s.type(at: 1) != LUA_TTABLE { s.top = 0; s.newTable() }
                s.top = 1
                s.pushJSONKindMetatable(array: false)
                s.setMetatable(forValueAt: 1)
                return 1
            },
        ])
        stack.pushJSONNull()
        stack.setField("null", in: -2)
    }
}
