import CLua
import CLuaShim
import LuaHost
import SMSDocs

/// Tab completion for the REPL, answered from the live Lua state (raw reads only):
/// globals and keywords; fields after `.` and methods after `:` (`sms.se` → `sms.send`,
/// nested tables too); field names inside a call's table argument (`sms.send{se` →
/// `sender=`); REPL commands after a leading `:`.
public struct Completer {
    /// Field names of the table arguments of known functions, for `f{<TAB>`.
    public var callFields: [String: [String]]
    public var commands: [String]

    public init(callFields: [String: [String]] = Completer.builtinCallFields, commands: [String] = []) {
        self.callFields = callFields
        self.commands = commands
    }

    /// The fields of every documented function's request table (`sms.send{se` → `sender=`),
    /// from the doc registry that `help()` and the LuaLS definitions use.
    public static let builtinCallFields: [String: [String]] = {
        var fields: [String: [String]] = [:]
        for f in DocRegistry.modules.flatMap(\.functions) {
            let names = f.params.compactMap(\.table).flatMap { $0.fields.map(\.name) }
            if !names.isEmpty { fields[f.name] = names.sorted() }
        }
        return fields
    }()

    static let keywords = ["and", "break", "do", "else", "elseif", "end", "false", "for", "function", "goto", "if",
                           "in", "local", "nil", "not", "or", "repeat", "return", "then", "true", "until", "while"]

    /// Characters that end a word for completion ('.' and ':' do not: `sms.se` is one word).
    public static let wordBreaks = " \t\n\"'`@$><=;|&{(,+-*/%^#~[]"

    /// Completions for the word that ends the text before the cursor. Each match replaces
    /// that whole word.
    public func complete(_ beforeCursor: String, in s: LuaStack) -> [String] {
        let chars = Array(beforeCursor)
        var start = chars.count
        while start > 0, !Completer.wordBreaks.contains(chars[start - 1]) { start -= 1 }
        let word = String(chars[start...])
        let before = String(chars[..<start])

        if before.trimmingSpaces().isEmpty, word.hasPrefix(":") {
            return commands.filter { $0.hasPrefix(word) }.sorted()
        }
        if !word.contains("."), !word.contains(":"), let function = enclosingCall(before) {
            let fields = (callFields[function] ?? []).filter { $0.hasPrefix(word) }.map { $0 + "=" }
            if !fields.isEmpty { return fields }
        }
        if let sep = word.lastIndex(where: { $0 == "." || $0 == ":" }) {
            let path = String(word[..<sep])
            let partial = String(word[word.index(after: sep)...])
            let isMethod = word[sep] == ":"
            let names = fieldNames(ofPath: path, methods: isMethod, in: s)
            return names.filter { $0.hasPrefix(partial) }.map { path + String(word[sep]) + $0 }.sorted()
        }
        var names = Set(Completer.keywords)
        names.formUnion(fieldNames(ofPath: nil, methods: false, in: s))
        return names.filter { $0.hasPrefix(word) }.sorted()
    }

    /// `sms.send` when the text ends inside `sms.send{…`, `sms.send({…` or `sms.wait(id, {…`
    /// at a field position.
    func enclosingCall(_ before: String) -> String? {
        let chars = Array(before)
        // The word must start a field: after '{' or ',' (spaces allowed).
        var j = chars.count - 1
        while j >= 0, chars[j] == " " { j -= 1 }
        guard j >= 0, chars[j] == "{" || chars[j] == "," else { return nil }
        // Find the unclosed '{' that holds the cursor.
        var depth = 0
        var i = chars.count - 1
        while i >= 0 {
            if chars[i] == "}" { depth += 1 }
            if chars[i] == "{" {
                if depth == 0 { break }
                depth -= 1
            }
            i -= 1
        }
        guard i >= 0 else { return nil }
        var k = i - 1
        while k >= 0, chars[k] == " " { k -= 1 }
        if k >= 0, chars[k] == "," {
            // A later argument: go back to the call's unclosed '('.
            var parens = 0
            while k >= 0 {
                if chars[k] == ")" { parens += 1 }
                if chars[k] == "(" {
                    if parens == 0 { break }
                    parens -= 1
                }
                k -= 1
            }
            guard k >= 0 else { return nil }
        }
        if k >= 0, chars[k] == "(" { k -= 1 }
        while k >= 0, chars[k] == " " { k -= 1 }
        let end = k
        while k >= 0, chars[k].isLetter || chars[k].isNumber || chars[k] == "_" || chars[k] == "." { k -= 1 }
        guard end > k else { return nil }
        return String(chars[(k + 1)...end])
    }

    /// String keys of the table a dotted path names (globals when nil); with `methods`,
    /// also those of its metatable's `__index` table.
    func fieldNames(ofPath path: String?, methods: Bool, in s: LuaStack) -> [String] {
        let base = s.top
        defer { s.top = base }
        s.ensure(8)
        smsh_pushglobaltable(s.L)
        if let path {
            for part in path.split(separator: ".", omittingEmptySubsequences: false) {
                guard s.type(at: -1) == LUA_TTABLE, !part.isEmpty else { return [] }
                s.getField(String(part), in: -1)
            }
        }
        var names = keys(at: s.top, in: s)
        if methods || s.type(at: -1) != LUA_TTABLE {
            if lua_getmetatable(s.L, -1) != 0, s.getField("__index", in: -1) == LUA_TTABLE {
                names += keys(at: s.top, in: s)
            }
        }
        return Array(Set(names))
    }

    private func keys(at index: Int32, in s: LuaStack) -> [String] {
        guard s.type(at: index) == LUA_TTABLE else { return [] }
        var out: [String] = []
        s.pushNil()
        while lua_next(s.L, index) != 0 {
            if let k = s.string(at: -2), ValuePrinter.isIdentifier(k) { out.append(k) }
            s.pop()
        }
        return out
    }
}

extension String {
    func trimmingSpaces() -> String {
        var s = Substring(self)
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return String(s)
    }
}
