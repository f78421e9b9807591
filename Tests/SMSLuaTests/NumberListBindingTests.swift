import Foundation
import LuaHost
import SMSClient
import SMSLua
import SMSSimulator
import XCTest

/// `sms.numbers` lists against the in-process simulator: counts, invalid lines, and the list
/// accepted as `msisdns` by send and preview.
final class NumberListBindingTests: XCTestCase {
    var lua: LuaState!
    var engine: SimulatorEngine!

    override func setUpWithError() throws {
        let clock = VirtualClock(start: 1_795_953_000)
        let engine = SimulatorEngine(config: SimulatorConfig(), clock: clock)
        self.engine = engine
        let env = SMSEnvironment(clock: clock) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: SimulatorConfig().apiKey, clock: clock)
        }
        lua = try LuaState()
        try lua.install(SMSModule(environment: env))
    }

    private func file(_ text: String) throws -> String {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("numbers-\(UUID().uuidString).txt")
        try Data(text.utf8).write(to: url)
        addTeardownBlock { try? FileManager.default.removeItem(at: url) }
        return url.path
    }

    private func run(_ code: String) throws -> LuaValue { try lua.run(code, chunkName: "=test").first ?? .nil }

    func testListCountsDuplicatesAndInvalidLines() throws {
        let path = try file("0812345678\n081-234-5678\n\n0912345678\n\n12ab\n")
        let r = try run("""
            local list = sms.numbers("\(path)")
            local bad = list.invalid[1]
            return table.concat({#list, list.duplicates, #list.invalid, bad.line, bad.value, bad.reason,
                                 tostring(list.invalid == list.invalid)}, "|")
            """)
        XCTAssertEqual(r.stringValue, "2|1|1|6|12ab|contains the letter 'a' at position 3|true")
        XCTAssertEqual(try run("return tostring(sms.numbers('\(path)'))").stringValue,
                       "sms.numbers: 2 numbers (1 duplicates removed, 1 invalid) from \(path)")
    }

    func testListIsAcceptedAsMsisdnsBySendAndPreview() throws {
        let path = try file("name,phone\nAnn,0812345678\nBob,0912345678\nCat,0812345678\n")
        let r = try run("""
            local list = sms.numbers("\(path)", {column = "phone"})
            local p = sms.preview{content = "Hi", msisdns = list}
            local s = sms.send{sender = "SMSHDEMO", content = "Hi", msisdns = list}
            return p.recipients .. "|" .. s.recipients .. "|" .. tostring(s.uuid ~= nil)
            """)
        XCTAssertEqual(r.stringValue, "2|2|true")
    }

    func testUnknownColumnAndMissingFileAreClearErrors() throws {
        let path = try file("name,phone\nAnn,0812345678\n")
        XCTAssertEqual(try run("local ok, e = pcall(sms.numbers, '\(path)', {column = 'mobile'}); return e.message").stringValue,
                       "sms.numbers: \(path) has no column \"mobile\" (columns: \"name\", \"phone\")")
        XCTAssertEqual(try run("local ok, e = pcall(sms.numbers, '/nonexistent/n.txt'); return e.message").stringValue,
                       "sms.numbers: cannot open \"/nonexistent/n.txt\": No such file or directory")
    }
}
