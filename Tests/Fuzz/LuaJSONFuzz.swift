import CLua
import CLuaShim
import LuaHost
import SMSClient
import SMSLua

/// libFuzzer target `json_lua`: JSON text → `JSONValue` (SMSClient's codec) → Lua
/// (`LuaStack.push(json:)`, SMSLua's bridge, as `json.decode` and API results do) → JSON
/// (`LuaStack.json(at:)`, as `json.encode` and request bodies do).
///
/// Invariants: a parsed document serialises to text that parses to the same value (compact
/// and pretty, sorted or not); pushed into Lua and read back it is the same value, except
/// that documents nested deeper than the bridge's limit (100) are refused with a
/// `LuaToJSONError` naming the path; the Lua stack is left as it was; nulls-as-absent
/// pushing never raises.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLuaJSON(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    let bytes = UnsafeBufferPointer(start: data, count: size)
    let value: JSONValue
    do {
        value = try JSONValue.parse(bytes)
    } catch let e as JSONParseError {
        precondition(e.offset >= 0 && e.offset <= size, "error offset outside the input")
        return 0
    } catch {
        preconditionFailure("parse threw \(error)")
    }
    for (sorted, pretty) in [(false, false), (true, true)] {
        let text = value.serialized(sortedKeys: sorted, pretty: pretty)
        guard let again = try? JSONValue.parse(text) else {
            preconditionFailure("serialised JSON does not parse: \(String(decoding: text.prefix(200), as: UTF8.self))")
        }
        precondition(again == value, "serialise → parse changed the value")
    }

    guard let state = try? LuaState() else { preconditionFailure("cannot create a Lua state") }
    let s = state.stack
    s.push(json: value, nulls: .sentinel, markKinds: true)
    precondition(s.top == 1, "push(json:) pushes one value")
    do {
        let back = try s.json(at: -1)
        precondition(back == value, "JSON → Lua → JSON changed the value")
        precondition(depth(value) <= 100, "a value deeper than the limit was accepted")
    } catch let e as LuaToJSONError {
        precondition(depth(value) > 100, "refused a value within the depth limit: \(e)")
        precondition(e.description.hasPrefix("value"), "the error names the path")
    } catch {
        preconditionFailure("json(at:) threw \(error)")
    }
    precondition(s.top == 1, "json(at:) changed the stack")
    s.pop()
    s.push(json: value, nulls: .absent)
    _ = try? s.value(at: -1)
    s.pop()
    precondition(s.top == 0)
    return 0
}

/// Nesting depth counting containers: a scalar is 0, `[]` is 1, `[[1]]` is 2.
private func depth(_ v: JSONValue) -> Int {
    switch v {
    case .array(let a): return 1 + (a.map(depth).max() ?? 0)
    case .object(let o): return 1 + (o.values.map(depth).max() ?? 0)
    default: return 0
    }
}
