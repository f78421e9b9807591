import Foundation
import LuaHost
import SMSClient
import SMSLua

/// The helpers `smsh test` gives specs: `fixture(name)` and `run_script(path, opts)`.
enum TestSupport {
    static func install(in session: ScriptSession, recordMissing: Bool) throws {
        let lua = session.lua
        lua.register("run_script", doc: """
            run_script(path, {args = {...}, fixture = "name" | path, sandbox = true}) -> {code=, stdout=, stderr=, requests=}
              Runs a script in a separate smsh process (as cron would) and returns its exit code,
              output and the list of API requests it made ({method=, path=, query=, body=}).
              With fixture, the script replays that cassette (fixtures/name.json next to the calling spec).
            """) { s in
            guard let path = s.string(at: 1) else { throw LuaArgumentError("bad argument #1 to 'run_script' (string expected)") }
            var args: [String] = []
            var fixture: String?
            var sandbox = true
            if s.type(at: 2) == 5 {  // LUA_TTABLE
                if case .table(let t) = try s.value(at: 2) {
                    args = (t["args"]?.tableValue?.array ?? []).compactMap { $0.stringValue }
                    fixture = t["fixture"]?.stringValue
                    if case .boolean(let b) = t["sandbox"] ?? .nil { sandbox = b }
                }
            }
            let result = try runScript(path: path, args: args, fixture: fixture, sandbox: sandbox)
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

    struct ScriptRun {
        let code: Int32
        let stdout: [UInt8]
        let stderr: [UInt8]
        let requests: [JSONValue]
    }

    static func runScript(path: String, args: [String], fixture: String?, sandbox: Bool) throws -> ScriptRun {
        let requestsFile = FileManager.default.temporaryDirectory.appendingPathComponent("smsh-requests-\(UUID().uuidString).jsonl").path
        defer { try? FileManager.default.removeItem(atPath: requestsFile) }
        var command = ["run", "--requests-log", requestsFile]
        if let fixture { command += ["--replay", fixture] } else if sandbox { command.append("--sandbox") }
        command.append(path)
        command += args
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath()
        p.arguments = command
        let dir = FileManager.default.temporaryDirectory
        let outURL = dir.appendingPathComponent("smsh-run-out-\(UUID().uuidString)")
        let errURL = dir.appendingPathComponent("smsh-run-err-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: outURL.path, contents: nil)
        FileManager.default.createFile(atPath: errURL.path, contents: nil)
        defer {
            try? FileManager.default.removeItem(at: outURL)
            try? FileManager.default.removeItem(at: errURL)
        }
        p.standardOutput = try FileHandle(forWritingTo: outURL)
        p.standardError = try FileHandle(forWritingTo: errURL)
        p.standardInput = FileHandle.nullDevice
        try p.run()
        p.waitUntilExit()
        var requests: [JSONValue] = []
        if let text = try? String(contentsOfFile: requestsFile, encoding: .utf8) {
            for line in text.split(separator: "\n") {
                if let v = try? JSONValue.parse(String(line)) { requests.append(v) }
            }
        }
        return ScriptRun(code: p.terminationStatus, stdout: Array((try? Data(contentsOf: outURL)) ?? Data()),
                         stderr: Array((try? Data(contentsOf: errURL)) ?? Data()), requests: requests)
    }
}

