import LuaHost
import SMSClient
import SMSLua
import SMSSimulator
import XCTest

/// `sms.each_recipient` over real HTTP to a simulator on loopback, where the next page is
/// fetched while Lua reads the current one.
final class RecipientCursorTests: XCTestCase {
    var server: SimulatorServer!
    var transport: HTTPTransport!
    var lua: LuaState!

    override func setUpWithError() throws {
        let config = SimulatorConfig()
        let clock = SystemClock()
        server = try SimulatorServer.start(engine: SimulatorEngine(config: config, clock: clock), host: "127.0.0.1", port: 0)
        let transport = HTTPTransport(baseURL: server.baseURL)
        self.transport = transport
        let environment = SMSEnvironment(clock: clock) { SMSClient(transport: transport, apiKey: config.apiKey, clock: clock) }
        lua = try LuaState()
        try lua.install(SMSModule(environment: environment))
    }

    override func tearDown() {
        lua = nil
        transport.shutdown()
        server.stop()
    }

    func testEveryRecipientOnceInOrderAcrossPrefetchedPages() throws {
        XCTAssertTrue(transport.allowsConcurrentRequests)
        let r = try lua.run("""
            local numbers = {}
            for i = 1, 2500 do numbers[i] = string.format("08%08d", 10000000 + i) end
            local sent = sms.send{sender = "SMSHDEMO", content = "paging", msisdns = numbers}
            local seen, count, ordered, last = {}, 0, true, nil
            for r in sms.each_recipient(sent.uuid, {limit = 100}) do
              count = count + 1
              if seen[r.msisdn] then error("twice: " .. r.msisdn) end
              seen[r.msisdn] = true
              if last and r.msisdn <= last then ordered = false end
              last = r.msisdn
            end
            return count, ordered, last
            """)
        XCTAssertEqual(r, [.integer(2500), .boolean(true), .string("66810002500")])
    }

    func testTheIteratorStaysDoneAndCountsEveryPageBoundary() throws {
        let r = try lua.run("""
            local numbers = {}
            for i = 1, 250 do numbers[i] = string.format("08%08d", 30000000 + i) end
            local sent = sms.send{sender = "SMSHDEMO", content = "boundaries", msisdns = numbers}
            local counts = {}
            for _, limit in ipairs{1, 49, 50, 249, 250, 1000} do
              local n = 0
              for r in sms.each_recipient(sent.uuid, {limit = limit}) do n = n + 1 end
              counts[#counts + 1] = n
            end
            local next_row = sms.each_recipient(sent.uuid, {limit = 100})
            local n = 0
            while next_row() do n = n + 1 end
            return table.concat(counts, ","), n, next_row(), next_row()
            """)
        XCTAssertEqual(r, [.string("250,250,250,250,250,250"), .integer(250), .nil, .nil])
    }

    func testBreakingOutEarlyLeavesTheStateUsable() throws {
        let r = try lua.run("""
            local numbers = {}
            for i = 1, 1000 do numbers[i] = string.format("09%08d", 20000000 + i) end
            local sent = sms.send{sender = "SMSHDEMO", content = "early", msisdns = numbers}
            for round = 1, 20 do
              local n = 0
              for r in sms.each_recipient(sent.uuid, {limit = 50}) do
                n = n + 1
                if n == 75 then break end
              end
              assert(n == 75)
              collectgarbage()
            end
            local total = 0
            for _ in sms.each_recipient(sent.uuid, {limit = 1000}) do total = total + 1 end
            return total
            """)
        XCTAssertEqual(r, [.integer(1000)])
    }

    func testUnknownMessageRaisesTheAPIErrorFromTheIterator() throws {
        let r = try lua.run("""
            local ok, e = pcall(function() for r in sms.each_recipient("no-such-uuid") do end end)
            return ok, e.code, e.status
            """)
        XCTAssertEqual(r, [.boolean(false), .string("NOT_FOUND"), .integer(404)])
    }
}
