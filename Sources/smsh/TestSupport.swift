import CLua
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LuaHost
import SMSFixtures
import SMSSimulator
import SMSClient
import SMSDocs
import SMSLua

/// The helpers `smsh test` gives specs: `fixture(name)` and `run_script(path, opts)`.
enum TestSupport {
    static func install(in session: ScriptSession, recordMissing: Bool) throws {
        let lua = session.lua
        let env = session.environment
        var active: FixtureSession?
        lua.register("__smsh_use_fixture") { s in
            guard let path = s.string(at: 1) else { throw LuaArgumentError("fixture: expected a name") }
            try? active?.save()
            let exists = CassetteFile.exists(path)
            if !exists && !recordMissing { throw missingFixture(path) }
            let mode: RecordMode = exists ? .none : .once
            if !exists {
                try FileManager.default.createDirectory(
                    atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
            }
            let recordClock = VirtualClock()
            let live: Transport? = mode == .none ? nil
                : SimulatorTransport(engine: SimulatorEngine(config: SimulatorConfig(), clock: recordClock))
            let fixture = try FixtureSession(path: path, mode: mode, live: live, secrets: [SimulatorConfig().apiKey],
                                             now: recordClock.now())
            // Replay runs on virtual time from the recording's start; recording on the simulator's clock.
            let clock: SMSClock = mode == .none ? VirtualClock(start: fixture.recordedAt) : recordClock
            env.beginOverride(client: SMSClient(transport: fixture.transport, apiKey: SimulatorConfig().apiKey, clock: clock), clock: clock)
            active = fixture
            return 0
        }
        lua.register("__smsh_end_fixture") { _ in
            try active?.save()
            active = nil
            env.endOverride()
            return 0
        }
        try lua.run(fixtureLua, chunkName: "=(smsh test)")
        GlobalDocs.attach(GlobalDocs.fixture, toGlobalIn: lua)
        lua.register("run_script", doc: { GlobalDocs.runScript.helpText }) { s in
            guard let path = s.string(at: 1) else { throw LuaArgumentError("bad argument #1 to 'run_script' (string expected)") }
            var args: [String] = []
            var fixture: String?
            var sandbox = true
            var flags: [String] = []
            var environment: [String: String] = [:]
            if s.type(at: 2) == LUA_TTABLE {
                if case .table(let t) = try s.value(at: 2) {
                    try checkRunScriptOptions(t)
                    args = (t["args"]?.tableValue?.array ?? []).compactMap { $0.stringValue }
                    flags = (t["flags"]?.tableValue?.array ?? []).compactMap { $0.stringValue }
                    fixture = t["fixture"]?.stringValue
                    if case .boolean(let b) = t["sandbox"] ?? .nil { sandbox = b }
                    for (k, v) in t["env"]?.tableValue?.hash ?? [:] {
                        if let k = k.stringValue, let v = v.stringValue { environment[k] = v }
                    }
                }
            }
            let specDirectory = callerDirectory(s)
            let script = resolved(path, specDirectory: specDirectory)
            // A data file next to the spec (contacts.csv) is found whatever the working directory.
            let resolvedArgs = args.map { arg in
                guard !arg.hasPrefix("-"), !arg.hasPrefix("/"), let dir = specDirectory,
                    FileManager.default.fileExists(atPath: dir + "/" + arg)
                else { return arg }
                return dir + "/" + arg
            }
            var cassette: (path: String, record: Bool)?
            if let fixture {
                let file = fixturePath(fixture, specDirectory: specDirectory)
                if CassetteFile.exists(file) {
                    cassette = (file, false)
                } else if recordMissing {
                    try FileManager.default.createDirectory(
                        atPath: URL(fileURLWithPath: file).deletingLastPathComponent().path, withIntermediateDirectories: true)
                    cassette = (file, true)
                } else {
                    throw missingFixture(file)
                }
            }
            let result = try runScript(path: script, args: resolvedArgs, flags: flags, environment: environment,
                                       fixture: cassette, sandbox: sandbox)
            s.newTable(fieldCount: 4)
            s.push(Int64(result.code))
            s.setField("code", in: -2)
            s.push(bytes: result.stdout)
            s.setField("stdout", in: -2)
            s.push(bytes: result.stderr)
            s.setField("stderr", in: -2)
            s.push(json: .array(result.requests), nulls: .absent)
            s.setField("requests", in: -2)
            return 1
        }
    }

    /// A misspelt option (`arg = {...}`) would silently run the script without it: refused,
    /// naming the options there are (the documented ones, GlobalDocs.runScriptOptions).
    static func checkRunScriptOptions(_ t: LuaTable) throws {
        let known = GlobalDocs.runScriptOptions.fieldNames
        for key in t.hash.keys {
            guard let name = key.stringValue, known.contains(name) else {
                let shown = key.stringValue.map { "'\($0)'" } ?? "a \(key.typeName) key"
                throw LuaArgumentError("run_script: unknown option \(shown) (expected \(known.sorted().joined(separator: ", ")))")
            }
        }
        if !t.array.isEmpty { throw LuaArgumentError("run_script: the options are a table of name = value (got a list)") }
    }

    /// `fixture(name)` in Lua: resolves the cassette next to the calling spec and scopes it to
    /// the running test through busted's `finally` (found in the test's environment).
    static let fixtureLua = """
        local use, finish = __smsh_use_fixture, __smsh_end_fixture
        __smsh_use_fixture, __smsh_end_fixture = nil, nil
        local function caller_env(level)
          local info = debug.getinfo(level + 1, 'f')
          if not info then return _G end
          local i = 1
          while true do
            local name, value = debug.getupvalue(info.func, i)
            if not name then return _G end
            if name == '_ENV' then return value end
            i = i + 1
          end
        end
        -- busted's JUnit handler starts with a blank line and no XML declaration: give it a
        -- pl.xml whose tostring writes a proper document.
        do
          local original = package.searchpath('busted.outputHandlers.junit', package.path)
          if original then
            package.preload['busted.outputHandlers.junit'] = function()
              local xml = require 'pl.xml'
              package.loaded['pl.xml'] = setmetatable({
                tostring = function(...)
                  local text = xml.tostring(...):gsub('^%s+', '')
                  return '<?xml version="1.0" encoding="UTF-8"?>\\n' .. text
                end,
              }, { __index = xml })
              local ok, handler = pcall(dofile, original)
              package.loaded['pl.xml'] = xml
              if not ok then error(handler, 0) end
              return handler
            end
          end
        end
        function fixture(name)
          local path = name
          if not name:find('/') then
            local source = debug.getinfo(2, 'S').source
            local dir = source:match('^@(.*)/[^/]*$') or '.'
            path = dir .. '/fixtures/' .. name .. '.json'
          end
          use(path)
          local env = caller_env(2)
          if type(env.finally) == 'function' then env.finally(finish) end
          return path
        end
        """

    /// The spec-relative path of a fixture given to run_script: a bare name is
    /// `fixtures/NAME.json` next to the spec; a relative path is taken from the spec's folder.
    static func fixturePath(_ name: String, specDirectory: String?) -> String {
        if name.contains("/") { return resolved(name, specDirectory: specDirectory) }
        return (specDirectory ?? ".") + "/fixtures/" + name + ".json"
    }

    /// A relative path given by a spec, taken from the spec's folder (as `dofile` next to it
    /// would be), so `smsh test DIR` behaves the same from any working directory.
    static func resolved(_ path: String, specDirectory: String?) -> String {
        guard !path.hasPrefix("/"), let dir = specDirectory else { return path }
        return dir + "/" + path
    }

    static func missingFixture(_ path: String) -> SMSError {
        SMSError(status: nil, code: "CASSETTE_MISSING",
                 message: "fixture \(path) does not exist; `smsh test --record-missing` records it from the simulator",
                 retryable: false)
    }

    struct ScriptRun {
        let code: Int32
        let stdout: [UInt8]
        let stderr: [UInt8]
        let requests: [JSONValue]
    }

    static func runScript(path: String, args: [String], flags: [String] = [], environment: [String: String] = [:],
                          fixture: (path: String, record: Bool)?, sandbox: Bool) throws -> ScriptRun {
        let requestsFile = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-requests-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: requestsFile) }
        var command = ["run", "--requests-log", requestsFile]
        switch fixture {
        case let (path, record: false)?: command += ["--replay", path]
        // Recorded from the built-in simulator, as fixture() records.
        case let (path, record: true)?: command += ["--sandbox", "--record", path, "--record-mode", "once"]
        case nil: if sandbox { command.append("--sandbox") }
        }
        command += flags
        command.append(path)
        command += args
        var env = ProcessInfo.processInfo.environment
        // Specs must not depend on the operator's profiles or plugins (a default_profile with
        // max_credits would change results): the script sees no config unless the spec gives one.
        env["XDG_CONFIG_HOME"] = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-no-config-\(UUID().uuidString)").path
        env["SMSH_PROFILE"] = nil
        env[PersistentSandbox.ephemeralVariable] = "memory"
        for (k, v) in environment { env[k] = v }
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("smsh-run-out-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("smsh-run-err-\(UUID().uuidString)")
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        let status = try ChildProcess.run(executable: ChildProcess.currentExecutable, arguments: command, environment: env,
                                          stdin: .null, stdout: .file(outURL.path), stderr: .file(errURL.path))
        var requests: [JSONValue] = []
        if let text = try? String(contentsOfFile: requestsFile, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                if let v = try? JSONValue.parse(String(line)) { requests.append(v) }
            }
        }
        return ScriptRun(code: status, stdout: Array((try? Data(contentsOf: outURL)) ?? Data()),
                         stderr: Array((try? Data(contentsOf: errURL)) ?? Data()), requests: requests)
    }
}


/// The folder of the Lua file that called the running Swift function (level 1).
func callerDirectory(_ s: LuaStack) -> String? {
    var ar = lua_Debug()
    guard lua_getstack(s.L, 1, &ar) != 0, lua_getinfo(s.L, "S", &ar) != 0, let source = ar.source else { return nil }
    let text = String(cString: source)
    guard text.hasPrefix("@") else { return nil }
    var path = String(text.dropFirst())
    if !path.hasPrefix("/") { path = FileManager.default.currentDirectoryPath + "/" + path }
    let slash = path.lastIndex(of: "/")!
    return String(path[..<slash])
}
