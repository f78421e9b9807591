import CLua
import CLuaShim
import LuaHost
import SMSClient

/// `sms.csv(path [, {separator = ";"}])`: a generic-for iterator over a CSV file's rows, each
/// a fresh table keyed by the header's column names, with the line where the row starts.
/// Streaming: one row is in memory at a time; its fields go from the reader's bytes straight
/// into Lua strings (no Swift `String` per field).
enum CSVBinding {
    static let fields: Set<String> = ["separator"]

    static func iterate(_ s: LuaStack, env: SMSEnvironment) throws -> Int32 {
        guard let path = s.string(at: 1) else {
            let got = s.type(at: 1) == LUA_TNONE ? "no value" : s.typeName(at: 1)
            throw SMSError.invalidArgument("path", "expected a CSV file path (string), got \(got)")
        }
        var separator: Character = ","
        if s.type(at: 2) > LUA_TNIL {
            let f = try LuaTableFields(s, at: 2, function: "sms.csv")
            try f.checkKnown(fields)
            if let sep = try f.string("separator") {
                guard sep.count == 1, let c = sep.first else {
                    throw f.fieldError("separator", "'separator' must be one character (got \(SMSError.quotedForLua(sep)))")
                }
                separator = c
            }
        }
        let rows = try CSVRows(path: path, separator: separator)
        let keys = rows.header.map { Array($0.utf8) }
        // The iterator, then nil state and control, then a closing value: `break` or an
        // error in the loop body closes the file at once instead of at garbage collection.
        s.push(function: SMSModule.namingErrors("csv", env) { s in
            guard try rows.advance() else {
                s.pushNil()
                return 1
            }
            let L = s.L
            _ = s.ensure(4)
            lua_createtable(L, 0, Int32(keys.count))
            rows.withCurrentRow { row in
                for i in 0..<row.count {
                    s.push(bytes: keys[i])
                    s.push(bytes: row[i])
                    lua_rawset(L, -3)
                }
            }
            s.push(rows.line)
            return 2
        })
        s.pushNil()
        s.pushNil()
        s.newTable()
        s.newTable(fieldCount: 1)
        s.push(function: { _ in
            rows.close()
            return 0
        })
        s.setField("__close", in: -2)
        lua_setmetatable(s.L, -2)
        return 4
    }
}
