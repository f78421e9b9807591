import Foundation
import XCTest

/// A script's arguments are argv's bytes, as under lua5.4: a Latin-1 file name or a TIS-620
/// text that is not UTF-8 reaches `arg` and `...` unchanged.
final class ScriptArgumentBytesTests: XCTestCase {
    /// Runs `INTERPRETER [OPTIONS] script.lua ARGS` through /bin/sh (ARGS hold raw bytes).
    func run(_ interpreter: String, _ options: String = "", _ args: String, script: String) throws -> (Int32, String) {
        let dir = "/tmp/smsh-argbytes-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try script.write(toFile: dir + "/bytes.lua", atomically: true, encoding: .utf8)
        try "exec \"\(interpreter)\" \(options) bytes.lua \(args) >out 2>&1 </dev/null\n".write(toFile: dir + "/run.sh", atomically: true, encoding: .utf8)
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/bin/sh")
        p.arguments = ["run.sh"]
        p.currentDirectoryURL = URL(fileURLWithPath: dir)
        var env = ProcessInfo.processInfo.environment
        env["XDG_STATE_HOME"] = dir
        env["XDG_CONFIG_HOME"] = dir
        p.environment = env
        try p.run()
        p.waitUntilExit()
        return (p.terminationStatus, try String(contentsOfFile: dir + "/out", encoding: .utf8))
    }

    func testNonUTF8ArgumentsReachTheScriptAsBytesLikeLua54() throws {
        let script = """
            local function bytes(s) return table.concat({s:byte(1, -1)}, " ") end
            print(#arg, bytes(arg[1]), bytes(arg[2]), arg[3])
            print(bytes((select(1, ...))), bytes((select(2, ...))))
            """
        // "สวัสดี" in TIS-620, a Latin-1 "café", and plain text.
        let args = #""$(printf '\312\307\321\312\264\325')" "$(printf 'caf\351')" plain"#
        let smsh = try run(SmshProcess.binary.path, "--sandbox --no-plugins", args, script: script)
        XCTAssertEqual(smsh.0, 0, smsh.1)
        XCTAssertEqual(smsh.1, "3\t202 199 209 202 180 213\t99 97 102 233\tplain\n202 199 209 202 180 213\t99 97 102 233\n")
        if FileManager.default.isExecutableFile(atPath: "/usr/bin/lua5.4") {
            XCTAssertEqual(try run("/usr/bin/lua5.4", "", args, script: script).1, smsh.1, "the same as lua5.4")
        }
        // `smsh run` (ArgumentParser's path) gives the same bytes.
        let viaRun = try run(SmshProcess.binary.path, "run --sandbox", args, script: script)
        XCTAssertEqual(viaRun.1, smsh.1)
    }
}
