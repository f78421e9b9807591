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

    /// Every field the campaign reads (phone column, each {{column}}) must be UTF-8, checked
    /// for the whole file before the first send; an unused column may hold anything.
    func testInvalidUTF8InAUsedColumnNamesFileLineAndColumnAndSendsNothing() throws {
        let path = NSTemporaryDirectory() + "campaign-utf8-\(UUID().uuidString.prefix(6)).csv"
        defer { try? FileManager.default.removeItem(atPath: path) }
        func write(_ rows: [[UInt8]]) throws {
            try Data(rows.joined(separator: [0x0A]) + [0x0A]).write(to: URL(fileURLWithPath: path))
        }
        let header = Array("phone,name,note".utf8), good = Array("0812345678,Ann,ok".utf8)
        let latin1Name = Array("0812345679,Jos".utf8) + [0xE9] + Array(",ok".utf8)        // "José" in Latin-1
        let latin1Note = Array("0812345670,Bo,caf".utf8) + [0xE9]
        let latin1Phone = Array("08123".utf8) + [0xFF] + Array("45671,Cy,ok".utf8)

        func campaign(_ content: String) throws -> LuaValue {
            try lua("""
                local ok, e = pcall(sms.campaign, {key = "utf8-\(UUID().uuidString.prefix(6))", sender = "SMSHDEMO", rows = "\(path)", content = "\(content)"})
                if ok then return "sent " .. e.sends end
                return e.code .. " " .. e.message
                """)
        }
        try write([header, good, latin1Note, latin1Name])
        let r = try campaign("Hi {{name}}")
        XCTAssertEqual(r, .string("CSV_INVALID sms.campaign: \(path):4: column \"name\" is not valid UTF-8 (byte offset 3); nothing was sent"))
        XCTAssertEqual(engine.acceptedSendCount, 0, "the good row before it was not sent either")

        try write([header, good, latin1Note])
        XCTAssertEqual(try campaign("Hi {{name}}"), .string("sent 2"), "the note column is not used")
        XCTAssertEqual(try campaign("Hi {{ note }}").stringValue?.hasPrefix("CSV_INVALID sms.campaign: \(path):3: column \"note\""), true)

        try write([header, latin1Phone, good])
        XCTAssertEqual(try campaign("Hi").stringValue?.hasPrefix("CSV_INVALID sms.campaign: \(path):2: column \"phone\" is not valid UTF-8 (byte offset 5)"), true)
    }

    /// Issue 22: a CSV whose header says `tel` instead of `phone` sends nothing and says so,
    /// naming the file and its columns, as `sms.numbers` and `send --to-file --column` do.
    func testACSVWithoutThePhoneColumnNamesTheFileAndItsColumns() throws {
        let path = NSTemporaryDirectory() + "campaign-tel-\(UUID().uuidString.prefix(6)).csv"
        try "tel,name\n0812345678,Ann\n0812345679,Bo\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let r = try lua("""
            local ok, e = pcall(sms.campaign, {key = "tel", sender = "SMSHDEMO", rows = "\(path)", content = "Hi {{name}}"})
            return e.code .. " " .. e.field .. " " .. e.message
            """)
        XCTAssertEqual(r.stringValue, "INVALID_ARGUMENT phone sms.campaign: \(path) has no column \"phone\" (the numbers' column: set 'phone' "
                           + "to the column that holds them); its columns: \"tel\", \"name\"; nothing was sent")
        let placeholder = try lua("""
            local ok, e = pcall(sms.campaign, {key = "tel", sender = "SMSHDEMO", rows = "\(path)", phone = "tel", content = "Hi {{first}}"})
            return e.message
            """)
        XCTAssertEqual(placeholder.stringValue?.contains("\(path) has no column \"first\" (used in a {{first}}); its columns: \"tel\", \"name\""),
                       true, "\(placeholder)")
        XCTAssertEqual(try lua(#"return sms.campaign{key = "tel", sender = "SMSHDEMO", rows = "\#(path)", phone = "tel", content = "Hi"}.sends"#),
                       .integer(1))
        XCTAssertEqual(engine.acceptedSendCount, 1)
    }

    func testLuaRowsWithoutThePhoneColumnNameTheColumnsTheyHave() throws {
        let r = try lua("""
            local ok, e = pcall(sms.campaign, {key = "t", sender = "SMSHDEMO", rows = {{tel = "0812345678", name = "A"}, {tel = "0812345679"}}, content = "Hi"})
            return e.message
            """)
        XCTAssertEqual(r.stringValue, "sms.campaign: no row has a column \"phone\" (set 'phone' to the column that holds the numbers); "
                           + "the rows' columns: \"name\", \"tel\"; nothing was sent")
        XCTAssertEqual(engine.acceptedSendCount, 0)
    }

    /// A campaign whose every row is invalid fails, naming the first bad row, and sends nothing.
    func testEveryRowInvalidFailsNamingTheFirstBadRow() throws {
        let r = try lua("""
            local rows = {{phone = "08123456789"}, {phone = "12ab"}, {phone = ""}}
            local ok, e = pcall(sms.campaign, {key = "bad", sender = "SMSHDEMO", rows = rows, content = "Hi"})
            return tostring(ok) .. " " .. e.code .. " " .. e.message
            """)
        XCTAssertEqual(r.stringValue, "false INVALID_MSISDN sms.campaign: all 3 rows are invalid, so nothing would be sent; the first: line 1, "
                           + "\"08123456789\": has too many digits (0 + 10 digits; expected 0 + 9); nothing was sent")
        XCTAssertEqual(engine.acceptedSendCount, 0)
    }
}
