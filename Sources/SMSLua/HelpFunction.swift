import CLua
import CLuaShim
import LuaHost
import SMSDocs

/// `help()`: lists modules and their functions; `help(sms.send)` or `help("sms.send")`
/// prints that function's doc string. Docs come from the doc registry every native
/// function is registered in.
public enum HelpFunction {
    public static var doc: String { GlobalDocs.help.helpText }

    /// The modules `help()` lists, in order.
    public static let modules = ["sms", "json", "log"]

    public static func install(in lua: LuaState, print: @escaping (String) -> Void) {
        lua.register("help", doc: { doc }) { s in
            print(text(s))
            return 0
        }
    }

    /// The help text for the call's argument (at index 1).
    static func text(_ s: LuaStack) -> String {
        s.ensure(6)
        switch s.type(at: 1) {
        case LUA_TNONE, LUA_TNIL:
            return overview(s)
        case LUA_TSTRING:
            let name = s.string(at: 1)!
            guard resolve(name, s) else { return "help: no such function or module: \(name)" }
            defer { s.pop() }
            return docText(at: s.top, in: s) ?? "help: \(name) has no documentation"
        default:
            return docText(at: 1, in: s) ?? "help: no documentation for this \(s.typeName(at: 1))"
        }
    }

    private static func docText(at index: Int32, in s: LuaStack) -> String? {
        guard var doc = s.doc(forValueAt: index) else { return nil }
        if s.type(at: index) == LUA_TTABLE {
            doc += "\n" + functionNames(ofTableAt: index, in: s).map { "  " + $0 }.joined(separator: "\n")
        }
        return doc
    }

    /// Pushes the value a dotted global name refers to (raw lookups); false if absent.
    static func resolve(_ name: String, _ s: LuaStack) -> Bool {
        smsh_pushglobaltable(s.L)
        for part in name.split(separator: ".") {
            guard s.type(at: -1) == LUA_TTABLE else {
                s.pop()
                return false
            }
            s.getField(String(part), in: -1)
            smsh_remove(s.L, -2)
        }
        if s.type(at: -1) == LUA_TNIL {
            s.pop()
            return false
        }
        return true
    }

    static func functionNames(ofTableAt index: Int32, in s: LuaStack) -> [String] {
        var names: [String] = []
        let t = s.absolute(index)
        s.pushNil()
        while lua_next(s.L, t) != 0 {
            if let k = s.string(at: -2), s.type(at: -1) == LUA_TFUNCTION { names.append(k) }
            s.pop()
        }
        return names.sorted()
    }

    static func overview(_ s: LuaStack) -> String {
        var lines = ["smsh: Lua 5.4 with the SMS API. help(sms.send) or help(\"sms.send\") for details.", ""]
        for module in modules {
            guard resolve(module, s) else { continue }
            let names = functionNames(ofTableAt: -1, in: s)
            s.pop()
            lines.append("\(module): " + names.map { "\(module).\($0)" }.joined(separator: ", "))
        }
        lines.append("help(): this list")
        return lines.joined(separator: "\n")
    }
}
