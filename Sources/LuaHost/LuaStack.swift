import CLua
import CLuaShim

/// A view of one Lua thread's stack. Swift-backed functions receive one, built from the
/// `lua_State*` Lua gave them (it may be a coroutine): never use another state's stack there.
///
/// Everything here is safe to call inside a Swift-backed function: it uses only raw table
/// access, `lua_to*x`, pushes and protected calls, none of which can longjmp (except on
/// out-of-memory, which Lua treats as fatal anyway).
public struct LuaStack {
    public let L: OpaquePointer

    public init(_ L: OpaquePointer) { self.L = L }

    public var top: Int32 {
        get { lua_gettop(L) }
        nonmutating set { lua_settop(L, newValue) }
    }

    public func pop(_ n: Int32 = 1) { smsh_pop(L, n) }

    public func absolute(_ index: Int32) -> Int32 { lua_absindex(L, index) }

    public func type(at index: Int32) -> Int32 { lua_type(L, index) }

    public func typeName(at index: Int32) -> String {
        String(cString: lua_typename(L, lua_type(L, index)))
    }

    @discardableResult
    public func ensure(_ n: Int32) -> Bool { lua_checkstack(L, n) != 0 }

    // MARK: pushing

    public func pushNil() { lua_pushnil(L) }
    public func push(_ b: Bool) { lua_pushboolean(L, b ? 1 : 0) }
    public func push(_ i: Int64) { lua_pushinteger(L, i) }
    public func push(_ i: Int) { lua_pushinteger(L, Int64(i)) }
    public func push(_ d: Double) { lua_pushnumber(L, d) }

    public func push(_ s: String) {
        var s = s
        s.withUTF8 { buf in
            buf.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
        }
    }

    public func push(bytes: UnsafeBufferPointer<UInt8>) {
        bytes.withMemoryRebound(to: CChar.self) { _ = lua_pushlstring(L, $0.baseAddress, $0.count) }
    }

    public func push(bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { push(bytes: $0) }
    }

    public func newTable(arrayCount: Int = 0, fieldCount: Int = 0) {
        lua_createtable(L, Int32(clamping: arrayCount), Int32(clamping: fieldCount))
    }

    /// `t[key] = v` for the table at `table`, with v on top (popped). Raw: no metamethods.
    public func setField(_ key: String, in table: Int32) {
        let t = absolute(table)
        push(key)
        smsh_insert(L, -2)
        lua_rawset(L, t)
    }

    /// `t[i] = v` for the table at `table`, with v on top (popped). Raw.
    public func setIndex(_ i: Int64, in table: Int32) {
        lua_rawseti(L, table, i)
    }

    /// Pushes `t[key]` for the table at `table`. Raw. Returns the value's Lua type.
    @discardableResult
    public func getField(_ key: String, in table: Int32) -> Int32 {
        let t = absolute(table)
        push(key)
        return lua_rawget(L, t)
    }

    /// Pushes `t[i]`. Raw. Returns the value's Lua type.
    @discardableResult
    public func getIndex(_ i: Int64, in table: Int32) -> Int32 {
        lua_rawgeti(L, table, i)
    }

    /// Pushes a copy of a Swift value. Tables deeper than `depthLimit` are cut with an error
    /// string in their place rather than recursing without end (Swift values cannot be cyclic).
    public func push(_ value: LuaValue, depthLimit: Int = 200) {
        ensure(4)
        switch value {
        case .nil, .opaque: lua_pushnil(L)
        case .boolean(let b): push(b)
        case .integer(let i): lua_pushinteger(L, i)
        case .number(let d): lua_pushnumber(L, d)
        case .string(let bytes): push(bytes: bytes)
        case .table(let t):
            guard depthLimit > 0 else {
                push("<table nested too deeply>")
                return
            }
            newTable(arrayCount: t.array.count, fieldCount: t.hash.count)
            for (i, v) in t.array.enumerated() {
                push(v, depthLimit: depthLimit - 1)
                lua_rawseti(L, -2, Int64(i + 1))
            }
            for (k, v) in t.hash {
                // Keys Lua cannot hold: nil, NaN, and opaque values (they push as nil; a nil
                // key would be an unprotected error, i.e. abort()).
                if case .nil = k { continue }
                if case .opaque = k { continue }
                if case .number(let d) = k, d.isNaN { continue }
                push(k, depthLimit: depthLimit - 1)
                push(v, depthLimit: depthLimit - 1)
                lua_rawset(L, -3)
            }
        }
    }

    /// Pushes a copy of the value at `index`.
    public func pushCopy(of index: Int32) { lua_pushvalue(L, index) }

    /// Pops a table and makes it the metatable of the value at `index`.
    public func setMetatable(forValueAt index: Int32) {
        _ = lua_setmetatable(L, index)
    }

    // MARK: reading

    /// The string at `index` without conversion (numbers are NOT turned into strings, so this
    /// never disturbs `lua_next`). Nil when the value is not a string.
    public func bytes(at index: Int32) -> UnsafeBufferPointer<UInt8>? {
        guard lua_type(L, index) == LUA_TSTRING else { return nil }
        var len = 0
        guard let p = lua_tolstring(L, index, &len) else { return nil }
        return UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: len)
    }

    public func string(at index: Int32) -> String? {
        bytes(at: index).map { String(decoding: $0, as: UTF8.self) }
    }

    public func integer(at index: Int32) -> Int64? {
        guard lua_type(L, index) == LUA_TNUMBER else { return nil }
        var ok: Int32 = 0
        let v = lua_tointegerx(L, index, &ok)
        return ok != 0 ? v : nil
    }

    public func number(at index: Int32) -> Double? {
        guard lua_type(L, index) == LUA_TNUMBER else { return nil }
        return lua_tonumberx(L, index, nil)
    }

    public func isInteger(at index: Int32) -> Bool { smsh_isinteger(L, index) != 0 }

    /// Raw length (`#t` without `__len`).
    public func rawLength(at index: Int32) -> Int { Int(smsh_rawlen(L, index)) }

    /// Copies the value at `index`. Cycles and nesting deeper than `depthLimit` throw
    /// `LuaValueError` naming the path, never crash.
    /// The stack is left as it was, also when this throws.
    public func value(at index: Int32, depthLimit: Int = 100) throws -> LuaValue {
        var path: [String] = []
        var visiting: Set<UnsafeRawPointer> = []
        let base = top
        do {
            return try value(at: absolute(index), depthLimit: depthLimit, path: &path, visiting: &visiting)
        } catch {
            // A failure deep inside a table walk leaves its lua_next key/value pairs behind.
            top = base
            throw error
        }
    }

    private func value(at index: Int32, depthLimit: Int, path: inout [String], visiting: inout Set<UnsafeRawPointer>) throws -> LuaValue {
        switch lua_type(L, index) {
        case LUA_TNIL, LUA_TNONE: return .nil
        case LUA_TBOOLEAN: return .boolean(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if smsh_isinteger(L, index) != 0 { return .integer(lua_tointegerx(L, index, nil)) }
            return .number(lua_tonumberx(L, index, nil))
        case LUA_TSTRING: return .string(Array(bytes(at: index)!))
        case LUA_TTABLE:
            let ptr = lua_topointer(L, index)!
            if visiting.contains(ptr) { throw LuaValueError.cycle(path: LuaValueError.render(path)) }
            if path.count >= depthLimit { throw LuaValueError.tooDeep(path: LuaValueError.render(path), limit: depthLimit) }
            visiting.insert(ptr)
            defer { visiting.remove(ptr) }
            guard ensure(4) else { throw LuaValueError.tooDeep(path: LuaValueError.render(path), limit: path.count) }
            var pairs: [(LuaValue, LuaValue)] = []
            lua_pushnil(L)
            while lua_next(L, index) != 0 {
                let key: LuaValue
                switch lua_type(L, -2) {
                case LUA_TSTRING, LUA_TNUMBER, LUA_TBOOLEAN: key = try value(at: absolute(-2), depthLimit: depthLimit, path: &path, visiting: &visiting)
                default: key = .opaque(typeName(at: -2))
                }
                path.append(LuaValueError.segment(key))
                let v = try value(at: absolute(-1), depthLimit: depthLimit, path: &path, visiting: &visiting)
                path.removeLast()
                pairs.append((key, v))
                smsh_pop(L, 1)
            }
            return .table(LuaStack.split(pairs))
        default:
            return .opaque(typeName(at: index))
        }
    }

    /// Separates keys 1...n into the array part.
    static func split(_ pairs: [(LuaValue, LuaValue)]) -> LuaTable {
        var table = LuaTable()
        var numbered: [Int64: LuaValue] = [:]
        for (k, v) in pairs {
            if case .integer(let i) = k, i >= 1 { numbered[i] = v } else { table.hash[k] = v }
        }
        var n: Int64 = 1
        table.array.reserveCapacity(numbered.count)
        while let v = numbered.removeValue(forKey: n) {
            table.array.append(v)
            n += 1
        }
        for (i, v) in numbered { table.hash[.integer(i)] = v }
        return table
    }

    // MARK: conversion to text

    /// `tostring(v)` honouring `__tostring`/`__name`, run protected: a failing `__tostring`
    /// yields a description of that failure instead of raising.
    public func describe(at index: Int32) -> String {
        let idx = absolute(index)
        let status = smsh_tostring(L, idx)
        defer { smsh_pop(L, 1) }
        let text = string(at: -1) ?? "?"
        return status == LUA_OK ? text : "(error in __tostring: \(text))"
    }

    // MARK: calling Lua

    /// Calls the function below `nargs` arguments, protected, with a traceback handler.
    /// On success the results stay on the stack (`nresults` of them, or all with -1) and
    /// their count is returned.
    @discardableResult
    public func call(nargs: Int32, nresults: Int32 = -1, traceback: Bool = true) throws -> Int32 {
        let base = top - nargs - 1
        let status = traceback ? smsh_docall(L, nargs, nresults) : smsh_pcall(L, nargs, nresults, 0)
        if status != LUA_OK { throw takeError(status: status) }
        return top - base
    }

    /// Turns the error value on top into a `LuaError` (popping it), keeping the original
    /// value in the registry so a Swift callback can re-raise the same value.
    func takeError(status: Int32) -> LuaError {
        let message: String
        var trace: String? = nil
        if let s = string(at: -1) {
            if let cut = LuaStack.tracebackStart(in: s) {
                message = String(s[..<cut])
                trace = String(s[s.index(after: cut)...])
            } else {
                message = s
            }
        } else {
            message = describe(at: -1)
        }
        var value = (try? value(at: -1, depthLimit: 20)) ?? .opaque(typeName(at: -1))
        // With the traceback handler the value on top is a string; the original is kept aside.
        let reg = smsh_registryindex()
        push("smsh.errorobject")
        if lua_rawget(L, reg) != LUA_TNIL {
            value = (try? self.value(at: -1, depthLimit: 20)) ?? value
            // Re-raising from a Swift callback should raise the original value, not the text.
            smsh_replace(L, -2)
            push("smsh.errorobject")
            pushNil()
            lua_rawset(L, reg)
        } else {
            pop()
        }
        let token = keepError()  // pops
        return LuaError(kind: LuaStatus.kind(status), message: message, traceback: trace, value: value, token: token)
    }

    /// Where `\nstack traceback:` starts in a message made by the traceback handler.
    static func tracebackStart(in s: String) -> String.Index? {
        let marker = "\nstack traceback:"
        var i = s.startIndex
        while i < s.endIndex {
            if s[i] == "\n", s[i...].hasPrefix(marker) { return i }
            i = s.index(after: i)
        }
        return nil
    }

    private static let errorKey = "smsh.error"
    private static let tokenKey = "smsh.errortoken"

    /// Moves the value on top into the registry slot for the last error; returns its token.
    private func keepError() -> Int64 {
        let reg = smsh_registryindex()
        push(LuaStack.tokenKey)
        lua_rawget(L, reg)
        let token = (integer(at: -1) ?? 0) + 1
        smsh_pop(L, 1)
        push(LuaStack.tokenKey)
        push(token)
        lua_rawset(L, reg)
        push(LuaStack.errorKey)
        smsh_insert(L, -2)
        lua_rawset(L, reg)
        return token
    }

    func pushKeptError(token: Int64) -> Bool {
        let reg = smsh_registryindex()
        push(LuaStack.tokenKey)
        lua_rawget(L, reg)
        let current = integer(at: -1)
        smsh_pop(L, 1)
        guard current == token else { return false }
        push(LuaStack.errorKey)
        lua_rawget(L, reg)
        return true
    }
}

/// A Lua value that cannot be copied into Swift.
public enum LuaValueError: Error, CustomStringConvertible, Equatable, Sendable {
    case cycle(path: String)
    case tooDeep(path: String, limit: Int)

    public var description: String {
        switch self {
        case .cycle(let p): return "table cycle at \(p)"
        case .tooDeep(let p, let limit): return "table nested deeper than \(limit) at \(p)"
        }
    }

    static func segment(_ key: LuaValue) -> String {
        switch key {
        case .string(let b): return "." + String(decoding: b, as: UTF8.self)
        case .integer(let i): return "[\(i)]"
        case .number(let d): return "[\(d)]"
        case .boolean(let b): return "[\(b)]"
        default: return "[?]"
        }
    }

    static func render(_ path: [String]) -> String { path.isEmpty ? "(root)" : "value" + path.joined() }
}
