import LuaHost
import SMSClient
import SMSLua
import SMSOperations
import SMSSimulator
import Synchronization
import XCTest
#if canImport(Glibc)
import Glibc
#endif

/// A network transport that takes `delay` seconds per request (a provider far away) and
/// records how many requests were in flight at once.
final class DistantTransport: Transport, @unchecked Sendable {
    let inner: Transport
    let delay: Double
    private let state = Mutex((now: 0, max: 0, total: 0))
    init(_ inner: Transport, delay: Double) {
        self.inner = inner
        self.delay = delay
    }
    var allowsConcurrentRequests: Bool { true }
    var maxInFlight: Int { state.withLock { $0.max } }
    var total: Int { state.withLock { $0.total } }
    func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        state.withLock {
            $0.now += 1
            $0.total += 1
            $0.max = max($0.max, $0.now)
        }
        defer { state.withLock { $0.now -= 1 } }
        usleep(UInt32(delay * 1_000_000))
        return try inner.roundTrip(request)
    }
}

/// `sms.spawn`, `sms.join`, `sms.map`: tasks over real HTTP to the simulator on loopback
/// (requests overlap) and in the in-process sandbox (requests stay in order, virtual time).
final class TaskBindingsTests: XCTestCase {
    var server: SimulatorServer!
    var http: HTTPTransport!
    var distant: DistantTransport!
    var lua: LuaState!
    var environment: SMSEnvironment!

    override func setUpWithError() throws {
        let config = SimulatorConfig()
        let clock = SystemClock()
        server = try SimulatorServer.start(engine: SimulatorEngine(config: config, clock: clock), host: "127.0.0.1", port: 0)
        http = HTTPTransport(baseURL: server.baseURL)
        let distant = DistantTransport(http, delay: 0.05)
        self.distant = distant
        let environment = SMSEnvironment(clock: clock) { SMSClient(transport: distant, apiKey: config.apiKey, clock: clock) }
        self.environment = environment
        lua = try LuaState()
        try lua.install(SMSModule(environment: environment))
    }

    override func tearDown() {
        lua = nil
        environment = nil
        http.shutdown()
        server.stop()
    }

    /// A sandbox session: in-process simulator on a virtual clock.
    func sandbox() throws -> (LuaState, VirtualClock) {
        let config = SimulatorConfig()
        let clock = VirtualClock(start: 1_800_000_000)
        let engine = SimulatorEngine(config: config, clock: clock)
        let env = SMSEnvironment(clock: clock) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: config.apiKey, clock: clock)
        }
        let lua = try LuaState()
        try lua.install(SMSModule(environment: env))
        objc_keep.append(env)
        return (lua, clock)
    }
    private var objc_keep: [AnyObject] = []

    func testJoinReturnsEachTasksResultsAndAnErrorStopsOnlyItsTask() throws {
        let r = try lua.run("""
            local good = sms.spawn(function(x) return sms.credit().balance, x end, "arg")
            local bad = sms.spawn(function() return sms.message("00000000-0000-0000-0000-000000000000") end)
            local ok1, balance, x = sms.join(good)
            local ok2, err = sms.join(bad)
            return ok1, balance, x, ok2, err.code
            """)
        XCTAssertEqual(r, [.boolean(true), .number(10_000), .string("arg"), .boolean(false), .string("NOT_FOUND")])
    }

    func testManyTasksOverlapTheirRequests() throws {
        let started = ContinuousClock.now
        let r = try lua.run("""
            local tasks = {}
            for i = 1, 32 do tasks[i] = sms.spawn(function() return sms.credit().balance end) end
            local all = sms.join(tasks)
            local n = 0
            for _, res in ipairs(all) do if res.ok and res[1] == 10000 then n = n + 1 end end
            return n
            """)
        let elapsed = ContinuousClock.now - started
        XCTAssertEqual(r, [.integer(32)])
        XCTAssertGreaterThanOrEqual(distant.maxInFlight, 16, "requests should overlap")
        // One at a time would take 32 x 50 ms = 1.6 s.
        XCTAssertLessThan(elapsed, .milliseconds(1_200))
    }

    func testEachRecipientsPagesSuspendOnlyTheirTask() throws {
        // Blocking pages would run each task's whole loop before the next task starts it.
        let r = try lua.run("""
            local uuids = {}
            for i = 1, 3 do
              local numbers = {}
              for n = 1, 25 do numbers[n] = string.format("08%08d", i * 1000 + n) end
              uuids[i] = sms.send{sender = "SMSHDEMO", content = "page " .. i, msisdns = numbers}.uuid
            end
            local inside, most = 0, 0
            local counts = sms.map(uuids, function(u)
              inside = inside + 1
              local n = 0
              for row in sms.each_recipient(u, {limit = 10, status = {"success", "pending", "failed", "expired"}}) do
                n = n + 1
                most = math.max(most, inside)
              end
              inside = inside - 1
              return n
            end, {concurrency = 3})
            return counts[1], counts[2], counts[3], most
            """)
        XCTAssertEqual(Array(r.prefix(3)), [.integer(25), .integer(25), .integer(25)])
        XCTAssertEqual(r.last, .integer(3), "all three tasks were inside their loops at once")
    }

    func testMapKeepsListOrderHonoursConcurrencyAndReportsFailedItems() throws {
        let r = try lua.run("""
            local sent = {}
            for i = 1, 12 do
              sent[i] = sms.send{sender = "SMSHDEMO", content = "m" .. i, msisdns = {string.format("08%08d", 10000000 + i)}}.uuid
            end
            sent[5] = "00000000-0000-0000-0000-000000000000"
            local out = sms.map(sent, function(u, i) return sms.message(u).content end, {concurrency = 4})
            return out[1], out[12], out[5].ok, out[5].err.code, #out
            """)
        XCTAssertEqual(r, [.string("m1"), .string("m12"), .boolean(false), .string("NOT_FOUND"), .integer(12)])
        XCTAssertLessThanOrEqual(distant.maxInFlight, 4)
        XCTAssertGreaterThanOrEqual(distant.maxInFlight, 2)
    }

    func testSuspendsInsidePcallIteratorsAndUserCoroutines() throws {
        let r = try lua.run("""
            local function each_balance(n)
              local i = 0
              return function() i = i + 1; if i <= n then return sms.credit().balance end end
            end
            local t = sms.spawn(function()
              local ok, c = pcall(sms.credit)
              local sum = 0
              for b in each_balance(3) do sum = sum + b end
              local gen = coroutine.wrap(function()
                coroutine.yield(sms.credit().balance)
                coroutine.yield("plain")
              end)
              local co = coroutine.create(function() return sms.senders().data[1].name end)
              local _, sender = coroutine.resume(co)
              return ok and c.balance, sum, gen(), gen(), sender
            end)
            return sms.join(t)
            """)
        XCTAssertEqual(r, [.boolean(true), .number(10_000), .number(30_000), .number(10_000), .string("plain"), .string("SMSHDEMO")])
    }

    func testWhereLuaCannotYieldTheCallBlocksInstead() throws {
        let r = try lua.run("""
            local t = sms.spawn(function()
              local list = {3, 1, 2}
              table.sort(list, function(a, b) sms.credit(); return a < b end)
              local s = string.gsub("ab", "%w", function(c) return c .. math.tointeger(sms.credit().balance) end)
              local m = setmetatable({}, {__index = function(_, k) return sms.credit().currency end})
              return table.concat(list, ","), s, m.x
            end)
            return sms.join(t)
            """)
        XCTAssertEqual(r, [.boolean(true), .string("1,2,3"), .string("a10000b10000"), .string("credits")])
    }

    func testAScriptsTasksRunWhileTheMainChunkSleepsAndAJoinTwiceFails() throws {
        let r = try lua.run("""
            local done = false
            local t = sms.spawn(function() sms.credit(); done = true end)
            sms.sleep(0.3)
            local ok, err = pcall(function() sms.join(t); sms.join(t) end)
            return done, ok, tostring(err):match("already joined") ~= nil
            """)
        XCTAssertEqual(r, [.boolean(true), .boolean(false), .boolean(true)])
    }

    func testSandboxTasksRunInOrderOnVirtualTime() throws {
        let (lua, clock) = try sandbox()
        let start = clock.now()
        let r = try lua.run("""
            local order = {}
            local a = sms.spawn(function() sms.sleep(10); order[#order + 1] = "a" end)
            local b = sms.spawn(function() sms.sleep(5); order[#order + 1] = "b" end)
            local c = sms.spawn(function() sms.credit(); order[#order + 1] = "c" end)
            sms.join(a, b, c)
            return table.concat(order, ",")
            """)
        XCTAssertEqual(r, [.string("c,b,a")])
        XCTAssertEqual(clock.now() - start, 10, accuracy: 0.001, "sleeps overlap: 10 s, not 15")
    }

    func testMapRefusesAConcurrencyAboveTheRunsCap() throws {
        environment.concurrency = 16
        XCTAssertThrowsError(try lua.run("return sms.map({1}, function() end, {concurrency = 17})")) { error in
            XCTAssertTrue(String(describing: error).contains("above the run's cap of 16"), "\(error)")
        }
    }

    func testCampaignSendsConcurrentlyInRowOrder() throws {
        let r = try lua.run("""
            local rows = {}
            for i = 1, 24 do rows[i] = {phone = string.format("08%08d", 20000000 + i), name = "n" .. i} end
            local c = sms.campaign{key = "conc", sender = "SMSHDEMO", rows = rows, content = "Hi {{name}}", concurrency = 8}
            local first = sms.message(c.uuids[1]).content
            local last = sms.message(c.uuids[24]).content
            return c.sends, #c.uuids, first, last
            """)
        XCTAssertEqual(r, [.integer(24), .integer(24), .string("Hi n1"), .string("Hi n24")])
        XCTAssertGreaterThanOrEqual(distant.maxInFlight, 4)
        XCTAssertLessThanOrEqual(distant.maxInFlight, 8)
    }
}
