import CLua
import CLuaShim
import LuaHost
import SMSClient

/// The one place where API values (`JSONValue`) and Lua values meet, used by the `sms` and
/// `json` modules. Numbers keep their kind both ways: a JSON integer is a Lua integer, a JSON
/// float a Lua float.
public enum JSONNullStyle {
    /// `null` becomes the `json.null` sentinel (json.decode: nothing is lost).
    case sentinel
    /// `null` becomes nil, so the field is simply absent (API results: `if r.scheduledTime then`).
    case absent
}

/// Why a Lua value has no JSON form; `path` names where (`value.list[3]`).
public struct LuaToJSONError: Error, CustomStringConvertible {
    public let path: String
    public let problem: String
    public var description: String { "\(path) \(problem)" }
}

extension LuaStack {
    private static let nullKey = "smsh.json.null"
    private static let arrayMetaKey = "smsh.json.array"
    private static let objectMetaKey = "smsh.json.object"

    /// Pushes the `json.null` sentinel (one table per state, with a readable `tostring`).
    public func pushJSONNull() {
        if getField(LuaStack.nullKey, in: smshRegistry) == LUA_TTABLE { return }
        pop()
        newTable()
        newTable(fieldCount: 3)
        push { s in
            s.push("json.null")
            return 1
        }
        setField("__tostring", in: -2)
        push("json.null")
        setField("__name", in: -2)
        setMetatable(forValueAt: -2)
        pushCopy(of: -1)
        setField(LuaStack.nullKey, in: smshRegistry)
    }

    /// Pushes the metatable that marks a table as a JSON array (or object), so empty tables
    /// keep their kind through decode → encode.
    public func pushJSONKindMetatable(array: Bool) {
        let key = array ? LuaStack.arrayMetaKey : LuaStack.objectMetaKey
        if getField(key, in: smshRegistry) == LUA_TTABLE { return }
        pop()
        newTable(fieldCount: 1)
        push(array ? "array" : "object")
        setField("__jsontype", in: -2)
        pushCopy(of: -1)
        setField(key, in: smshRegistry)
    }

    var smshRegistry: Int32 { smsh_registryindex() }

    /// Pushes a JSON value as a Lua value.
    public func push(json: JSONValue, nulls: JSONNullStyle, markKinds: Bool = false) {
        ensure(6)
        switch json {
        case .null:
            if nulls == .sentinel { pushJSONNull() } else { pushNil() }
        case .bool(let b): push(b)
        case .int(let i): push(i)
        case .double(let d): push(d)
        case .string(let s): push(s)
        case .array(let a):
            newTable(arrayCount: a.count)
            var i: Int64 = 0
            for v in a {
                i += 1
                push(json: v, nulls: nulls == .absent && v == .null ? .sentinel : nulls, markKinds: markKinds)
                setIndex(i, in: -2)
            }
            // Empty arrays always carry the mark (as LuaJSONSink.endArray does).
            if markKinds || a.isEmpty {
                pushJSONKindMetatable(array: true)
                setMetatable(forValueAt: -2)
            }
        case .object(let o):
            newTable(fieldCount: o.count)
            for (k, v) in o {
                if v == .null && nulls == .absent { continue }
                push(json: v, nulls: nulls, markKinds: markKinds)
                setField(k, in: -2)
            }
            if markKinds {
                pushJSONKindMetatable(array: false)
                setMetatable(forValueAt: -2)
            }
        }
    }

    /// Pushes an API result object with its fields (nulls left out).
    public func push(apiObject: [String: JSONValue]) {
        push(json: .object(apiObject), nulls: .absent)
    }

    /// Reads the Lua value at `index` as JSON. Tables with keys 1...n are arrays, tables with
    /// string keys objects; an empty table is an object unless marked with `json.array`.
    /// Functions, userdata, NaN, cycles, mixed or sparse tables, non-UTF-8 strings are
    /// errors naming the path. The stack is left as it was, also when this throws.
    public func json(at index: Int32, path: String = "value", depthLimit: Int = 100) throws -> JSONValue {
        var visiting: Set<UnsafeRawPointer> = []
        let base = top
        do {
            return try json(at: absolute(index), path: path, depth: depthLimit, visiting: &visiting)
        } catch {
            // A failure inside an object's lua_next walk leaves its key/value pair behind.
            top = base
            throw error
        }
    }

    private func json(at index: Int32, path: String, depth: Int, visiting: inout Set<UnsafeRawPointer>) throws -> JSONValue {
        switch type(at: index) {
        case LUA_TNIL, LUA_TNONE: return .null
        case LUA_TBOOLEAN: return .bool(lua_toboolean(L, index) != 0)
        case LUA_TNUMBER:
            if isInteger(at: index) { return .int(integer(at: index)!) }
            let d = number(at: index)!
            guard d.isFinite else { throw LuaToJSONError(path: path, problem: "is \(d) (JSON has no NaN or infinity)") }
            return .double(d)
        case LUA_TSTRING:
            let bytes = self.bytes(at: index)!
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw LuaToJSONError(path: path, problem: "is not valid UTF-8 (at byte \(invalidUTF8Offset(bytes)))")
            }
            return .string(s)
        case LUA_TTABLE:
            if isJSONNull(at: index) { return .null }
            let ptr = lua_topointer(L, index)!
            if visiting.contains(ptr) { throw LuaToJSONError(path: path, problem: "is a table cycle") }
            guard depth > 0 else { throw LuaToJSONError(path: path, problem: "is nested too deeply") }
            visiting.insert(ptr)
            defer { visiting.remove(ptr) }
            return try tableJSON(at: index, path: path, depth: depth, visiting: &visiting)
        default:
            throw LuaToJSONError(path: path, problem: "is a \(typeName(at: index)) (not JSON)")
        }
    }

    private func isJSONNull(at index: Int32) -> Bool {
        guard getField(LuaStack.nullKey, in: smshRegistry) == LUA_TTABLE else { pop(); return false }
        let same = lua_rawequal(L, index, -1) != 0
        pop()
        return same
    }

    /// The `__jsontype` mark ("array"/"object") of the table at `index`, read raw.
    private func jsonKindMark(at index: Int32) -> String? {
        guard lua_getmetatable(L, index) != 0 else { return nil }
        getField("__jsontype", in: -1)
        let mark = string(at: -1)
        pop(2)
        return mark
    }

    private func tableJSON(at index: Int32, path: String, depth: Int, visiting: inout Set<UnsafeRawPointer>) throws -> JSONValue {
        ensure(6)
        let n = rawLength(at: index)
        var count = 0
        var allSequence = true
        var allStrings = true
        pushNil()
        while lua_next(L, index) != 0 {
            count += 1
            if type(at: -2) == LUA_TSTRING {
                allSequence = false
            } else {
                allStrings = false
                if let i = integer(at: -2), isInteger(at: -2), i >= 1, i <= n {} else { allSequence = false }
            }
            pop()
        }
        let mark = jsonKindMark(at: index)
        if count == 0 { return mark == "array" ? .array([]) : .object([:]) }
        if allSequence && count == n && mark != "object" {
            var array: [JSONValue] = []
            array.reserveCapacity(n)
            for i in 1...n {
                getIndex(Int64(i), in: index)
                defer { pop() }
                array.append(try json(at: top, path: "\(path)[\(i)]", depth: depth - 1, visiting: &visiting))
            }
            return .array(array)
        }
        guard allStrings else {
            throw LuaToJSONError(path: path, problem: allSequence || n > 0
                ? "mixes array items with other keys (or has holes)" : "has non-string keys")
        }
        var object: [String: JSONValue] = [:]
        pushNil()
        while lua_next(L, index) != 0 {
            let key = string(at: -2)!
            object[key] = try json(at: top, path: "\(path).\(key)", depth: depth - 1, visiting: &visiting)
            pop()
        }
        return .object(object)
    }
}

/// The 0-based offset of the first byte that does not start a valid UTF-8 sequence (the
/// length when all of it is valid).
func invalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int {
    var iterator = bytes.makeIterator()
    var decoder = UTF8()
    var offset = 0
    while true {
        switch decoder.decode(&iterator) {
        case .scalarValue(let u): offset += UTF8.width(u)
        case .emptyInput, .error: return offset
        }
    }
}
