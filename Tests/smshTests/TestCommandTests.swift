import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import XCTest

/// `smsh test` as a user runs it: help, any working directory, JUnit, recording what specs need.
final class TestCommandTests: XCTestCase {
    private let elsewhere = URL(fileURLWithPath: "/tmp")

    func testHelpExitsZeroAndShowsSmshsAndBustedsOptions() throws {
        let help = try SmshProcess.run(["test", "--help"], cwd: elsewhere)
        XCTAssertEqual(help.status, 0, help.stderr)
        XCTAssertTrue(help.stdout.contains("--record-missing"), help.stdout)
        XCTAssertTrue(help.stdout.contains("--filter=PATTERN"), "busted's options are listed too")
        XCTAssertFalse(help.stdout.contains("error: Usage"), help.stdout)
        XCTAssertEqual(help.stderr, "")
    }

    func testExampleSpecsPassFromAnotherWorkingDirectory() throws {
        let run = try SmshProcess.run(["test", ExampleScriptsTests.examples.path, "-o", "TAP"], cwd: elsewhere)
        XCTAssertEqual(run.status, 0, run.stdout + run.stderr)
        XCTAssertFalse(run.stdout.contains("not ok"), run.stdout)
        XCTAssertTrue(run.stdout.contains("1..11"), run.stdout)
    }

    func testJUnitOutputIsWellFormedXMLWithADeclaration() throws {
        let run = try SmshProcess.run(["test", ExampleScriptsTests.examples.path, "-o", "junit"], cwd: elsewhere)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertTrue(run.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"), String(run.stdout.prefix(80)))
        let parser = XMLParser(data: Data(run.stdout.utf8))
        let counter = ElementCounter()
        parser.delegate = counter
        XCTAssertTrue(parser.parse(), "\(parser.parserError.map { "\($0)" } ?? "")")
        XCTAssertEqual(counter.names.first, "testsuites")
        XCTAssertEqual(counter.names.filter { $0 == "testcase" }.count, 11)
    }

    func testRecordMissingRecordsRunScriptFixturesAndPathsAreTheSpecsOwn() throws {
        let dir = "/tmp/smsh-spec-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "0812345678\n".write(toFile: dir + "/numbers.txt", atomically: true, encoding: .utf8)
        try """
            local numbers = {}
            for line in io.lines(arg[1]) do numbers[#numbers + 1] = line end
            local r = sms.send{ sender = "SMSHDEMO", content = "Hi", msisdns = numbers }
            print("sent to " .. r.recipients)
            """.write(toFile: dir + "/send.lua", atomically: true, encoding: .utf8)
        try """
            describe("send.lua", function()
              it("sends to the numbers in the file", function()
                local run = run_script("send.lua", { args = { "numbers.txt" }, fixture = "send_one" })
                assert.are.equal(0, run.code, run.stderr)
                assert.are.equal("sent to 1\\n", run.stdout)
              end)
            end)
            """.write(toFile: dir + "/send_spec.lua", atomically: true, encoding: .utf8)

        let missing = try SmshProcess.run(["test", dir, "-o", "TAP"], cwd: elsewhere)
        XCTAssertNotEqual(missing.status, 0)
        XCTAssertTrue(missing.stdout.contains("smsh test --record-missing"), missing.stdout)
        XCTAssertFalse(missing.stdout.contains("mode 'once'"), "no advice run_script cannot follow")

        let recording = try SmshProcess.run(["test", "--record-missing", dir, "-o", "TAP"], cwd: elsewhere)
        XCTAssertEqual(recording.status, 0, recording.stdout + recording.stderr)
        let cassette = dir + "/fixtures/send_one.json"
        XCTAssertTrue(FileManager.default.fileExists(atPath: cassette))
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: cassette)[.posixPermissions] as? Int, 0o600)

        let replaying = try SmshProcess.run(["test", dir, "-o", "TAP"], cwd: elsewhere)
        XCTAssertEqual(replaying.status, 0, replaying.stdout + replaying.stderr)
    }

    /// help(fixture) and help(run_script) inside a spec show the doc registry's entries.
    func testSpecHelpersHaveHelp() throws {
        let spec = try SmshProcess.script("help_spec.lua", """
            describe("helpers", function()
              it("are documented", function() help(fixture) help("run_script") end)
            end)
            """)
        let r = try SmshProcess.run(["test", spec, "-o", "TAP"], cwd: elsewhere)
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.contains("fixture(name) -> path\n  name"), r.stdout)
        XCTAssertTrue(r.stdout.contains("run_script(path, [{args=, flags=, env=, fixture=, sandbox=}]) -> run"), r.stdout)
    }

    /// run_script's options are the documented ones (GlobalDocs): a misspelt one is an error.
    func testRunScriptRefusesAnUnknownOptionNamingTheKnownOnes() throws {
        let dir = "/tmp/smsh-spec-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try "print(arg[1])\n".write(toFile: dir + "/echo.lua", atomically: true, encoding: .utf8)
        try """
            describe("echo.lua", function()
              it("runs with its argument", function()
                local run = run_script("echo.lua", { arg = { "x" } })
                assert.are.equal("x\\n", run.stdout)
              end)
            end)
            """.write(toFile: dir + "/echo_spec.lua", atomically: true, encoding: .utf8)
        let r = try SmshProcess.run(["test", dir, "-o", "TAP"], cwd: elsewhere)
        XCTAssertNotEqual(r.status, 0)
        XCTAssertTrue(r.stdout.contains("run_script: unknown option 'arg' (expected args, env, fixture, flags, sandbox)"), r.stdout)
    }
}

private final class ElementCounter: NSObject, XMLParserDelegate {
    var names: [String] = []
    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
                attributes: [String: String] = [:]) {
        names.append(name)
    }
}
