import Foundation
import LuaHost
import SMSClient
import SMSLua
import SMSSimulator
import XCTest

/// `sms.campaign`, `sms.wait_all` and `sms.report` against the in-process simulator (virtual clock).
final class CampaignTests: XCTestCase {
    var lua: LuaState!
    var engine: SimulatorEngine!
    var clock: VirtualClock!

    override func setUpWithError() throws {
        let clock = VirtualClock(start: 1_795_953_000)
        self.clock = clock
        let config = SimulatorConfig()
        let engine = SimulatorEngine(config: config, clock: clock)
        self.engine = engine
        let env = SMSEnvironment(clock: clock) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: config.apiKey, clock: clock)
        }
        lua = try LuaState()
        try lua.install(SMSModule(environment: env))
    }

    func lua(_ code: String) throws -> LuaValue { try lua.run(code, chunkName: "=test").first ?? .nil }

    static let rows = """
        local rows = {
          {phone = "0812345678", name = "Ann"}, {phone = "0812345679", name = "Bo"},
          {phone = "0812345670", name = "Ann"}, {phone = "12ab", name = "X"}, {phone = "0812345678", name = "Dup"},
        }
        """

    func testCampaignGroupsTextsReportsInvalidAndDuplicatesAndResumesWithoutResending() throws {
        let r = try lua(Self.rows + """
            local c = sms.campaign{key = "k1", sender = "SMSHDEMO", rows = rows, content = "Hi {{name}}"}
            local again = sms.campaign{key = "k1", sender = "SMSHDEMO", rows = rows, content = "Hi {{name}}"}
            local msgs = sms.wait_all(c.uuids, {timeout = 3600, interval = 10})
            local n = 0 for _ in pairs(msgs) do n = n + 1 end
            local rep = sms.report(c.uuids)
            return {sends = c.sends, recipients = c.recipients, dup = c.duplicates, invalidLine = c.invalid[1].line,
                    uuids = #c.uuids, resumed = again.resends == nil and again.resumed, again = again.sends,
                    waited = n, total = rep.total, pending = rep.pending}
            """)
        XCTAssertEqual(r, ["sends": .integer(2), "recipients": .integer(3), "dup": .integer(1), "invalidLine": .integer(4),
                           "uuids": .integer(2), "resumed": .integer(2), "again": .integer(0), "waited": .integer(2),
                           "total": .integer(3), "pending": .integer(0)])
        XCTAssertEqual(engine.acceptedSendCount, 2)
    }

    func testMissingColumnNamesTheLineAndNothingIsSent() throws {
        let r = try lua(Self.rows + """
            local ok, e = pcall(sms.campaign, {key = "k2", sender = "SMSHDEMO", rows = rows, content = "Hi {{code}}"})
            return e.message
            """)
        XCTAssertEqual(r.stringValue?.contains("line 1 has no column 'code'"), true, "\(r)")
        XCTAssertEqual(engine.acceptedSendCount, 0)
    }

    func testOutsideWindowWithoutWaitRaisesAndSendsNothing() throws {
        // 1_795_953_000 is 08:30 UTC: outside 09:00-10:00 UTC.
        let r = try lua(Self.rows + """
            local ok, e = pcall(sms.campaign, {key = "k3", sender = "SMSHDEMO", rows = rows, content = "Hi",
                                               window = {from = "09:00", to = "10:00", tz = "UTC"}, wait = false})
            local before = sms.now()
            local c = sms.campaign{key = "k3", sender = "SMSHDEMO", rows = rows, content = "Hi", rate = 1,
                                   window = {from = "09:00", to = "10:00", tz = "UTC"}}
            return {code = e.code, waited = sms.now() - before >= 1, sends = c.sends}
            """)
        XCTAssertEqual(r.tableValue?["code"], "OUTSIDE_WINDOW")
        XCTAssertEqual(r.tableValue?["waited"], true)
        XCTAssertEqual(r.tableValue?["sends"], .integer(1))
    }

    /// rows = "file.csv": RFC 4180 rows keyed by the header; invalid numbers reported with their
    /// file lines (a quoted field with a line break makes later rows start further down).
    func testCampaignFromACSVFileReportsFileLines() throws {
        let path = NSTemporaryDirectory() + "campaign-\(UUID().uuidString.prefix(6)).csv"
        try "\u{FEFF}phone,name\r\n0812345678,Ann\r\n\"081-234-5679\",\"Bo\r\nBob\"\r\n12ab,X\r\n0812345670,Ann\r\n"
            .write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try lua("""
            local c = sms.campaign{key = "csv", sender = "SMSHDEMO", rows = "\(path)", content = "Hi {{name}}"}
            return c.sends .. " " .. c.recipients .. " " .. c.invalid[1].line .. " " .. c.invalid[1].value
            """)
        XCTAssertEqual(r, .string("2 3 5 12ab"), "Ann twice share a send; Bo's row starts on line 3, 12ab's on line 5")
        XCTAssertThrowsError(try lua(#"sms.campaign{key = "x", sender = "SMSHDEMO", rows = "/nonexistent.csv", content = "Hi"}"#))
    }
}
