import CLua
import LuaHost
import SMSClient
import SMSDocs

/// The `json` module: `json.encode(v, {pretty=, sort=})`, `json.decode(s)`, `json.null`,
/// `json.array(t)`, `json.object(t)`. Integers stay integers and floats floats both ways;
/// JSON null decodes to the `json.null` sentinel (so arrays keep their length) and
/// `json.null` encodes to null.
public struct JSONModule: LuaModule {
    public let name = "json"
    public init() {}

    public func open(_ stack: LuaStack) throws {
        stack.pushLibrary("json", doc: { JSONDocs.moduleDoc.doc }, functions: [
            LuaLibraryFunction("encode", doc: JSONDocs.encode.helpText) { s in
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
            LuaLibraryFunction("decode", doc: JSONDocs.decode.helpText) { s in
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
            LuaLibraryFunction("array", doc: JSONDocs.array.helpText) { s in
                if s.type(at: 1) != LUA_TTABLE { s.top = 0; s.newTable() }
                s.top = 1
                s.pushJSONKindMetatable(array: true)
                s.setMetatable(forValueAt: 1)
                return 1
            },
            LuaLibraryFunction("object", doc: JSONDocs.object.helpText) { s in
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
