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

/// One Lua-visible function of a library: its name, doc string and body. The doc is made
/// only when `help()` asks for it: rendering every doc of the registry at start-up cost
/// `smsh -e ''` about 0.7 ms (scripts/bench/call_overhead).
public struct LuaLibraryFunction {
    public let name: String
    public let doc: () -> String
    public let body: LuaRawFunction

    public init(_ name: String, doc: @autoclosure @escaping () -> String, _ body: @escaping LuaRawFunction) {
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
    /// The library's own doc, like its functions', is made only when `help()` asks.
    public func pushLibrary(_ prefix: String, doc: (() -> String)? = nil, functions: [LuaLibraryFunction]) {
        newTable(fieldCount: functions.count)
        for f in functions.sorted(by: { $0.name < $1.name }) {
            push(function: f.body)
            setDoc(lazy: f.doc, forValueAt: -1)
            setField(f.name, in: -2)
        }
        if let doc { setDoc(lazy: doc, forValueAt: -1) }
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

    /// Attaches a doc string made on first use: the doc table holds a function that makes
    /// it, replaced by the string the first time `doc(forValueAt:)` reads it.
    public func setDoc(lazy make: @escaping () -> String, forValueAt index: Int32) {
        let idx = absolute(index)
        pushDocTable()
        lua_pushvalue(L, idx)
        push(function: { stack in
            stack.push(make())
            return 1
        })
        lua_rawset(L, -3)
        pop()
    }

    /// The doc string attached to the value at `index`, if any.
    public func doc(forValueAt index: Int32) -> String? {
        let idx = absolute(index)
        pushDocTable()
        lua_pushvalue(L, idx)
        lua_rawget(L, -2)
        if type(at: -1) == LUA_TFUNCTION {
            // A lazy doc: make it (protected), then keep the string in its place.
            guard (try? call(nargs: 0, nresults: 1, traceback: false)) != nil else {
                pop()  // the failed call left only the doc table
                return nil
            }
            guard type(at: -1) == LUA_TSTRING else {
                pop(2)
                return nil
            }
            lua_pushvalue(L, idx)
            lua_pushvalue(L, -2)
            lua_rawset(L, -4)
        }
        defer { pop(2) }
        return string(at: -1)
    }
}
