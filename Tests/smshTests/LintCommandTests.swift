import Foundation
import XCTest

/// `smsh lint` with the built binary and Debian's luacheck (installed by scripts/bootstrap).
final class LintCommandTests: XCTestCase {
    private let elsewhere = URL(fileURLWithPath: "/tmp")

    override func setUpWithError() throws {
        guard FileManager.default.isExecutableFile(atPath: "/usr/bin/luacheck") else {
            throw XCTSkip("luacheck is not installed (scripts/bootstrap installs lua-check)")
        }
    }

    func testATypoInAnSMSFunctionIsAnUndefinedFieldWithItsLine() throws {
        let script = try SmshProcess.script("typo.lua", """
            local r = sms.send{sender = "SMSHDEMO", content = "hi", msisdns = {"0812345678"}}
            print(r.uuid, json.encode(r), json.null)
            log.info("sent")
            local c = sms.sned{sender = "SMSHDEMO"}
            print(c)
            """)
        let r = try SmshProcess.run(["lint", script], cwd: elsewhere)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("typo.lua:4:11: accessing undefined field 'sned' of global 'sms'"), r.stdout)
        XCTAssertTrue(r.stdout.contains("1 warning / 0 errors in 1 file"), "sms.send, json, log are known: \(r.stdout)")
        XCTAssertFalse(r.stdout.contains("\u{1B}["), "no colour when not on a terminal")
    }

    func testACleanScriptExitsZero() throws {
        let script = try SmshProcess.script("clean.lua", """
            local n = sms.normalize(arg[1] or "0812345678")
            help(sms.send)
            print(n, sms.parts("hi"), json.decode("[]"))
            """)
        let r = try SmshProcess.run(["lint", script], cwd: elsewhere)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("0 warnings / 0 errors in 1 file"), r.stdout)
    }

    func testSpecsGetBustedsGlobalsAndTheSpecHelpersOtherFilesDoNot() throws {
        let body = """
            describe("nightly", function()
              before_each(function() fixture("nightly") end)
              it("sends", function()
                local run = run_script("nightly.lua", {args = {"x"}})
                assert.are.equal(0, run.code)
              end)
            end)
            """
        let spec = try SmshProcess.script("nightly_spec.lua", body)
        let clean = try SmshProcess.run(["lint", spec], cwd: elsewhere)
        XCTAssertEqual(clean.status, 0, clean.stdout + clean.stderr)
        // The same text in a file that is not a spec: describe, fixture, ... are unknown there.
        let plain = try SmshProcess.script("nightly_helper.lua", body)
        let flagged = try SmshProcess.run(["lint", plain], cwd: elsewhere)
        XCTAssertEqual(flagged.status, 1, flagged.stdout)
        XCTAssertTrue(flagged.stdout.contains("accessing undefined variable 'describe'"), flagged.stdout)
        XCTAssertTrue(flagged.stdout.contains("accessing undefined variable 'fixture'"), flagged.stdout)
    }

    func testAFolderIsCheckedWithItsSpecs() throws {
        let spec = try SmshProcess.script("a_spec.lua", "describe('a', function() it('b', function() fixture('x') end) end)\n")
        let dir = (spec as NSString).deletingLastPathComponent
        try "print(sms.credit().balance)\n".write(toFile: dir + "/a.lua", atomically: true, encoding: .utf8)
        let r = try SmshProcess.run(["lint", dir], cwd: elsewhere)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("0 warnings / 0 errors in 2 files"), r.stdout)
    }

    func testStandardInputIsLintedToo() throws {
        let r = try SmshProcess.run(["lint", "-"], stdin: "print(sms.credit().balance, sms.sned)\n", cwd: elsewhere)
        XCTAssertEqual(r.status, 1, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("stdin:1:29: accessing undefined field 'sned' of global 'sms'"), r.stdout)
    }

    func testAMissingFileIsAUsageErrorNamingIt() throws {
        let r = try SmshProcess.run(["lint", "no-such-script.lua"], cwd: elsewhere)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "smsh: lint: no such file: no-such-script.lua\n")
        let none = try SmshProcess.run(["lint"], cwd: elsewhere)
        XCTAssertEqual(none.status, 2, none.stderr)
    }

    func testWithoutLuacheckItSaysHowToInstallIt() throws {
        let script = try SmshProcess.script("x.lua", "print(1)\n")
        let r = try SmshProcess.run(["lint", script], env: ["PATH": "/nonexistent"], cwd: elsewhere)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stderr, "smsh: lint: luacheck is not installed (sudo apt install lua-check)\n")
    }

    func testASyntaxErrorExitsWithLuachecksStatus() throws {
        let script = try SmshProcess.script("broken.lua", "local x = = 1\n")
        let r = try SmshProcess.run(["lint", script], cwd: elsewhere)
        XCTAssertEqual(r.status, 2, r.stdout)
        XCTAssertTrue(r.stdout.contains("broken.lua:1:11"), r.stdout)
    }
}
