import Foundation
import LuaHost
import SMSClient
import SMSLua
import SMSSimulator
import XCTest

/// `for row, line in sms.csv(path)` over real files: header-keyed rows, lines, options,
/// errors as sms error tables, and the file closed when the loop is left early.
final class CSVBindingTests: XCTestCase {
    var lua: LuaState!
    var directory: URL!

    override func setUpWithError() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("csvbinding-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let clock = VirtualClock(start: 1_795_953_000)
        let engine = SimulatorEngine(config: SimulatorConfig(), clock: clock)
        let env = SMSEnvironment(clock: clock) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: SimulatorConfig().apiKey, clock: clock)
        }
        lua = try LuaState()
        try lua.install(SMSModule(environment: env))
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(at: directory) }

    private func file(_ name: String, _ text: String) throws -> String {
        let url = directory.appendingPathComponent(name)
        try Data(text.utf8).write(to: url)
        return url.path
    }

    private func run(_ code: String) throws -> LuaValue { try lua.run(code, chunkName: "=test").first ?? .nil }

    func testRowsAreTablesKeyedByHeaderWithTheirStartLine() throws {
        let path = try file("contacts.csv", "phone,name\r\n0812345678,\"Doe, Jane\"\r\n0912345678,\"two\nlines\"\r\n0612345678,Bob\r\n")
        let out = try run("""
            local out = {}
            for row, line in sms.csv(\"\(path)\") do out[#out + 1] = line .. "|" .. row.phone .. "|" .. row.name end
            return table.concat(out, ";")
            """)
        XCTAssertEqual(out.stringValue, "2|0812345678|Doe, Jane;3|0912345678|two\nlines;5|0612345678|Bob")
    }

    func testSeparatorOption() throws {
        let path = try file("semi.csv", "phone;name\n0812345678;Ann\n")
        XCTAssertEqual(try run("for row in sms.csv(\"\(path)\", {separator = \";\"}) do return row.name end").stringValue, "Ann")
        let bad = try run("local ok, e = pcall(sms.csv, \"\(path)\", {separater = \";\"}); return e.message")
        XCTAssertEqual(bad.stringValue, "sms.csv: unknown field 'separater' (did you mean 'separator'?)")
    }

    func testMalformedRowRaisesCSVInvalidNamingFileAndLine() throws {
        let path = try file("contacts.csv", "phone,name\n0812345678,Ann\n0912345678,\"Bob\n")
        let r = try run("""
            local n = 0
            local ok, e = pcall(function() for row in sms.csv(\"\(path)\") do n = n + 1 end end)
            return {n = n, code = e.code, message = e.message, text = tostring(e)}
            """).tableValue!
        XCTAssertEqual(r.hash[.string("n")], .integer(1))
        XCTAssertEqual(r.hash[.string("code")]?.stringValue, "CSV_INVALID")
        XCTAssertEqual(r.hash[.string("message")]?.stringValue, "\(path):3: unterminated quoted field")
    }

    func testMissingFileAndWrongArgumentAreClearErrors() throws {
        let missing = directory.appendingPathComponent("nope.csv").path
        XCTAssertEqual(try run("local ok, e = pcall(sms.csv, \"\(missing)\"); return tostring(e)").stringValue,
                       "INVALID_ARGUMENT: sms.csv: cannot open \"\(missing)\": No such file or directory")
        XCTAssertEqual(try run("local ok, e = pcall(sms.csv, 42 > 1); return e.field").stringValue, "path")
    }

    /// `break` closes the file through the loop's closing value, before garbage collection:
    /// thousands of early-left loops do not run out of file descriptors.
    func testBreakClosesTheFile() throws {
        let path = try file("many.csv", "a\n1\n2\n")
        let r = try run("""
            collectgarbage("stop")
            local n = 0
            for i = 1, 5000 do
              for row in sms.csv(\"\(path)\") do n = n + 1 break end
            end
            collectgarbage("restart")
            return n
            """)
        XCTAssertEqual(r, .integer(5000))
    }
}
