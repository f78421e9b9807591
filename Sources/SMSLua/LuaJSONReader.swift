import CLua
import LuaHost
import SMSClient

extension LuaStack {
    /// Pushes the JSON document in `bytes` as a Lua value, built straight from the bytes by
    /// the one JSON reader (no `JSONValue` in between): how `json.decode` and the pages of
    /// `sms.each_recipient` reach Lua. Same values as `push(json: JSONValue.parse(bytes))`.
    /// On a parse error nothing is left on the stack.
    public func push(jsonBytes bytes: UnsafeBufferPointer<UInt8>, nulls: JSONNullStyle, markKinds: Bool = false) throws {
        let top = self.top
        var sink = LuaJSONSink(stack: self, nulls: nulls, markKinds: markKinds)
        do {
            try readJSON(bytes, into: &sink)
        } catch {
            self.top = top
            throw error
        }
    }
}

/// Builds Lua values on the stack as the JSON reader goes: raw sets only (no metamethods).
struct LuaJSONSink: JSONReadingSink {
    let stack: LuaStack
    let L: OpaquePointer
    let nulls: JSONNullStyle
    let markKinds: Bool

    init(stack: LuaStack, nulls: JSONNullStyle, markKinds: Bool) {
        self.stack = stack
        self.L = stack.L
        self.nulls = nulls
        self.markKinds = markKinds
    }

    /// The table being filled: its stack slot and, for arrays, how many elements it has.
    struct Container {
        var index: Int32
        var count: Int64
    }

    func null() {
        if nulls == .sentinel { stack.pushJSONNull() } else { lua_pushnil(L) }
    }
    func bool(_ value: Bool) { lua_pushboolean(L, value ? 1 : 0) }
    func int(_ value: Int64) { lua_pushinteger(L, value) }
    func double(_ value: Double) { lua_pushnumber(L, value) }
    func string(_ utf8: UnsafeBufferPointer<UInt8>) { push(utf8) }

    func beginObject() -> Container {
        stack.ensure(4)
        lua_createtable(L, 0, 4)
        return Container(index: lua_gettop(L), count: 0)
    }
    func key(_ utf8: UnsafeBufferPointer<UInt8>, in object: inout Container) { push(utf8) }
    /// A null member is a nil value: the raw set leaves the field out (`.absent`).
    func member(_ value: Void, in object: inout Container) { lua_rawset(L, object.index) }
    func endObject(_ object: Container) { mark(array: false) }

    func beginArray() -> Container {
        stack.ensure(4)
        lua_createtable(L, 0, 0)
        return Container(index: lua_gettop(L), count: 0)
    }
    func element(_ value: Void, in array: inout Container) {
        // A null element keeps its place as json.null, so the array keeps its length.
        if lua_type(L, -1) == LUA_TNIL {
            lua_settop(L, -2)
            stack.pushJSONNull()
        }
        array.count += 1
        lua_rawseti(L, array.index, array.count)
    }
    func endArray(_ array: Container) { mark(array: true) }

    private func mark(array: Bool) {
        guard markKinds else { return }
        stack.pushJSONKindMetatable(array: array)
        lua_setmetatable(L, -2)
    }

    /// Valid UTF-8 goes in as it is; anything else repaired as `String(decoding:)` does, so
    /// both ways of decoding give the same strings.
    private func push(_ utf8: UnsafeBufferPointer<UInt8>) {
        var ascii = true
        for b in utf8 where b >= 0x80 {
            ascii = false
            break
        }
        if ascii || String(validating: utf8, as: UTF8.self) != nil {
            utf8.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        } else {
            stack.push(String(decoding: utf8, as: UTF8.self))
        }
    }
}
