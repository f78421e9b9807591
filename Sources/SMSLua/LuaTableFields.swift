import CLua
import CLuaShim
import LuaHost
import SMSClient
import SMSDocs

/// Reads the named fields of a Lua argument table (raw access, no metamethods), turning
/// every mistake into an `SMSError` that names the function and field.
struct LuaTableFields {
    let stack: LuaStack
    let index: Int32
    let function: String

    init(_ stack: LuaStack, at index: Int32, function: String) throws {
        self.stack = stack
        self.index = stack.absolute(index)
        self.function = function
        guard stack.type(at: index) == LUA_TTABLE else {
            let got = stack.type(at: index) == LUA_TNONE ? "no value" : stack.typeName(at: index)
            throw SMSError.invalidArgument("", "\(function): expected a table of fields, got \(got)")
        }
    }

    /// Rejects fields the function does not know, suggesting the closest known name.
    func checkKnown(_ allowed: Set<String>) throws {
        stack.ensure(4)
        stack.pushNil()
        while lua_next(stack.L, index) != 0 {
            defer { stack.pop() }
            guard let key = stack.string(at: -2) else {
                stack.pop()
                throw fieldError("", "fields must have string names (got a \(stack.typeName(at: -1)) key)")
            }
            if !allowed.contains(key) {
                stack.pop(2)
                var message = "unknown field '\(key)'"
                if let near = LuaTableFields.closest(key, in: allowed) { message += " (did you mean '\(near)'?)" }
                throw fieldError(key, message)
            }
        }
    }

    func fieldError(_ field: String, _ message: String) -> SMSError {
        SMSError.invalidArgument(field, "\(function): \(message)")
    }

    private func typeError(_ field: String, expected: String) -> SMSError {
        fieldError(field, "'\(field)' must be \(expected) (got \(stack.typeName(at: -1)))")
    }

    /// Pushes the field, runs `read`, pops.
    private func with<T>(_ name: String, _ read: () throws -> T?) rethrows -> T? {
        stack.getField(name, in: index)
        defer { stack.pop() }
        if stack.type(at: -1) == LUA_TNIL { return nil }
        return try read()
    }

    func string(_ name: String) throws -> String? {
        try with(name) {
            guard let s = stack.string(at: -1) else { throw typeError(name, expected: "a string") }
            return s
        }
    }

    /// A string that must be valid UTF-8 (text that is sent: content, sender), checked on
    /// Lua's bytes before it becomes a Swift string, which would replace bad bytes silently.
    func text(_ name: String) throws -> String? {
        try with(name) {
            guard let bytes = stack.bytes(at: -1) else {
                guard let s = stack.string(at: -1) else { throw typeError(name, expected: "a string") }
                return s
            }
            guard let s = String(validating: bytes, as: UTF8.self) else {
                throw fieldError(name, "'\(name)' is not valid UTF-8 (at byte \(invalidUTF8Offset(bytes)))")
            }
            return s
        }
    }

    func integer(_ name: String) throws -> Int64? {
        try with(name) {
            guard let i = stack.integer(at: -1) else { throw typeError(name, expected: "an integer") }
            return i
        }
    }

    func number(_ name: String) throws -> Double? {
        try with(name) {
            guard let d = stack.number(at: -1) else { throw typeError(name, expected: "a number") }
            return d
        }
    }

    func bool(_ name: String) throws -> Bool? {
        try with(name) {
            guard stack.type(at: -1) == LUA_TBOOLEAN else { throw typeError(name, expected: "true or false") }
            return lua_toboolean(stack.L, -1) != 0
        }
    }

    /// A string, or an array of strings (`status = "failed"` or `{"failed", "timeout"}`).
    func stringList(_ name: String) throws -> [String]? {
        try with(name) {
            if let s = stack.string(at: -1) { return [s] }
            guard stack.type(at: -1) == LUA_TTABLE else { throw typeError(name, expected: "a string or a list of strings") }
            let n = stack.rawLength(at: -1)
            var out: [String] = []
            for i in 0..<n {
                stack.getIndex(Int64(i + 1), in: -1)
                defer { stack.pop() }
                guard let s = stack.string(at: -1) else { throw typeError("\(name)[\(i + 1)]", expected: "a string") }
                out.append(s)
            }
            return out
        }
    }

    /// A JSON object (template variables).
    func object(_ name: String) throws -> [String: JSONValue]? {
        try with(name) {
            guard stack.type(at: -1) == LUA_TTABLE else { throw typeError(name, expected: "a table") }
            do {
                let v = try stack.json(at: -1, path: name)
                if case .object(let o) = v { return o }
                throw fieldError(name, "'\(name)' must be a table of name = value pairs")
            } catch let e as LuaToJSONError {
                throw fieldError(name, "'\(e.path)' \(e.problem)")
            }
        }
    }

    /// The phone numbers: an array of strings (integers are accepted and written in decimal),
    /// each checked straight from Lua's bytes as it is read (the hot path of a
    /// 2,000,000-number send: no Swift `String` per number). `progress` is told every
    /// 65,536 numbers how many have been checked of how many.
    func numbers(_ name: String, progress: ((Int, Int) -> Void)? = nil) throws -> MSISDNList? {
        try with(name) {
            // An sms.numbers list: already read and checked in Swift, handed over as it is.
            if let list = NumberListBinding.list(stack, at: -1) { return list.file.numbers }
            guard stack.type(at: -1) == LUA_TTABLE else { throw typeError(name, expected: "a list of phone numbers") }
            let n = stack.rawLength(at: -1)
            // `{a = "081..."}` has length 0: say why rather than "empty".
            if n == 0 { try checkOnlyIndices(name, length: 0) }
            try RecipientNumbers.checkCount(n)
            var reader = MSISDNList.Reader(capacity: n)
            stack.ensure(3)
            let L = stack.L
            for i in 1...n {
                // lua_rawgeti gives the type: one Lua call fewer per number than asking again.
                let type = lua_rawgeti(L, -1, Int64(i))
                defer { stack.pop() }
                if type == LUA_TSTRING {
                    var length = 0
                    let p = lua_tolstring(L, -1, &length)!
                    try reader.append(utf8: UnsafeBufferPointer(start: UnsafeRawPointer(p).assumingMemoryBound(to: UInt8.self), count: length))
                } else if let v = stack.integer(at: -1) {
                    try reader.append(String(v))
                } else if type == LUA_TNIL {
                    throw holeError(name, at: i, length: n)
                } else {
                    throw fieldError("\(name)[\(i)]", "'\(name)[\(i)]' is a \(stack.typeName(at: -1)), not a phone number")
                }
                if i & 0xFFFF == 0 { progress?(i, n) }
            }
            // 1...n are all there; any further key (`[3]` after a hole, `x = 1`) would be
            // dropped silently, so refuse it.
            try checkOnlyIndices(name, length: n)
            return reader.finish()
        }
    }

    /// Throws unless the list table on top has no keys other than 1...`length` (counted with
    /// `lua_next`: raw, no metamethods; one pass, ~10% of building a 2,000,000-number send).
    private func checkOnlyIndices(_ name: String, length: Int) throws {
        let L = stack.L
        stack.ensure(3)
        let keys = Int(smsh_countkeys(L, -1))
        if keys == length { return }
        // Find the first key outside 1...length to name it.
        var firstBeyond: Int64?
        var stray: String?
        stack.pushNil()
        while lua_next(L, -2) != 0 {
            stack.pop()
            if stack.isInteger(at: -1), let k = stack.integer(at: -1) {
                if k >= 1 && k <= Int64(length) { continue }
                if k > Int64(length) {
                    firstBeyond = min(firstBeyond ?? k, k)
                    continue
                }
            }
            if stray == nil { stray = Self.describeKey(stack, at: -1) }
        }
        if let stray {
            stack.pop()
            throw fieldError(name, "'\(name)' must be a list of numbers: it has the key \(stray) (only 1, 2, 3, ... are read)")
        }
        let extra = keys - length
        throw fieldError(
            name,
            "'\(name)' has a hole at index \(length + 1) (\(extra) key\(extra == 1 ? "" : "s") beyond 1..\(length), from [\(firstBeyond ?? 0)]: nothing after a hole is read)")
    }

    private func holeError(_ name: String, at index: Int, length: Int) -> SMSError {
        fieldError(name, "'\(name)' has a hole at index \(index) (nil between 1 and \(length))")
    }

    /// A key as a message shows it: `'x'`, `[2.5]`, `a table`.
    private static func describeKey(_ stack: LuaStack, at index: Int32) -> String {
        switch stack.type(at: index) {
        case LUA_TSTRING: return SMSError.quotedForLua(stack.string(at: index) ?? "")
        case LUA_TNUMBER:
            if let i = stack.integer(at: index) { return "[\(i)]" }
            return "[\(stack.number(at: index) ?? 0)]"
        case LUA_TBOOLEAN: return lua_toboolean(stack.L, index) != 0 ? "[true]" : "[false]"
        default: return "of type \(stack.typeName(at: index))"
        }
    }

    /// `scheduledTime`: an ISO 8601 string or epoch seconds (`os.time{...}`).
    func scheduledTime(_ name: String) throws -> ScheduledTime? {
        try with(name) {
            if stack.type(at: -1) == LUA_TSTRING { return .iso8601(stack.string(at: -1)!) }
            if let d = stack.number(at: -1) { return .epochSeconds(d) }
            throw typeError(name, expected: "an ISO 8601 string or epoch seconds")
        }
    }

    /// Closest name by edit distance, when close enough to be a likely typo.
    static func closest(_ key: String, in names: Set<String>) -> String? {
        func distance(_ a: [Character], _ b: [Character]) -> Int {
            var prev = Array(0...b.count)
            for i in 1...max(a.count, 1) where !a.isEmpty {
                var cur = [i] + Array(repeating: 0, count: b.count)
                for j in 1...max(b.count, 1) where !b.isEmpty {
                    cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
                }
                prev = cur
            }
            return prev[b.count]
        }
        let k = Array(key.lowercased())
        let best = names.map { ($0, distance(k, Array($0.lowercased()))) }.min { $0.1 < $1.1 || ($0.1 == $1.1 && $0.0 < $1.0) }
        guard let best, best.1 <= max(2, key.count / 3) else { return nil }
        return best.0
    }
}

extension DocRegistry {
    /// The request tables the `sms` module's parsers read, each with the field names its
    /// parser accepts (`LuaTableFields.checkKnown`): a test checks the docs list exactly these.
    /// Here, not in SMSDocs: the lists belong to the parsers, and SMSDocs imports no Lua.
    static let parsedFields: [String: Set<String>] = [
        SMSDocs.sendRequest.name: SMSModule.sendFields,
        SMSDocs.previewRequest.name: SMSModule.previewFields,
        SMSDocs.messagesQuery.name: SMSModule.messagesFields,
        SMSDocs.recipientsQuery.name: SMSModule.recipientsFields,
        SMSDocs.eachRecipientOptions.name: RecipientCursor.fields,
        SMSDocs.waitOptions.name: MessageWaiting.optionFields,
        SMSDocs.campaignRequest.name: Campaign.fields,
        SMSDocs.sendWindow.name: Campaign.windowFields,
        SMSDocs.retryRequest.name: RecipientRetry.fields,
        SMSDocs.csvOptions.name: CSVBinding.fields,
        SMSDocs.numbersOptions.name: NumberListBinding.fields,
    ]
}
