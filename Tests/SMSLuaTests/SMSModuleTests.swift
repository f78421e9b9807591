import LuaHost
import SMSClient
import SMSLua
import SMSOperations
import SMSSimulator
import XCTest

/// Every binding and helper of the `sms` module against the in-process simulator.
final class SMSModuleTests: XCTestCase {
    var lua: LuaState!
    var engine: SimulatorEngine!
    var clock: VirtualClock!
    var environment: SMSEnvironment!

    func makeSession(config: SimulatorConfig = SimulatorConfig(), apiKey: String? = nil, dryRun: Bool = false) throws {
        clock = VirtualClock(start: 1_795_953_000)
        let engine = SimulatorEngine(config: config, clock: clock)
        self.engine = engine
        let clock = self.clock!
        environment = SMSEnvironment(clock: clock, dryRun: dryRun) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: apiKey ?? config.apiKey, clock: clock)
        }
        lua = try LuaState()
        try lua.install(SMSModule(environment: environment))
    }

    override func setUpWithError() throws { try makeSession() }

    /// Runs Lua and returns the first result.
    @discardableResult
    func lua(_ code: String) throws -> LuaValue { try lua.run(code, chunkName: "=test").first ?? .nil }

    /// Runs code expected to raise an sms error; returns {code, status, message, retryable, field, text}.
    func failure(_ code: String) throws -> LuaTable {
        let r = try lua("""
            local ok, e = pcall(function() \(code) end)
            assert(not ok, "expected an error, got a result")
            if type(e) ~= "table" then return {text = tostring(e)} end
            return {code = e.code, status = e.status, message = e.message, retryable = e.retryable, field = e.field, text = tostring(e)}
            """)
        return r.tableValue!
    }

    func testModuleIsGlobalAndRequirable() throws {
        XCTAssertEqual(try lua("return require('sms') == sms and type(sms.send) == 'function'"), true)
    }

    func testSendKeepsEveryFieldWithIntegersAsIntegers() throws {
        let r = try lua("""
            local r = sms.send{sender = "SMSHDEMO", content = "Hello", msisdns = {"081-234-5678", "66812345678", "0898765432"}}
            return {uuid = type(r.uuid), status = r.status, recipients = r.recipients, parts = r.parts,
                    dup = r.duplicatesRemoved, rtype = math.type(r.recipients)}
            """)
        XCTAssertEqual(r, ["uuid": "string", "status": "pending", "recipients": .integer(2), "parts": .integer(1),
                           "dup": .integer(1), "rtype": "integer"])
        XCTAssertEqual(engine.acceptedSendCount, 1)
    }

    func testPreviewCreditSendersMessagesMessageRecipientsCancel() throws {
        let r = try lua("""
            local p = sms.preview{content = string.rep("a", 161), msisdns = {"0812345678", "0812345679"}}
            local before = sms.credit().balance
            local approved = {}
            for _, s in ipairs(sms.senders().data) do approved[s.name] = s.status end
            local r = sms.send{sender = "SMSHDEMO", content = "later", msisdns = {"0812345678"}, scheduledTime = os.time() + 3600}
            local held = sms.credit().balance
            local listed = sms.messages{status = "scheduled"}
            local m = sms.message(r.uuid)
            local c = sms.cancel(r.uuid)
            local after = sms.credit().balance
            local page = sms.recipients(r.uuid, {after = 0, limit = 10})
            return {parts = p.parts, credits = p.credits, encoding = p.encoding, demo = approved.SMSHDEMO,
                    status = r.status, held = before - held, listed = listed.data[1].uuid == r.uuid,
                    mstatus = m.status, cancelled = c.status, refunded = c.refunded, back = after == before,
                    rows = #page.data, sum = type(m.drSummary)}
            """)
        XCTAssertEqual(r, ["parts": .integer(2), "credits": .integer(4), "encoding": "gsm7", "demo": "approved",
                           "status": "scheduled", "held": .number(1), "listed": true, "mstatus": "scheduled",
                           "cancelled": "cancelled", "refunded": .integer(1), "back": true, "rows": .integer(1),
                           "sum": "table"])
    }

    func testArgumentErrorsNameFunctionFieldIndexAndValueAndSendNothing() throws {
        let bad = try failure(#"sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0812345679", "12ab"}}"#)
        XCTAssertEqual(bad["code"], "INVALID_MSISDN")
        XCTAssertEqual(bad["field"], "msisdns[3]")
        XCTAssertEqual(bad["status"], nil)
        XCTAssertTrue(bad["message"]?.stringValue?.hasPrefix(#"sms.send: 'msisdns[3]' = "12ab" is not a Thai mobile number"#) == true, "\(bad)")
        let unknown = try failure(#"sms.send{sendr = "SMSHDEMO", content = "x", msisdns = {"0812345678"}}"#)
        XCTAssertEqual(unknown["code"], "INVALID_ARGUMENT")
        XCTAssertTrue(unknown["message"]?.stringValue?.contains("unknown field 'sendr' (did you mean 'sender'?)") == true, "\(unknown)")
        let both = try failure(#"sms.send{sender = "SMSHDEMO", content = "x", templateId = 1, msisdns = {"0812345678"}}"#)
        XCTAssertEqual(both["code"], "INVALID_ARGUMENT")
        let type = try failure(#"sms.send{sender = 42, content = "x", msisdns = {"0812345678"}}"#)
        XCTAssertTrue(type["message"]?.stringValue?.contains("'sender' must be a string (got number)") == true, "\(type)")
        XCTAssertEqual(engine.acceptedSendCount, 0)
        XCTAssertEqual(engine.requestCount, 0, "nothing reached the server")
    }

    func testAPIErrorsReachLuaWithTheirFields() throws {
        let sender = try failure(#"sms.send{sender = "NEWBRAND", content = "x", msisdns = {"0812345678"}}"#)
        XCTAssertEqual(sender["code"], "SENDER_NOT_APPROVED")
        XCTAssertEqual(sender["status"], .integer(400))
        XCTAssertEqual(sender["retryable"], false)
        XCTAssertEqual(sender["text"]?.stringValue?.hasPrefix("SENDER_NOT_APPROVED (400): "), true)

        let missing = try failure(#"sms.message("no-such-uuid")"#)
        XCTAssertEqual(missing["code"], "NOT_FOUND")
        XCTAssertEqual(missing["status"], .integer(404))

        let notScheduled = try failure(#"local r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}}; sms.cancel(r.uuid)"#)
        XCTAssertEqual(notScheduled["code"], "NOT_SCHEDULED")

        let twice = try failure("""
            local r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, scheduledTime = os.time() + 600}
            sms.cancel(r.uuid); sms.cancel(r.uuid)
            """)
        XCTAssertEqual(twice["code"], "ALREADY_CANCELLED")
        XCTAssertEqual(twice["status"], .integer(409))
    }

    func testInsufficientCreditsUnauthorizedForbiddenAndRateLimited() throws {
        try makeSession(config: SimulatorConfig(startingCredit: 1))
        let poor = try failure(#"sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0812345679"}}"#)
        XCTAssertEqual(poor["code"], "INSUFFICIENT_CREDITS")
        XCTAssertEqual(poor["status"], .integer(402))
        XCTAssertEqual(poor["text"]?.stringValue?.hasPrefix("INSUFFICIENT_CREDITS (402): "), true)

        try makeSession(apiKey: "sk_wrong")
        let unauthorized = try failure("sms.credit()")
        XCTAssertEqual(unauthorized["code"], "UNAUTHORIZED")
        XCTAssertEqual(unauthorized["status"], .integer(401))
        XCTAssertFalse(unauthorized["text"]?.stringValue?.contains("sk_wrong") ?? true, "the key never shows")

        try makeSession(apiKey: "sk_test_smsh_readonly")
        let forbidden = try failure(#"sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}}"#)
        XCTAssertEqual(forbidden["status"], .integer(403))

        // The client retries 429 (honouring Retry-After on the virtual clock): a short burst
        // of rate limiting is absorbed, a lasting one reaches Lua.
        try makeSession(config: SimulatorConfig(rateLimit: 1))
        XCTAssertEqual(try lua("for i = 1, 5 do sms.senders() end return true"), true)
        try makeSession(config: SimulatorConfig(faults: FaultConfig(script: Array(repeating: "429", count: 10))))
        let limited = try failure("sms.senders()")
        XCTAssertEqual(limited["code"], "RATE_LIMITED")
        XCTAssertEqual(limited["status"], .integer(429))
        XCTAssertEqual(limited["retryable"], true)
    }

    func testEachRecipientPagesOverOneHundredThousandRecipients() throws {
        try makeSession(config: SimulatorConfig(startingCredit: 1_000_000))
        let r = try lua("""
            local numbers = {}
            for i = 1, 100000 do numbers[i] = string.format("0812%06d", i) end
            local sent = sms.send{sender = "SMSHDEMO", content = "bulk", msisdns = numbers}
            local n, distinct, last = 0, {}, nil
            for row in sms.each_recipient(sent.uuid, {limit = 1000}) do
              n = n + 1; distinct[row.msisdn] = true; last = row
            end
            local d = 0 for _ in pairs(distinct) do d = d + 1 end
            return {n = n, distinct = d, fields = type(last.msisdn) == "string" and type(last.status) == "string"}
            """)
        XCTAssertEqual(r, ["n": .integer(100_000), "distinct": .integer(100_000), "fields": true])
        XCTAssertGreaterThanOrEqual(engine.requestCount, 101, "one request per page of 1,000")
    }

    func testEachRecipientWithSeveralStatusesYieldsOnlyThose() throws {
        let r = try lua("""
            local numbers = {}
            for i = 1, 500 do numbers[i] = string.format("0813%06d", i) end
            local sent = sms.send{sender = "SMSHDEMO", content = "x", msisdns = numbers}
            local m = sms.wait(sent.uuid)
            local n, ok = 0, true
            for row in sms.each_recipient(sent.uuid, {status = {"failed", "timeout"}}) do
              n = n + 1; ok = ok and (row.status == "failed" or row.status == "timeout")
            end
            return {n = n, expected = m.drSummary.failed + m.drSummary.timeout, ok = ok}
            """)
        let t = try XCTUnwrap(r.tableValue)
        XCTAssertEqual(t["n"], t["expected"])
        XCTAssertNotEqual(t["n"], .integer(0), "the demo outcomes fail some of 500")
        XCTAssertEqual(t["ok"], true)
    }

    func testWaitUsesVirtualTimeAndTimesOut() throws {
        let start = clock.now()
        let r = try lua("""
            local sent = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0899999999", "0601234567"}}
            local m = sms.wait(sent.uuid, {timeout = 3600, interval = 10})
            return {pending = m.drSummary.pending, blocked = m.drSummary.blocked, invalid = m.drSummary.invalid}
            """)
        XCTAssertEqual(r, ["pending": .integer(0), "blocked": .integer(1), "invalid": .integer(1)])
        XCTAssertGreaterThan(clock.now(), start, "waiting moved virtual time")
        XCTAssertLessThanOrEqual(clock.now() - start, 3600)

        let timeout = try failure("""
            local sent = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, scheduledTime = os.time() + 86400}
            sms.wait(sent.uuid, {timeout = 60, interval = 15})
            """)
        XCTAssertEqual(timeout["code"], "TIMEOUT")
        XCTAssertEqual(timeout["retryable"], true)
    }

    func testRetryResendsOnlyRetryWorthyRecipientsAndNeverInvalidOrBlocked() throws {
        try makeSession(config: SimulatorConfig(outcomes: ["failed": 1.0]))
        let r = try lua("""
            local sent = sms.send{sender = "SMSHDEMO", content = "retry me", msisdns = {"0812345678", "0812345679", "0899999999", "0601234567"}}
            sms.wait(sent.uuid)
            local again = sms.retry(sent.uuid)
            local numbers = {}
            for row in sms.each_recipient(again.uuid) do numbers[#numbers + 1] = row.msisdn end
            table.sort(numbers)
            local m = sms.message(again.uuid)
            return {recipients = again.recipients, numbers = table.concat(numbers, ","), content = m.content, sender = m.sender}
            """)
        XCTAssertEqual(r, ["recipients": .integer(2), "numbers": "66812345678,66812345679", "content": "retry me", "sender": "SMSHDEMO"])
        let refused = try failure(#"sms.retry("x", {statuses = {"failed", "blocked"}})"#)
        XCTAssertTrue(refused["message"]?.stringValue?.contains("never retried") == true, "\(refused)")
    }

    func testRetryReturnsNilWhenAllWereDelivered() throws {
        try makeSession(config: SimulatorConfig(outcomes: ["success": 1.0]))
        let sends = engine.acceptedSendCount
        XCTAssertEqual(try lua("""
            local sent = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0812345679"}}
            sms.wait(sent.uuid)
            return sms.retry(sent.uuid) == nil
            """), true)
        XCTAssertEqual(engine.acceptedSendCount, sends + 1, "only the original send")
    }

    func testNormalizePartsNowSleep() throws {
        let r = try lua("""
            local n = sms.normalize("081-234-5678")
            local bad, why = sms.normalize("12ab")
            local p1, e1, c1 = sms.parts("สวัสดี")
            local p2, e2, c2 = sms.parts(string.rep("a", 161))
            local t0 = sms.now(); sms.sleep(90); local t1 = sms.now()
            return {n = n, bad = bad == nil, why = type(why), p1 = p1, e1 = e1, c1 = c1, p2 = p2, e2 = e2, slept = t1 - t0}
            """)
        XCTAssertEqual(r, ["n": "66812345678", "bad": true, "why": "string", "p1": .integer(1), "e1": "ucs2", "c1": .integer(6),
                           "p2": .integer(2), "e2": "gsm7", "slept": .number(90)])
    }

    func testDryRunTurnsSendsIntoPreviewsAndRecordsThePlan() throws {
        try makeSession(dryRun: true)
        let r = try lua("""
            local before = sms.credit().balance
            local r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0812345679"}}
            return {dry = r.dryRun, uuid = r.uuid == nil, credits = r.credits, same = sms.credit().balance == before}
            """)
        XCTAssertEqual(r, ["dry": true, "uuid": true, "credits": .integer(2), "same": true])
        XCTAssertEqual(engine.acceptedSendCount, 0)
        let plan = try XCTUnwrap(environment.dryRunPlan)
        XCTAssertEqual(plan.entries.count, 1)
        XCTAssertEqual(plan.totalCredits, 2)
        XCTAssertTrue(plan.render().contains("sender SMSHDEMO: 2 recipient(s)"), plan.render())
    }

    func testLargeInteractiveSendsAskFirstAndSendNothingWhenRefused() throws {
        var asked: [SendEstimate] = []
        environment.confirmLargeSend = { asked.append($0); return false }
        environment.confirmThreshold = SendEstimate(recipients: 5, parts: 0, credits: 1_000)
        let refused = try failure("""
            local numbers = {}
            for i = 1, 6 do numbers[i] = string.format("08123456%02d", i) end
            sms.send{sender = "SMSHDEMO", content = "x", msisdns = numbers}
            """)
        XCTAssertEqual(refused["code"], "CANCELLED")
        XCTAssertEqual(asked, [SendEstimate(recipients: 6, parts: 1, credits: 6)])
        XCTAssertEqual(engine.acceptedSendCount, 0)
        // Small sends do not ask.
        XCTAssertEqual(try lua(#"return sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}}.status"#), "pending")
        XCTAssertEqual(asked.count, 1)
    }

    func testBudgetRefusesTheSendThatWouldGoOverAndKeepsCount() throws {
        let r = try lua("""
            sms.budget(3)
            sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0812345679"}}
            local ok, e = pcall(sms.send, {sender = "SMSHDEMO", content = "x", msisdns = {"0812345670", "0812345671"}})
            local remaining, spent = sms.budget()
            return {code = e.code, remaining = remaining, spent = spent}
            """)
        XCTAssertEqual(r, ["code": "BUDGET_EXCEEDED", "remaining": .number(1), "spent": .number(2)])
        XCTAssertEqual(engine.acceptedSendCount, 1)
    }

    func testRetryOverTheBudgetNamesSmsRetry() throws {
        try makeSession(config: SimulatorConfig(outcomes: ["failed": 1.0]))
        let e = try failure("""
            local sent = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678", "0812345679"}}
            sms.wait(sent.uuid)
            sms.budget(1)
            sms.retry(sent.uuid)
            """)
        XCTAssertEqual(e["code"], "BUDGET_EXCEEDED")
        XCTAssertTrue(e["message"]?.stringValue?.hasPrefix("sms.retry: this send needs 2 credits") == true, "\(e)")
    }

    func testWaitRefusesIntervalsUnderASecond() throws {
        for interval in ["0.5", "0", "-1", "1/0", "0/0"] {
            let e = try failure(#"sms.wait("u", {interval = \#(interval)})"#)
            XCTAssertEqual(e["field"], "interval", interval)
            XCTAssertEqual(e["message"], "sms.wait: 'interval' must be at least 1 second", interval)
        }
        let t = try failure(#"sms.wait("u", {timeout = -1})"#)
        XCTAssertEqual(t["field"], "timeout")
    }

    func testEveryFunctionHasADocString() throws {
        let r = try lua("""
            local names = {}
            for name, f in pairs(sms) do
              if type(f) == "function" then names[#names + 1] = name end
            end
            table.sort(names)
            return table.concat(names, ",")
            """)
        XCTAssertEqual(r, "budget,campaign,cancel,credit,csv,each_recipient,join,map,message,messages,normalize,now,numbers,parts,preview,recipients,report,retry,send,senders,sleep,spawn,wait,wait_all")
        let stack = lua.stack
        for name in r.stringValue!.split(separator: ",") {
            try lua.load("return sms.\(name)", chunkName: "=d")
            try stack.call(nargs: 0, nresults: 1)
            let doc = stack.doc(forValueAt: -1)
            stack.pop()
            XCTAssertTrue(doc?.hasPrefix("sms.\(name)") == true, "sms.\(name) doc: \(doc ?? "none")")
        }
    }

    /// Found by the binding fuzz (Tests/Fuzz/bindings.lua): the iterator returned by
    /// `each_recipient` validates the uuid on its first call, and its errors did not name
    /// the function (`'uuid' is empty` instead of `sms.each_recipient: 'uuid' is empty`).
    func testEachRecipientIteratorErrorsNameTheFunction() throws {
        let e = try failure("for r in sms.each_recipient('') do end")
        XCTAssertEqual(e["code"], "INVALID_ARGUMENT")
        XCTAssertEqual(e["field"], "uuid")
        XCTAssertTrue(e["message"]?.stringValue?.hasPrefix("sms.each_recipient: ") == true, "\(e)")
    }
}
