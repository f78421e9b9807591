import Foundation
import XCTest

/// `smsh run` behaves like `lua5.4` where they overlap.
final class RunCommandTests: XCTestCase {
    func testScriptGetsArgTableAndVarargs() throws {
        let path = try SmshProcess.script("args.lua", """
            print(arg[0], arg[1], arg[2], #arg, select('#', ...), ...)
            """)
        let r = try SmshProcess.run(["run", path, "one", "-two"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\(path)\tone\t-two\t2\t2\tone\t-two\n")
    }

    func testBareFileFormIsTheSameAsRun() throws {
        let path = try SmshProcess.script("bare.lua", "print(arg[1])")
        let r = try SmshProcess.run([path, "x"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "x\n")
    }

    func testDashEAndStdin() throws {
        let e = try SmshProcess.run(["-e", "print(6 * 7, math.type(3), math.type(3.0))"])
        XCTAssertEqual(e.stdout, "42\tinteger\tfloat\n")
        let s = try SmshProcess.run(["-"], stdin: "print('from stdin')")
        XCTAssertEqual(s.status, 0, s.stderr)
        XCTAssertEqual(s.stdout, "from stdin\n")
    }

    /// Plain lua-style lines start without ArgumentParser; anything with an smsh option, a
    /// subcommand or a missing value still goes through it, with the same results.
    func testLuaStyleLinesWithAndWithoutSmshOptionsAgree() throws {
        let path = try SmshProcess.script("both.lua", "print(X, arg[1], sms ~= nil)")
        let plain = try SmshProcess.run(["-e", "X = 1", "-e", "X = X + 1", path, "a"])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(plain.stdout, "2\ta\ttrue\n")
        let viaRun = try SmshProcess.run(["run", "-e", "X = 1", "-e", "X = X + 1", path, "a"])
        XCTAssertEqual(viaRun.stdout, plain.stdout)
        let withOption = try SmshProcess.run(["--sandbox", "-e", "X = 1", "-e", "X = X + 1", path, "a"])
        XCTAssertEqual(withOption.status, 0, withOption.stderr)
        XCTAssertEqual(withOption.stdout, plain.stdout)
        let missing = try SmshProcess.run(["-e"])
        XCTAssertEqual(missing.status, 2)
        let failing = try SmshProcess.run(["-e", "error('boom')"])
        XCTAssertEqual(failing.status, 1)
        XCTAssertTrue(failing.stderr.hasPrefix("smsh: (command line):1: boom"), failing.stderr)
    }

    func testShebangLineIsSkippedAndOsExitHonoured() throws {
        let path = try SmshProcess.script("exit.lua", "#!/usr/bin/env smsh\nprint('hi')\nos.exit(7)\n")
        let r = try SmshProcess.run(["run", path])
        XCTAssertEqual(r.stdout, "hi\n")
        XCTAssertEqual(r.status, 7)
    }

    func testUncaughtErrorPrintsPositionAndTracebackAndExits1() throws {
        let path = try SmshProcess.script("fail.lua", """
            local function deeper() error("went wrong") end
            local function outer() deeper() end
            outer()
            """)
        let r = try SmshProcess.run(["run", path])
        XCTAssertEqual(r.status, 1)
        let lines = r.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.first, "smsh: \(path):1: went wrong")
        XCTAssertEqual(lines.dropFirst().first, "stack traceback:")
        XCTAssertTrue(r.stderr.contains("in local 'deeper'") || r.stderr.contains("in upvalue 'deeper'"), r.stderr)
        XCTAssertTrue(r.stderr.contains("\(path):3: in main chunk"), r.stderr)
    }

    func testSyntaxErrorAndMissingFileExit1() throws {
        let bad = try SmshProcess.script("syntax.lua", "x = = 1")
        let r = try SmshProcess.run(["run", bad])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("smsh: \(bad):1:"), r.stderr)
        let missing = try SmshProcess.run(["run", "/nonexistent/nope.lua"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("cannot open /nonexistent/nope.lua"), missing.stderr)
    }

    func testErrorObjectsThatAreTablesUseTostring() throws {
        let r = try SmshProcess.run(["-e", "error(setmetatable({}, {__tostring = function() return 'CODE (402): readable' end}))"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("smsh: CODE (402): readable\nstack traceback:"), r.stderr)
    }

    func testDebianLuaPackagesLoad() throws {
        let r = try SmshProcess.run(["-e", "print(require('cjson').encode({ok = true}))"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "{\"ok\":true}\n")
    }

    func testVersionAndHelp() throws {
        let v = try SmshProcess.run(["--version"])
        XCTAssertEqual(v.status, 0)
        XCTAssertTrue(v.stdout.hasPrefix("0."), v.stdout)
        let h = try SmshProcess.run(["--help"])
        XCTAssertEqual(h.status, 0)
        for sub in ["run", "serve"] { XCTAssertTrue(h.stdout.contains(sub), h.stdout) }
        let rh = try SmshProcess.run(["run", "--help"])
        XCTAssertEqual(rh.status, 0)
        XCTAssertTrue(rh.stdout.contains("-e <code>"), rh.stdout)
    }

    func testNoScriptIsAUsageError() throws {
        let r = try SmshProcess.run(["run"])
        XCTAssertEqual(r.status, 2)
    }

    /// Issue 16 point 2: an unknown option or a bad value is a usage error (exit 2) naming it,
    /// not a script that cannot be opened; a script named -x needs `--`.
    func testUnknownOptionsAndBadValuesAreUsageErrors() throws {
        let path = try SmshProcess.script("usage.lua", "print('ran', ...)")
        for args in [["run", "--bogus", path], ["--bogus", path]] {
            let r = try SmshProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--bogus"), r.stderr)
            XCTAssertFalse(r.stderr.contains("cannot open"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        for args in [["run", "--max-credits", "-5", path], ["--max-credits", "-5", path]] {
            let r = try SmshProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--max-credits"), r.stderr)
            XCTAssertTrue(r.stderr.contains("-5"), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
        let serve = try SmshProcess.run(["serve", "--bogus"])
        XCTAssertEqual(serve.status, 2, serve.stderr)
        XCTAssertTrue(serve.stderr.contains("--bogus"), serve.stderr)
        // The script's own arguments are never read as smsh options.
        let own = try SmshProcess.run(["run", path, "--max-credits", "-5", "--bogus"])
        XCTAssertEqual(own.status, 0, own.stderr)
        XCTAssertEqual(own.stdout, "ran\t--max-credits\t-5\t--bogus\n")
    }

    func testScriptNamedWithADashNeedsDoubleDash() throws {
        let dir = URL(fileURLWithPath: try SmshProcess.script("dash-dir-marker.lua", "")).deletingLastPathComponent()
        try "print('dash', ...)".write(to: dir.appendingPathComponent("-x.lua"), atomically: true, encoding: .utf8)
        let without = try SmshProcess.run(["-x.lua"], cwd: dir)
        XCTAssertEqual(without.status, 2, without.stderr)
        for args in [["--", "-x.lua", "a"], ["run", "--", "-x.lua", "a"], ["--sandbox", "--", "-x.lua", "a"]] {
            let r = try SmshProcess.run(args, cwd: dir)
            XCTAssertEqual(r.status, 0, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "dash\ta\n", "\(args)")
        }
    }

    /// Issue 16 point 7: the same command lines give the same arg tables as lua5.4, except
    /// arg's most negative entry, argv[0] as invoked.
    func testArgTableLayoutMatchesLua54() throws {
        let path = try SmshProcess.script("layout.lua", """
            local lo = 0
            while arg[lo - 1] ~= nil do lo = lo - 1 end
            local t = {}
            for i = lo + 1, #arg do t[#t + 1] = i .. '=' .. arg[i] end
            print(lo, arg[lo], table.concat(t, ' '))
            """)
        for opts in [[String](), ["-e", "X=1"], ["-e", "X=1", "-e", "Y=2"], ["--"], ["-e", "X=1", "--"]] {
            let lua = Process()
            lua.executableURL = URL(fileURLWithPath: "/usr/bin/lua5.4")
            lua.arguments = opts + [path, "a", "-b"]
            let out = Pipe()
            lua.standardOutput = out
            try lua.run()
            lua.waitUntilExit()
            let expected = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
                .replacingOccurrences(of: "/usr/bin/lua5.4", with: SmshProcess.binary.path)
            let r = try SmshProcess.run(opts + [path, "a", "-b"])
            XCTAssertEqual(r.status, 0, r.stderr)
            XCTAssertEqual(r.stdout, expected, "\(opts)")
        }
    }

    /// Penlight's app.lua() finds the interpreter from arg[-1]…; re-running it works.
    func testPenlightAppReRunsTheInterpreter() throws {
        let path = try SmshProcess.script("rerun.lua", """
            local lua = require('pl.app').lua()
            io.stdout:setvbuf('no')
            print(lua)
            assert(os.execute(lua .. " -e 'print(40 + 2)'"))
            """)
        let r = try SmshProcess.run(["--sandbox", "--quiet", path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "\(SmshProcess.binary.path) --sandbox --quiet\n42\n")
    }
}
