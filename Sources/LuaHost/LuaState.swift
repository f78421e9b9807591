import CLua
import CLuaShim

/// Owns one Lua 5.4 state with all standard libraries open, exactly as stock `lua5.4` has
/// them (so `require` finds Debian's Lua packages and C modules such as `cjson`).
///
/// Not thread-safe: a state lives on the thread that made it (smsh's main thread).
public final class LuaState {
    public let L: OpaquePointer
    public var stack: LuaStack { LuaStack(L) }

    public init() throws {
        guard let L = luaL_newstate() else { throw LuaHostError.cannotCreateState }
        self.L = L
        smsh_heap_install(L)
        if smsh_openlibs(L) != LUA_OK {
            let message = stack.string(at: -1) ?? "unknown error"
            smsh_heap_close(L)
            throw LuaHostError.cannotOpenLibraries(message)
        }
        // lua.c runs scripts with the generational collector; so does smsh.
        smsh_gc_generational(L)
    }

    deinit {
        // Runs every __gc, releasing the Swift closures the state still holds.
        smsh_heap_close(L)
    }

    // MARK: loading and running

    /// Compiles a chunk and pushes it as a function. `chunkName` follows Lua's rules:
    /// `@file.lua` for files, `=name` for literal names.
    public func load(_ code: [UInt8], chunkName: String) throws {
        let status = code.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                chunkName.withCString { name in
                    // An empty chunk still needs a valid pointer.
                    withUnsafePointer(to: CChar(0)) { empty in
                        smsh_loadbuffer(L, chars.baseAddress ?? empty, chars.count, name)
                    }
                }
            }
        }
        if status != LUA_OK { throw stack.takeError(status: status) }
    }

    public func load(_ code: String, chunkName: String) throws {
        try load(Array(code.utf8), chunkName: chunkName)
    }

    /// Loads a file (nil = standard input) like `lua.c`: a first line starting with `#` is skipped.
    public func loadFile(_ path: String?) throws {
        let status = luaL_loadfilex(L, path, nil)
        if status != LUA_OK { throw stack.takeError(status: status) }
    }

    /// Runs a chunk and returns its results.
    @discardableResult
    public func run(_ code: String, chunkName: String = "=(smsh)") throws -> [LuaValue] {
        let base = stack.top
        try load(code, chunkName: chunkName)
        let n = try stack.call(nargs: 0)
        defer { stack.top = base }
        return try (0..<n).map { try stack.value(at: base + 1 + $0) }
    }

    /// Calls a global function with arguments and returns its results.
    @discardableResult
    public func call(global name: String, _ args: [LuaValue] = []) throws -> [LuaValue] {
        let base = stack.top
        defer { stack.top = base }
        smsh_pushglobaltable(L)
        stack.getField(name, in: -1)
        smsh_remove(L, -2)
        for a in args { stack.push(a) }
        let n = try stack.call(nargs: Int32(args.count))
        return try (0..<n).map { try stack.value(at: base + 1 + $0) }
    }

    // MARK: globals

    /// Sets a global (raw: an `_ENV` metatable is not consulted).
    public func setGlobal(_ name: String, _ value: LuaValue) {
        smsh_pushglobaltable(L)
        stack.push(value)
        stack.setField(name, in: -2)
        stack.pop()
    }

    /// Moves the value on top of the stack into a global.
    public func setGlobalFromTop(_ name: String) {
        smsh_pushglobaltable(L)
        smsh_insert(L, -2)
        stack.setField(name, in: -2)
        stack.pop()
    }

    public func global(_ name: String) throws -> LuaValue {
        smsh_pushglobaltable(L)
        stack.getField(name, in: -1)
        defer { stack.pop(2) }
        return try stack.value(at: -1)
    }

    /// Registers a Swift closure as a global Lua function.
    /// `doc` is made only when `help()` asks for it (see `LuaLibraryFunction`).
    public func register(_ name: String, doc: (() -> String)? = nil, _ body: @escaping LuaRawFunction) {
        stack.push(function: body)
        if let doc { stack.setDoc(lazy: doc, forValueAt: -1) }
        setGlobalFromTop(name)
    }

    /// The `arg` table of `lua.c`: `arg[0]` is the script, `arg[1...]` its arguments,
    /// negative indices the interpreter and its options.
    public func setArgTable(script: String, arguments: [String], interpreter: [String]) {
        setArgTable(script: script, arguments: arguments.map { Array($0.utf8) }, interpreter: interpreter)
    }

    /// The same with the arguments as bytes: lua5.4 passes argv untouched, UTF-8 or not.
    public func setArgTable(script: String, arguments: [[UInt8]], interpreter: [String]) {
        stack.newTable(arrayCount: arguments.count, fieldCount: interpreter.count + 1)
        for (i, a) in interpreter.reversed().enumerated() {
            stack.push(a)
            stack.setIndex(Int64(-1 - i), in: -2)
        }
        stack.push(script)
        stack.setIndex(0, in: -2)
        for (i, a) in arguments.enumerated() {
            stack.push(bytes: a)
            stack.setIndex(Int64(i + 1), in: -2)
        }
        setGlobalFromTop("arg")
    }

    // MARK: interruption (Ctrl-C)

    /// Makes running Lua code raise "interrupted!" at its next instruction. Safe to call from
    /// a signal handler, as `lua.c` does.
    public func requestInterrupt() { smsh_request_interrupt(L) }
    public func clearInterrupt() { smsh_clear_interrupt(L) }
}

public enum LuaHostError: Error, CustomStringConvertible {
    case cannotCreateState
    case cannotOpenLibraries(String)

    public var description: String {
        switch self {
        case .cannotCreateState: return "cannot create Lua state: not enough memory"
        case .cannotOpenLibraries(let m): return "cannot open Lua standard libraries: \(m)"
        }
    }
}

/// Writes text to standard error and flushes it.
public func writeToStandardError(_ text: String) {
    var text = text
    text.withUTF8 { buf in
        buf.withMemoryRebound(to: CChar.self) { smsh_write_stderr($0.baseAddress, $0.count) }
    }
}

public var standardErrorIsTerminal: Bool { smsh_stderr_is_tty() != 0 }
public var standardOutputIsTerminal: Bool { smsh_stdout_is_tty() != 0 }

/// Flushes C's stdout (Lua's `print` writes there) before writing to stderr.
public func flushStandardOutput() { smsh_flush_stdout() }
