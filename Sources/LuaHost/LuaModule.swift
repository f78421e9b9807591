import CLua
import CLuaShim

/// A native module (`sms`, `json`, `log`, …). Installing one puts a loader in
/// `package.preload`, so `require "name"` works, and optionally sets a global.
public protocol LuaModule {
    /// The name `require` uses.
    var name: String { get }
    /// Pushes exactly one value, the module (usually a table built with `pushLibrary`).
    func open(_ stack: LuaStack) throws
}

/// One Lua-visible function of a library: its name, doc string and body.
public struct LuaLibraryFunction {
    public let name: String
    public let doc: String
    public let body: LuaRawFunction

    public init(_ name: String, doc: String, _ body: @escaping LuaRawFunction) {
        self.name = name
        self.doc = doc
        self.body = body
    }
}

extension LuaState {
    /// Adds the module to `package.preload`; with `global: true` also `require`s it into a
    /// global of the same name.
    public func install(_ module: LuaModule, global: Bool = true) throws {
        let base = stack.top
        defer { stack.top = base }
        smsh_pushglobaltable(L)
        guard stack.getField("package", in: -1) == LUA_TTABLE, stack.getField("preload", in: -1) == LUA_TTABLE else {
            throw LuaHostError.cannotOpenLibraries("package.preload is missing")
        }
        stack.push { stack in
            try module.open(stack)
            return 1
        }
        stack.setField(module.name, in: -2)
        if global {
            stack.top = base
            smsh_pushglobaltable(L)
            stack.getField("require", in: -1)
            stack.push(module.name)
            try stack.call(nargs: 1, nresults: 1)
            setGlobalFromTop(module.name)
        }
    }
}

extension LuaStack {
    /// Pushes a table of functions, each registered with its doc string under
    /// `prefix.name` so `help(sms.send)` and `help("sms.send")` find it.
    public func pushLibrary(_ prefix: String, doc: String? = nil, functions: [LuaLibraryFunction]) {
        newTable(fieldCount: functions.count)
        for f in functions.sorted(by: { $0.name < $1.name }) {
            push(function: f.body)
            setDoc(f.doc, forValueAt: -1)
            setField(f.name, in: -2)
        }
        if let doc { setDoc(doc, forValueAt: -1) }
    }

    private static let docsKey = "smsh.docs"

    /// Pushes the registry's weak-keyed table of doc strings (value → doc), creating it once.
    public func pushDocTable() {
        let reg = smsh_registryindex()
        if getField(LuaStack.docsKey, in: reg) == LUA_TTABLE { return }
        pop()
        newTable()
        newTable(fieldCount: 1)
        push("k")
        setField("__mode", in: -2)
        lua_setmetatable(L, -2)
        lua_pushvalue(L, -1)
        setField(LuaStack.docsKey, in: reg)
    }

    /// Attaches a doc string to the value (function or table) at `index`.
    public func setDoc(_ doc: String, forValueAt index: Int32) {
        let idx = absolute(index)
        pushDocTable()
        lua_pushvalue(L, idx)
        push(doc)
        lua_rawset(L, -3)
        pop()
    }

    /// The doc string attached to the value at `index`, if any.
    public func doc(forValueAt index: Int32) -> String? {
        let idx = absolute(index)
        pushDocTable()
        lua_pushvalue(L, idx)
        lua_rawget(L, -2)
        defer { pop(2) }
        return string(at: -1)
    }
}
