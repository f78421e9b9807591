import Foundation
import XCTest

/// The host keeps Lua's semantics: each stress script in Tests/LuaSemantics gives the same
/// stdout and exit code under `smsh run` as under Debian's `lua5.4`, and Ctrl-C leaves no
/// debug hook installed.
final class LuaSemanticsTests: XCTestCase {
    static let scripts = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("LuaSemantics")

    struct Outcome: Equatable, CustomStringConvertible {
        let status: Int32
        /// Bytes: some scripts print binary strings.
        let stdout: Data
        var text: String { String(decoding: stdout, as: UTF8.self) }
        var description: String { "exit \(status), stdout:\n\(text)" }
    }

    /// Runs an executable with the scripts directory as working directory (short chunk names,
    /// so messages and tracebacks read the same under both), output through files.
    static func run(_ executable: String, _ args: [String], interruptWhenFileAppears ready: String? = nil) throws -> Outcome {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: executable)
        p.arguments = args
        p.currentDirectoryURL = scripts
        var env = ProcessInfo.processInfo.environment
        env["NO_COLOR"] = "1"
        env["SMSH_SEMANTICS_SURELY_UNSET_VARIABLE"] = nil
        p.environment = env
        let outPath = NSTemporaryDirectory() + "lua-semantics-\(UUID().uuidString)"
        _ = FileManager.default.createFile(atPath: outPath, contents: nil)
        defer { try? FileManager.default.removeItem(atPath: outPath) }
        let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
        p.standardOutput = out
        p.standardError = FileHandle.nullDevice
        p.standardInput = FileHandle.nullDevice
        try p.run()
        if let ready {
            var waited = 0
            while !FileManager.default.fileExists(atPath: ready) && waited < 600 {
                usleep(50_000)
                waited += 1
            }
            usleep(200_000)  // well inside the busy loop
            p.interrupt()
        }
        p.waitUntilExit()
        try out.close()
        return Outcome(status: p.terminationStatus, stdout: try Data(contentsOf: URL(fileURLWithPath: outPath)))
    }

    static let lua = ["/usr/bin/lua5.4", "/usr/local/bin/lua5.4"].first { FileManager.default.isExecutableFile(atPath: $0) }

    /// Both interpreters on one script; returns smsh's outcome after comparing.
    @discardableResult
    func assertSameUnderBoth(_ script: String, _ args: [String] = [], file: StaticString = #filePath, line: UInt = #line) throws -> Outcome {
        guard let lua = Self.lua else { throw XCTSkip("lua5.4 is not installed (scripts/bootstrap installs it)") }
        let reference = try Self.run(lua, [script] + args)
        let smsh = try Self.run(SmshProcess.binary.path, ["run", script] + args)
        XCTAssertEqual(smsh.status, reference.status, "exit code of \(script)", file: file, line: line)
        XCTAssertEqual(smsh.text, reference.text, "stdout of \(script)", file: file, line: line)
        XCTAssertEqual(smsh.stdout, reference.stdout, "stdout bytes of \(script)", file: file, line: line)
        XCTAssertFalse(reference.stdout.isEmpty, file: file, line: line)
        return smsh
    }

    func testDeepRecursionOverflowsAreCaughtErrors() throws { try assertSameUnderBoth("recursion.lua") }
    func testCoroutinesInsideCoroutines() throws { try assertSameUnderBoth("coroutines.lua") }
    func testErrorValuesAndTracebacks() throws { try assertSameUnderBoth("errors.lua") }
    func testGarbageCollectionFinalizersAndWeakTables() throws { try assertSameUnderBoth("gc.lua") }
    func testStringDumpAndLoadRoundTrips() throws { try assertSameUnderBoth("dump.lua") }
    func testIOAndOSLibraries() throws { try assertSameUnderBoth("io_os.lua") }
    func testNumbersStringsPackAndGoto() throws { try assertSameUnderBoth("numbers_strings.lua") }

    func testUncaughtErrorExitsWithOneAfterFlushingOutputAndClosingTheState() throws {
        XCTAssertEqual(try assertSameUnderBoth("uncaught.lua").status, 1)
    }

    func testOsExitWithCloseRunsFinalizersAndKeepsTheCode() throws {
        XCTAssertEqual(try assertSameUnderBoth("exit_close.lua").status, 7)
    }

    /// SIGINT while a script spins (what Ctrl-C sends to `smsh run`): the interruption is a
    /// catchable error and afterwards `debug.gethook()` is nil, exactly as under lua5.4.
    func testNoHookIsLeftInstalledAfterAnInterruptedRun() throws {
        guard let lua = Self.lua else { throw XCTSkip("lua5.4 is not installed") }
        var outcomes: [Outcome] = []
        for command in [[lua, "interrupt.lua"], [SmshProcess.binary.path, "run", "interrupt.lua"]] {
            let ready = NSTemporaryDirectory() + "lua-semantics-ready-\(UUID().uuidString)"
            defer { try? FileManager.default.removeItem(atPath: ready) }
            outcomes.append(try Self.run(command[0], Array(command.dropFirst()) + [ready], interruptWhenFileAppears: ready))
        }
        XCTAssertEqual(outcomes[1].text, "caught\tfalse\ttrue\nhook\tnil\nafter\t4500001500000\n")
        XCTAssertEqual(outcomes[1], outcomes[0], "smsh and lua5.4 agree")
    }

    /// Ctrl-C in the REPL, both in plain Lua and inside a Swift-backed wait: no hook remains.
    func testNoHookIsLeftInstalledAfterCtrlCInTheRepl() throws {
        let stateHome = "/tmp/smsh-state-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: stateHome, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: stateHome) }
        let t = try TerminalSession(command: "--sandbox", environment: ["XDG_STATE_HOME": stateHome, "NO_COLOR": "1"])
        try t.waitFor("the prompt") { $0.contains("smsh[sandbox]>") }
        try t.enter("while true do end")
        usleep(300_000)
        try t.press("C-c")
        try t.waitFor("the interruption") { $0.contains("interrupted!") }
        try t.enter("print('hook after loop:', debug.gethook())")
        try t.waitFor("no hook after the loop") { $0.contains("hook after loop:") && $0.range(of: #"hook after loop:\s+nil"#, options: .regularExpression) != nil }
        try t.enter("r = sms.send{sender = 'SMSHDEMO', content = 'x', msisdns = {'0812345678'}, scheduledTime = os.time() + 86400}")
        try t.enter("sms.wait(r.uuid, {timeout = 1e12, interval = 1})")
        usleep(500_000)
        try t.press("C-c")
        try t.waitFor("the wait's interruption") { $0.contains("INTERRUPTED") }
        try t.enter("print('hook after wait:', debug.gethook())")
        try t.waitFor("no hook after the wait") { $0.range(of: #"hook after wait:\s+nil"#, options: .regularExpression) != nil }
    }
}
