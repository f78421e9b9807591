import LuaHost
import SMSClient
import SMSLua
import SMSOperations
import SMSSimulator
import XCTest

/// Argument tables read by `LuaTableFields`: nothing given is dropped silently, and the
/// error comes before anything is sent (checked against the in-process simulator).
final class LuaTableFieldsTests: XCTestCase {
    var lua: LuaState!
    var engine: SimulatorEngine!

    override func setUpWithError() throws {
        let clock = VirtualClock(start: 1_795_953_000)
        let config = SimulatorConfig()
        let engine = SimulatorEngine(config: config, clock: clock)
        self.engine = engine
        let environment = SMSEnvironment(clock: clock, dryRun: false) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: config.apiKey, clock: clock)
        }
        lua = try LuaState()
        try lua.install(SMSModule(environment: environment))
    }

    /// Sends with `msisdns` set to the Lua expression; returns the error's code, field, message.
    func sendFailure(_ msisdns: String) throws -> (code: String?, field: String?, message: String) {
        let r = try lua.run("""
            local ok, e = pcall(sms.send, {sender = "SMSHDEMO", content = "x", msisdns = \(msisdns)})
            assert(not ok, "expected an error")
            return e.code, e.field, e.message
            """, chunkName: "=test")
        return (r[0].stringValue, r[1].stringValue, r[2].stringValue ?? "")
    }

    func testHoleAfterTheBorderIsRefusedNamingTheFirstGap() throws {
        let e = try sendFailure(#"{[1] = "0812345678", [3] = "0898765432"}"#)
        XCTAssertEqual(e.code, "INVALID_ARGUMENT")
        XCTAssertEqual(e.field, "msisdns")
        XCTAssertTrue(e.message.contains("'msisdns' has a hole at index 2 (1 key beyond 1..1, from [3]"), e.message)
        XCTAssertEqual(engine.requestCount, 0, "nothing reached the server")
    }

    func testNilInsideTheLengthIsAHole() throws {
        let e = try sendFailure(#"{"0812345678", nil, "0898765432"}"#)
        XCTAssertEqual(e.code, "INVALID_ARGUMENT")
        XCTAssertEqual(e.field, "msisdns")
        XCTAssertTrue(e.message.contains("hole at index 2"), e.message)
        XCTAssertEqual(engine.requestCount, 0)
    }

    func testNonIntegerKeysAreRefusedByName() throws {
        let only = try sendFailure(#"{a = "0812345678"}"#)
        XCTAssertEqual(only.code, "INVALID_ARGUMENT")
        XCTAssertEqual(only.field, "msisdns")
        XCTAssertTrue(only.message.contains(#"it has the key "a""#), only.message)
        let mixed = try sendFailure(#"{"0812345678", x = 1}"#)
        XCTAssertEqual(mixed.field, "msisdns")
        XCTAssertTrue(mixed.message.contains(#"it has the key "x""#), mixed.message)
        let float = try sendFailure(#"{"0812345678", [1.5] = "0898765432"}"#)
        XCTAssertTrue(float.message.contains("it has the key [1.5]"), float.message)
        let negative = try sendFailure(#"{"0812345678", [0] = "0898765432"}"#)
        XCTAssertTrue(negative.message.contains("it has the key [0]"), negative.message)
        XCTAssertEqual(engine.requestCount, 0)
    }

    func testPlainListsStillSendAndEmptyIsStillEmpty() throws {
        let r = try lua.run(#"return sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0898765432"}}.recipients"#,
                            chunkName: "=test")
        XCTAssertEqual(r.first, .integer(2))
        // Keys given one by one sit in the hash part, in no order: still read, in index order.
        let hashed = try lua.run("""
            local t = {[3] = "0898765432", [1] = "0812345678", [2] = "0861234567"}
            local r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = t}
            return r.recipients
            """, chunkName: "=test")
        XCTAssertEqual(hashed.first, .integer(3))
        let empty = try sendFailure("{}")
        XCTAssertTrue(empty.message.contains("'msisdns' is empty"), empty.message)
    }
}

/// `sms.normalize` reasons and quoted values show invisible characters escaped.
final class NormalizeReasonTests: XCTestCase {
    func testZeroWidthSpaceAndCarriageReturnAreShownEscaped() throws {
        let lua = try LuaState()
        let clock = VirtualClock(start: 1_795_953_000)
        let engine = SimulatorEngine(config: SimulatorConfig(), clock: clock)
        try lua.install(SMSModule(environment: SMSEnvironment(clock: clock, dryRun: false) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: nil, clock: clock)
        }))
        let r = try lua.run(#"""
            local n1, why1 = sms.normalize("0812345678\u{200B}")
            local n2, why2 = sms.normalize("081\r\n2345678")
            local n3 = sms.normalize("0812345678\r")
            return why1, why2, n3, n1 == nil
            """#, chunkName: "=test")
        XCTAssertEqual(r[0].stringValue, #""0812345678U+200B" is not a Thai mobile number (contains 'U+200B' at position 11)"#)
        XCTAssertEqual(r[1].stringValue, #""081\r\n2345678" is not a Thai mobile number (contains '\n' at position 5)"#)
        XCTAssertEqual(r[2].stringValue, "66812345678")
        XCTAssertEqual(r[3], true)
    }
}

/// API results with no data keep `data` an array: `json.encode` writes `[]`.
final class EmptyResultArrayTests: XCTestCase {
    func testMessagesWithNoMatchEncodeDataAsAnEmptyArray() throws {
        let lua = try LuaState()
        let clock = VirtualClock(start: 1_795_953_000)
        let config = SimulatorConfig()
        let engine = SimulatorEngine(config: config, clock: clock)
        try lua.install(JSONModule())
        try lua.install(SMSModule(environment: SMSEnvironment(clock: clock, dryRun: false) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: config.apiKey, clock: clock)
        }))
        let r = try lua.run("""
            local page = sms.messages{status = "failed"}
            return #page.data, json.encode(page.data)
            """, chunkName: "=test")
        XCTAssertEqual(r, [.integer(0), "[]"])
    }
}
