import Foundation
import LuaHost
import SMSClient
import SMSLua
import SMSSimulator
import XCTest

/// `sms.wait_all` (one loop, one `message` call per still-pending message per round, timeout,
/// every message returned) and `sms.report` (sums, deliveryRate), on the in-process
/// simulator and a virtual clock. Every report is due exactly 100 s after its message.
final class MessageWaitingTests: XCTestCase {
    var lua: LuaState!
    var clock: VirtualClock!
    let counters = RequestCounters()
    /// Session-clock seconds each request takes (a far provider); 0 unless a test sets it.
    let latency = Latency()

    final class Latency: @unchecked Sendable { var seconds = 0.0 }

    /// Moves the virtual clock on by `latency` before each request, as a slow network would.
    struct SlowTransport: Transport {
        let wrapping: Transport
        let clock: VirtualClock
        let latency: Latency
        func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
            clock.advance(by: latency.seconds)
            return try wrapping.roundTrip(request)
        }
    }

    override func setUpWithError() throws {
        let clock = VirtualClock(start: 1_795_953_000)
        self.clock = clock
        let config = SimulatorConfig(outcomes: ["success": 1], deliveryDelay: 100...100)
        let engine = SimulatorEngine(config: config, clock: clock)
        let counters = counters
        let latency = latency
        let env = SMSEnvironment(clock: clock) {
            SMSClient(transport: SlowTransport(wrapping: SimulatorTransport(engine: engine), clock: clock, latency: latency),
                      apiKey: config.apiKey, clock: clock, counters: counters)
        }
        lua = try LuaState()
        try lua.install(SMSModule(environment: env))
        // A: only a blocklisted number (final at once). B at t=0 and C at t=30: two deliverable
        // numbers each, plus an invalid one on C; their reports come at t=100 and t=130.
        _ = try lua.run("""
            A = sms.send{sender = "SMSHDEMO", content = "a", msisdns = {"0899999999"}}.uuid
            B = sms.send{sender = "SMSHDEMO", content = "b", msisdns = {"0812345678", "0812345679"}}.uuid
            sms.sleep(30)
            C = sms.send{sender = "SMSHDEMO", content = "c", msisdns = {"0812345670", "0812345671", "0601234567"}}.uuid
            """, chunkName: "=setup")
    }

    func lua(_ code: String) throws -> LuaValue { try lua.run(code, chunkName: "=test").first ?? .nil }

    var calls: Int { counters.totals.calls }

    func testOneMessageCallPerPendingMessagePerRoundAndEveryMessageReturned() throws {
        let before = calls
        let start = clock.now()
        let r = try lua("""
            local all = sms.wait_all({A, B, C, B}, {timeout = 3600, interval = 60})
            local out = {}
            for uuid, m in pairs(all) do out[#out + 1] = m.content .. ":" .. m.drSummary.pending .. ":" .. tostring(uuid == m.uuid) end
            table.sort(out)
            return table.concat(out, " ")
            """)
        XCTAssertEqual(r, .string("a:0:true b:0:true c:0:true"), "every message once (B given twice), none pending")
        // Rounds at t=30 (A settled; B, C pending), t=90 (B, C pending), t=150 (both settled).
        XCTAssertEqual(calls - before, 3 + 2 + 2)
        XCTAssertEqual(clock.now() - start, 120, "two sleeps of the interval, on the session clock")
    }

    func testRoundsStartEveryIntervalHoweverLongARoundTakes() throws {
        // Test time starts at t=30; B's report is due at t=100, C's at t=130.
        latency.seconds = 7
        let start = clock.now()
        let r = try lua("""
            local t = {}
            for uuid, m in pairs(sms.wait_all({B, C}, {timeout = 3600, interval = 60})) do t[#t + 1] = m.content end
            table.sort(t)
            return table.concat(t, " ")
            """)
        XCTAssertEqual(r, .string("b c"))
        // Rounds of two 7 s polls start at t=30, 90 and 150 (polls end at 97 and 104: both
        // still pending), so the third ends at t=164; pausing a whole interval after each
        // round would have ended at t=185.
        XCTAssertEqual(clock.now() - start, 134)

        // sms.wait alike: polls of 25 s start at +0, +60 and +120 after the send, and the
        // report (due at +100) is seen by the third, which ends at +145.
        latency.seconds = 25
        try lua(#"D = sms.send{sender = "SMSHDEMO", content = "d", msisdns = {"0812345678"}}.uuid"#)
        let sent = clock.now()
        XCTAssertEqual(try lua("return sms.wait(D, {interval = 60}).content"), .string("d"))
        XCTAssertEqual(clock.now() - sent, 145)
    }

    func testTimeoutNamesHowManyArePending() throws {
        let r = try lua("""
            local ok, e = pcall(sms.wait_all, {A, B, C}, {timeout = 50, interval = 20})
            return {ok = ok, code = e.code, message = e.message, retryable = e.retryable}
            """)
        XCTAssertEqual(r.tableValue?["ok"], false)
        XCTAssertEqual(r.tableValue?["code"], "TIMEOUT")
        XCTAssertEqual(r.tableValue?["retryable"], true)
        XCTAssertEqual(r.tableValue?["message"],
                       .string("sms.wait_all: 2 of 3 message(s) still pending (4 recipient(s)) after 50 s"))
    }

    func testAlreadySettledMessagesCostOneCallEach() throws {
        try lua("sms.sleep(200)")
        let before = calls
        XCTAssertEqual(try lua("local n = 0 for _ in pairs(sms.wait_all({A, B, C})) do n = n + 1 end return n"), .integer(3))
        XCTAssertEqual(calls - before, 3)
        XCTAssertEqual(try lua("local n = 0 for _ in pairs(sms.wait_all({})) do n = n + 1 end return n"), .integer(0))
    }

    func testReportSumsSummariesAndDefinesDeliveryRateOverFinalRecipients() throws {
        // t=30: A blocked; B's 2 and C's 2 deliverable pending; C's 060 number invalid.
        let early = try lua("return sms.report({A, B, C})").tableValue
        XCTAssertEqual(early?["total"], .integer(6))
        XCTAssertEqual(early?["pending"], .integer(4))
        XCTAssertEqual(early?["blocked"], .integer(1))
        XCTAssertEqual(early?["invalid"], .integer(1))
        XCTAssertEqual(early?["success"], .integer(0))
        XCTAssertEqual(early?["deliveryRate"], .number(0), "0 delivered of the 2 with a final status")

        try lua("sms.sleep(100)")  // t=130: B and C delivered
        let done = try lua("return sms.report({A, B, C})").tableValue
        XCTAssertEqual(done?["total"], .integer(6))
        XCTAssertEqual(done?["pending"], .integer(0))
        XCTAssertEqual(done?["success"], .integer(4))
        XCTAssertEqual(done?["failed"], .integer(0))
        XCTAssertEqual(done?["messages"], .integer(3))
        XCTAssertEqual(done?["deliveryRate"], .number(4.0 / 6.0), "success / (total - pending)")

        let one = try lua("return sms.report(C)").tableValue
        XCTAssertEqual(one?["total"], .integer(3))
        XCTAssertEqual(one?["success"], .integer(2))
        XCTAssertEqual(one?["invalid"], .integer(1))
        XCTAssertEqual(one?["messages"], .integer(1))
        XCTAssertEqual(one?["deliveryRate"], .number(2.0 / 3.0))
    }

    func testBadArgumentsNameTheField() throws {
        let r = try lua("""
            local _, a = pcall(sms.report, {A, 5})
            local _, b = pcall(sms.wait_all, 42)
            local _, c = pcall(sms.wait_all, {A}, {interval = 0.5})
            return a.message .. "|" .. b.message .. "|" .. c.field
            """)
        XCTAssertEqual(r, .string("sms.report: 'uuids[2]' is a number, not a message uuid|sms.wait_all: expected a uuid or a list of uuids, got number|interval"))
    }
}
