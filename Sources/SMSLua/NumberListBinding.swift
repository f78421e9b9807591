import CLua
import CLuaShim
import LuaHost
import SMSClient

/// The Swift object behind an `sms.numbers` list userdata.
final class NumberListBox {
    let file: NumberFile
    let path: String
    init(file: NumberFile, path: String) { self.file = file; self.path = path }
}

/// `sms.numbers(path [, {column=, separator=}])`: a userdata list of valid, distinct numbers
/// read in Swift (`NumberFile`); `#list`, `list.duplicates`, `list.invalid`, `tostring(list)`.
/// `msisdns = list` hands its `MSISDNList` to the request without going through Lua.
enum NumberListBinding {
    static let metatableName = "sms.numbers list"
    static let fields: Set<String> = ["column", "separator"]

    static func read(_ s: LuaStack) throws -> Int32 {
        guard let path = s.string(at: 1) else {
            let got = s.type(at: 1) == LUA_TNONE ? "no value" : s.typeName(at: 1)
            throw SMSError.invalidArgument("path", "expected a file path (string), got \(got)")
        }
        var column: String?, separator: Character = ","
        if s.type(at: 2) > LUA_TNIL {
            let f = try LuaTableFields(s, at: 2, function: "sms.numbers")
            try f.checkKnown(fields)
            column = try f.string("column")
            if let sep = try f.string("separator") {
                guard sep.count == 1, let c = sep.first else {
                    throw f.fieldError("separator", "'separator' must be one character")
                }
                separator = c
            }
        }
        let file = try NumberFile.read(path: path, column: column, separator: separator)
        push(s, NumberListBox(file: file, path: path))
        return 1
    }

    /// The list at `index`, when it is one (never raises).
    static func list(_ s: LuaStack, at index: Int32) -> NumberListBox? {
        guard s.type(at: index) == LUA_TUSERDATA, let p = luaL_testudata(s.L, index, metatableName),
              let object = p.load(as: UnsafeMutableRawPointer?.self) else { return nil }
        return Unmanaged<NumberListBox>.fromOpaque(object).takeUnretainedValue()
    }

    private static func push(_ s: LuaStack, _ box: NumberListBox) {
        let L = s.L
        _ = s.ensure(4)
        let raw = lua_newuserdatauv(L, MemoryLayout<UnsafeMutableRawPointer?>.size, 1)!
        raw.storeBytes(of: Unmanaged.passRetained(box).toOpaque(), as: UnsafeMutableRawPointer?.self)
        if luaL_newmetatable(L, metatableName) != 0 {
            s.push(function: { s in
                // Released once: the pointer is cleared.
                if let p = lua_touserdata(s.L, 1), let object = p.load(as: UnsafeMutableRawPointer?.self) {
                    p.storeBytes(of: nil, as: UnsafeMutableRawPointer?.self)
                    Unmanaged<NumberListBox>.fromOpaque(object).release()
                }
                return 0
            })
            s.setField("__gc", in: -2)
            s.push(function: { s in
                guard let box = list(s, at: 1) else { return 0 }
                s.push(box.file.numbers.count)
                return 1
            })
            s.setField("__len", in: -2)
            s.push(function: { s in
                guard let box = list(s, at: 1) else { return 0 }
                let f = box.file
                s.push("sms.numbers: \(f.numbers.count) numbers (\(f.duplicates) duplicates removed, \(f.invalid.count) invalid) from \(box.path)")
                return 1
            })
            s.setField("__tostring", in: -2)
            s.push(function: index)
            s.setField("__index", in: -2)
        }
        lua_setmetatable(L, -2)
    }

    /// `list.duplicates`, `list.invalid` (built once, kept in the user value), `list.path`.
    private static func index(_ s: LuaStack) throws -> Int32 {
        guard let box = list(s, at: 1), let key = s.string(at: 2) else { s.pushNil(); return 1 }
        switch key {
        case "duplicates":
            s.push(box.file.duplicates)
        case "path":
            s.push(box.path)
        case "invalid":
            _ = s.ensure(6)
            if lua_getiuservalue(s.L, 1, 1) != LUA_TTABLE {
                s.pop()
                let invalid = box.file.invalid
                s.newTable(arrayCount: invalid.count)
                for (i, entry) in invalid.enumerated() {
                    s.newTable(fieldCount: 3)
                    s.push(entry.line)
                    s.setField("line", in: -2)
                    s.push(entry.value)
                    s.setField("value", in: -2)
                    s.push(entry.reason)
                    s.setField("reason", in: -2)
                    s.setIndex(Int64(i + 1), in: -2)
                }
                lua_pushvalue(s.L, -1)
                lua_setiuservalue(s.L, 1, 1)
            }
        default:
            s.pushNil()
        }
        return 1
    }
}
