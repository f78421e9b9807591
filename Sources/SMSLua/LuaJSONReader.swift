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
        ensure(2)
        // The string cache's table sits below the value while it is built, then goes.
        lua_createtable(L, Int32(LuaStringCache.slots), 0)
        let cache = LuaStringCache(tableIndex: self.top)
        defer { cache.release() }
        var sink = LuaJSONSink(stack: self, nulls: nulls, markKinds: markKinds, strings: cache)
        do {
            try readJSON(bytes, into: &sink)
        } catch {
            self.top = top
            throw error
        }
        lua_rotate(L, top + 1, -1)
        lua_settop(L, -2)
    }
}

/// Builds Lua values on the stack as the JSON reader goes: raw sets only (no metamethods).
struct LuaJSONSink: JSONReadingSink {
    let stack: LuaStack
    let L: OpaquePointer
    let nulls: JSONNullStyle
    let markKinds: Bool
    let strings: LuaStringCache

    init(stack: LuaStack, nulls: JSONNullStyle, markKinds: Bool, strings: LuaStringCache) {
        self.stack = stack
        self.L = stack.L
        self.nulls = nulls
        self.markKinds = markKinds
        self.strings = strings
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
    func endObject(_ object: Container) {
        if markKinds { mark(array: false) }
    }

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
    /// An empty array is always marked, so it encodes as `[]` again (an API result's empty
    /// `data`); other arrays only for `json.decode`, which keeps every kind (each_recipient's
    /// pages stay plain tables: no metatable per element).
    func endArray(_ array: Container) {
        if markKinds || array.count == 0 { mark(array: true) }
    }

    private func mark(array: Bool) {
        stack.pushJSONKindMetatable(array: array)
        lua_setmetatable(L, -2)
    }

    /// Valid UTF-8 goes in as it is; anything else repaired as `String(decoding:)` does, so
    /// both ways of decoding give the same strings.
    private func push(_ utf8: UnsafeBufferPointer<UInt8>) {
        if strings.push(utf8, L) { return }
        var ascii = true
        for b in utf8 where b >= 0x80 {
            ascii = false
            break
        }
        if ascii || String(validating: utf8, as: UTF8.self) != nil {
            utf8.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
            strings.remember(utf8, L)
        } else {
            stack.push(String(decoding: utf8, as: UTF8.self))
        }
    }
}

/// Short strings that repeat through a document (object keys; values such as statuses and
/// timestamps) are pushed from here instead of through `lua_pushlstring`, which hashes every
/// byte of a short string and looks it up in Lua's string table on each push. A page of
/// 1,000 recipients pushes 6,000 strings of which ~5,000 repeat.
///
/// 64 direct-mapped slots, chosen by a string's length and first and last bytes, each
/// remembers one string of at most 32 bytes: its bytes here, the Lua string in a table on
/// the stack (which keeps it alive). A slot is overwritten by the next string that maps to
/// it and was not found, unless that slot keeps being overwritten without ever being found
/// (unique values such as phone numbers): after 16 such misses in a row it keeps what it has.
final class LuaStringCache {
    static let slots = 64
    static let longest = 32

    private let table: Int32
    private let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: slots * longest)
    private let lengths = UnsafeMutablePointer<Int>.allocate(capacity: slots)
    /// Overwrites of each slot since it was last found.
    private let misses = UnsafeMutablePointer<UInt8>.allocate(capacity: slots)

    /// - Parameter tableIndex: absolute stack index of an empty table for the Lua strings.
    init(tableIndex: Int32) {
        table = tableIndex
        lengths.initialize(repeating: -1, count: LuaStringCache.slots)
        misses.initialize(repeating: 0, count: LuaStringCache.slots)
    }

    func release() {
        bytes.deallocate()
        lengths.deallocate()
        misses.deallocate()
    }

    private func slot(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        (utf8.count &* 31 &+ Int(utf8[0]) &* 7 &+ Int(utf8[utf8.count - 1])) & (LuaStringCache.slots - 1)
    }

    /// Pushes the string from the cache and returns true when it is there.
    @inline(__always)
    func push(_ utf8: UnsafeBufferPointer<UInt8>, _ L: OpaquePointer) -> Bool {
        guard utf8.count > 0, utf8.count <= LuaStringCache.longest else { return false }
        let s = slot(utf8)
        guard lengths[s] == utf8.count, LuaStringCache.same(bytes + s * LuaStringCache.longest, utf8.baseAddress!, utf8.count)
        else { return false }
        misses[s] = 0
        lua_rawgeti(L, table, lua_Integer(s + 1))
        return true
    }

    /// memcmp for a few bytes, without the call: 8 bytes at a time, then the rest.
    @inline(__always)
    private static func same(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ count: Int) -> Bool {
        var i = 0
        while i + 8 <= count {
            if UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self) != UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self) {
                return false
            }
            i += 8
        }
        while i < count {
            if a[i] != b[i] { return false }
            i += 1
        }
        return true
    }

    /// Remembers the string just pushed (on top of the stack) as these bytes.
    @inline(__always)
    func remember(_ utf8: UnsafeBufferPointer<UInt8>, _ L: OpaquePointer) {
        guard utf8.count > 0, utf8.count <= LuaStringCache.longest else { return }
        let s = slot(utf8)
        guard misses[s] < 16 else { return }
        misses[s] += 1
        (bytes + s * LuaStringCache.longest).update(from: utf8.baseAddress!, count: utf8.count)
        lengths[s] = utf8.count
        lua_pushvalue(L, -1)
        lua_rawseti(L, table, lua_Integer(s + 1))
    }
}
