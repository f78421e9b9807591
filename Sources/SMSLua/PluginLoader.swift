import CLua
import CLuaShim
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LuaHost
import SMSState

/// Plugins: every `*.lua` file under `$XDG_CONFIG_HOME/smsh/plugins`, then `./.smsh/plugins`
/// (each folder in name order), run in the session's Lua state. A plugin returns
///
/// ```lua
/// return { name = "balance", version = "1.0",
///          setup = function(sms) end,                          -- called once, optional
///          commands = { balance = { help = "…", run = function(args) end } } }  -- REPL :balance
/// ```
///
/// and becomes `package.loaded[name]`, so scripts `require` it. A plugin that fails (syntax
/// error, runtime error, wrong shape) is reported with its file and line and skipped; smsh
/// goes on. Validation, `setup` and commands run as Lua code under protected calls.
public final class PluginLoader {
    /// A REPL command a plugin adds (`:name arg1 arg2`).
    public struct Command: Equatable, Sendable {
        public let name: String
        public let help: String
        /// The plugin's `name`.
        public let plugin: String
    }

    /// A plugin that loaded.
    public struct Plugin: Equatable, Sendable {
        public let name: String
        public let version: String
        public let file: String

        public init(name: String, version: String, file: String) {
            self.name = name
            self.version = version
            self.file = file
        }
    }

    /// A plugin that did not load: `plugin <file>:<line>: message`.
    public struct Failure: Error, Equatable, CustomStringConvertible, Sendable {
        /// The file as messages show it.
        public let file: String
        public let line: Int?
        public let message: String

        public var description: String {
            "plugin \(file)\(line.map { ":\($0)" } ?? ""): \(message)"
        }
    }

    let lua: LuaState
    private let loadRef: Int32
    private let runRef: Int32
    public private(set) var plugins: [Plugin] = []
    public private(set) var commands: [Command] = []

    /// Prepares loading into `lua` (where `sms` is installed). `reservedCommands` are the
    /// REPL's own commands (without `:`), which plugins cannot take.
    public init(lua: LuaState, reservedCommands: [String] = []) throws {
        self.lua = lua
        let s = lua.stack
        let base = s.top
        defer { s.top = base }
        try lua.load(PluginLoader.helper, chunkName: "=(smsh plugins)")
        s.push(.table(LuaTable(array: reservedCommands.map { .string(Array($0.utf8)) })))
        try s.call(nargs: 1, nresults: 2)
        runRef = luaL_ref(lua.L, smsh_registryindex())
        loadRef = luaL_ref(lua.L, smsh_registryindex())
    }

    deinit {
        // The state may outlive this loader (a session keeps both); release the references.
        luaL_unref(lua.L, smsh_registryindex(), runRef)
        luaL_unref(lua.L, smsh_registryindex(), loadRef)
    }

    /// The plugin folders in loading order: the user's, then the project's (`./.smsh/plugins`).
    public static func directories(configDirectory: String, workingDirectory: String = currentDirectory()) -> [String] {
        [configDirectory + "/plugins", workingDirectory + "/.smsh/plugins"]
    }

    /// The working directory, from getcwd (FileManager's first use costs start-up time).
    public static func currentDirectory() -> String {
        guard let cwd = getcwd(nil, 0) else { return "." }
        defer { free(cwd) }
        return String(cString: cwd)
    }

    /// The `*.lua` files of each folder, each folder in name order; missing folders are skipped
    /// (the list PluginTrust digests: one definition of what a plugin file is).
    public static func files(in directories: [String]) -> [String] { PluginTrust.files(in: directories) }

    /// Loads every file in order; each failure goes to `report` and the next file is tried.
    public func loadAll(_ files: [String], display: (String) -> String = { $0 }, report: (Failure) -> Void) {
        for file in files {
            if let failure = load(file: file, display: display(file)) { report(failure) }
        }
    }

    /// Loads one plugin file; nil on success. `display` is the name messages use.
    @discardableResult
    public func load(file: String, display: String? = nil) -> Failure? {
        let shown = display ?? file
        guard var code = FileManager.default.contents(atPath: file).map(Array.init) else {
            return Failure(file: shown, line: nil, message: "cannot read the file")
        }
        // Like lua5.4: a first line starting with '#' is skipped (its newline kept, so lines count right).
        if code.first == UInt8(ascii: "#") { code = Array(code.drop { $0 != UInt8(ascii: "\n") }) }
        let s = lua.stack
        let base = s.top
        defer { s.top = base }
        do {
            try lua.load(code, chunkName: "@" + shown)
        } catch let e as LuaError {
            return PluginLoader.failure(e.message, traceback: nil, file: shown, code: code)
        } catch {
            return Failure(file: shown, line: nil, message: "\(error)")
        }
        lua_rawgeti(lua.L, smsh_registryindex(), Int64(loadRef))
        smsh_insert(lua.L, -2)
        do {
            try s.call(nargs: 1, nresults: 3)
        } catch let e as LuaError {
            return PluginLoader.failure(e.message, traceback: e.traceback, file: shown, code: code)
        } catch {
            return Failure(file: shown, line: nil, message: "\(error)")
        }
        guard let name = s.string(at: base + 1) else {
            // A wrong shape: no Lua position, so point at the plugin's `return`.
            let message = s.string(at: base + 2) ?? "invalid plugin"
            return Failure(file: shown, line: PluginLoader.returnLine(in: code), message: message)
        }
        plugins.append(Plugin(name: name, version: s.string(at: base + 2) ?? "", file: file))
        if case .table(let list)? = try? s.value(at: base + 3) {
            var i = 0
            while i + 1 < list.array.count {
                commands.append(Command(name: list.array[i].stringValue ?? "", help: list.array[i + 1].stringValue ?? "", plugin: name))
                i += 2
            }
        }
        return nil
    }

    /// Runs a plugin command with its arguments as a Lua array of strings. Throws the
    /// command's Lua error; false when no plugin has that command.
    @discardableResult
    public func run(command: String, arguments: [String]) throws -> Bool {
        guard commands.contains(where: { $0.name == command }) else { return false }
        let s = lua.stack
        let base = s.top
        defer { s.top = base }
        lua_rawgeti(lua.L, smsh_registryindex(), Int64(runRef))
        s.push(command)
        s.push(.table(LuaTable(array: arguments.map { .string(Array($0.utf8)) })))
        try s.call(nargs: 2, nresults: 0)
        return true
    }

    /// `file:line: message` from a Lua error: Lua's own position when the message has one,
    /// else the first traceback line in the plugin's file.
    static func failure(_ message: String, traceback: String?, file: String, code: [UInt8]) -> Failure {
        // Lua shortens long chunk names to "...tail", so then match on what follows ".lua:".
        var afterName: Substring?
        if message.hasPrefix(file + ":") {
            afterName = message.dropFirst(file.count + 1)
        } else if message.hasPrefix("..."), let r = message.firstRange(of: ".lua:") {
            afterName = message[r.upperBound...]
        }
        if let rest = afterName, let colon = rest.firstIndex(of: ":"), let line = Int(rest[..<colon]) {
            var text = String(rest[rest.index(after: colon)...])
            if text.hasPrefix(" ") { text.removeFirst() }
            return Failure(file: file, line: line, message: text)
        }
        var line: Int?
        for traceLine in (traceback ?? "").split(separator: "\n") {
            let t = traceLine.drop(while: \.isWhitespace)
            let tail = (file.split(separator: "/").last.map(String.init) ?? file) + ":"
            if let r = t.firstRange(of: tail) {
                let digits = t[r.upperBound...].prefix { $0.isNumber }
                if let n = Int(digits) {
                    line = n
                    break
                }
            }
        }
        return Failure(file: file, line: line ?? returnLine(in: code), message: message)
    }

    /// The line of the chunk's last top-level `return` (where a plugin's table is made).
    static func returnLine(in code: [UInt8]) -> Int {
        let lines = String(decoding: code, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        let last = lines.lastIndex { $0.hasPrefix("return") } ?? 0
        return last + 1
    }

    /// The Lua side: validates a plugin's shape, calls `setup(sms)`, registers it; and runs
    /// commands. Shape problems are returned (nil, message); errors from plugin code propagate.
    static let helper = """
        local reserved = ...
        local loaded, sms = package.loaded, require("sms")
        local taken, commands = {}, {}
        for _, n in ipairs(reserved) do taken[n] = "smsh itself" end
        local function show(v)
          if type(v) == "string" then return string.format("%q", v) end
          return type(v)
        end
        local function load(chunk)
          local plugin = chunk()
          if type(plugin) ~= "table" then
            return nil, "a plugin must return a table {name =, version =, setup =, commands =} (it returned "
              .. (plugin == nil and "nothing" or show(plugin)) .. ")"
          end
          local name = rawget(plugin, "name")
          if type(name) ~= "string" or not name:match("^[%a_][%w_%.%-]*$") then
            return nil, "'name' must be a module name such as \\"balance\\" (got " .. show(name) .. ")"
          end
          local version, setup, cmds = rawget(plugin, "version"), rawget(plugin, "setup"), rawget(plugin, "commands")
          if version ~= nil and type(version) ~= "string" then
            return nil, "'version' must be a string such as \\"1.0\\" (got " .. show(version) .. ")"
          end
          if setup ~= nil and type(setup) ~= "function" then
            return nil, "'setup' must be a function(sms) (got " .. show(setup) .. ")"
          end
          if loaded[name] ~= nil then
            return nil, "the name '" .. name .. "' is already taken by a loaded module"
          end
          local found = {}
          if cmds ~= nil then
            if type(cmds) ~= "table" then
              return nil, "'commands' must be a table {name = {help =, run = function(args) end}} (got " .. show(cmds) .. ")"
            end
            for cname, c in next, cmds do
              if type(cname) ~= "string" or not cname:match("^[%a_][%w_%-]*$") then
                return nil, "command names must be words such as \\"balance\\" (got " .. show(cname) .. ")"
              end
              local where = "commands." .. cname
              if type(c) ~= "table" then
                return nil, "'" .. where .. "' must be a table {help =, run = function(args) end} (got " .. show(c) .. ")"
              end
              for k in next, c do
                if k ~= "help" and k ~= "run" then
                  return nil, "'" .. where .. "' has an unknown field " .. show(k) .. " (expected help and run)"
                end
              end
              if type(rawget(c, "run")) ~= "function" then
                return nil, "'" .. where .. ".run' must be a function(args) (got " .. show(rawget(c, "run")) .. ")"
              end
              local help = rawget(c, "help")
              if help ~= nil and type(help) ~= "string" then
                return nil, "'" .. where .. ".help' must be a string (got " .. show(help) .. ")"
              end
              if taken[cname] then
                return nil, "the command :" .. cname .. " is already defined by " .. taken[cname]
              end
              found[#found + 1] = { cname, help or "", rawget(c, "run") }
            end
          end
          table.sort(found, function(a, b) return a[1] < b[1] end)
          if setup then setup(sms) end
          loaded[name] = plugin
          local list = {}
          for _, c in ipairs(found) do
            taken[c[1]] = "the plugin " .. name
            commands[c[1]] = c[3]
            list[#list + 1] = c[1]
            list[#list + 1] = c[2]
          end
          return name, version or "", list
        end
        local function run(name, args)
          commands[name](args)
        end
        return load, run
        """
}
