import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SMSClient
import XCTest

@testable import SMSSimulator

/// The simulator as a remote provider over a real loopback socket: latency waited out
/// concurrently, a rate limit answering 429 + Retry-After, and the stats that show both.
final class ServerLatencyTests: XCTestCase {
    private var engine: SimulatorEngine!
    private var server: SimulatorServer!
    private var client: HTTPClient!

    /// A client allowed 32 connections to the server (AsyncHTTPClient's default is 8).
    private func start(_ config: SimulatorConfig) throws {
        engine = SimulatorEngine(config: config, clock: VirtualClock(start: SimulatorHarness.start))
        server = try SimulatorServer.start(engine: engine)
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 32)
        client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    override func tearDown() {
        try? client?.syncShutdown()
        server?.stop()
        super.tearDown()
    }

    private func request(_ method: HTTPMethod, _ target: String, body: JSONValue? = nil, key: String? = SimulatorHarness.demoKey)
        throws -> HTTPClient.Request
    {
        var headers = HTTPHeaders()
        if let key { headers.add(name: "X-Api-Key", value: key) }
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        return try HTTPClient.Request(
            url: server.baseURL + target, method: method, headers: headers, body: body.map { .bytes($0.serialized()) })
    }

    private func call(_ method: HTTPMethod, _ target: String, body: JSONValue? = nil, key: String? = SimulatorHarness.demoKey)
        throws -> (status: Int, headers: HTTPHeaders, json: JSONValue?, seconds: Double)
    {
        let start = Date()
        let response = try client.execute(request: request(method, target, body: body, key: key), deadline: .now() + .seconds(60)).wait()
        let bytes = response.body.map { Array($0.readableBytesView) } ?? []
        return (Int(response.status.code), response.headers, try? JSONValue.parse(bytes), Date().timeIntervalSince(start))
    }

    private func withLatency(_ spec: String, rateLimit: Int? = nil) throws -> SimulatorConfig {
        var config = SimulatorConfig(startingCredit: 1_000_000, rateLimit: rateLimit)
        config.latency = try Latency.parse(spec: spec)
        return config
    }

    func testThirtyTwoRequestsInFlightTakeAboutTheLatencyNotThirtyTwoTimesIt() throws {
        try start(withLatency("200"))
        // A first answer alone takes at least the latency.
        let single = try call(.GET, "/api/v2/credit")
        XCTAssertEqual(single.status, 200)
        XCTAssertGreaterThanOrEqual(single.seconds, 0.2)

        let start = Date()
        let futures = try (0..<32).map { i in
            let body: JSONValue = ["sender": "SMSHDEMO", "content": .string("text \(i)"), "msisdns": ["0812345678"]]
            return client.execute(request: try request(.POST, "/api/v2/sms/send", body: body), deadline: .now() + .seconds(60))
        }
        let statuses = try futures.map { Int(try $0.wait().status.code) }
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(statuses, Array(repeating: 200, count: 32))
        XCTAssertGreaterThanOrEqual(seconds, 0.2)
        XCTAssertLessThan(seconds, 8 * 0.2, "32 sends at 200 ms each must overlap (one at a time: 6.4 s)")
        XCTAssertEqual(engine.acceptedSendCount, 32)

        let stats = try call(.GET, "/_sim/stats", key: nil)
        XCTAssertEqual(stats.status, 200)
        XCTAssertLessThan(stats.seconds, 0.2, "admin endpoints are not delayed")
        let maxInFlight = try XCTUnwrap(stats.json?["maxInFlight"]?.intValue)
        XCTAssertGreaterThanOrEqual(maxInFlight, 16, "\(stats.json!)")
        XCTAssertLessThanOrEqual(maxInFlight, 32)
        XCTAssertEqual(stats.json?["requests"], 33)
        XCTAssertEqual(stats.json?["throttled"], 0)
    }

    func testRateLimitAnswers429WithRetryAfterAndCountsThrottled() throws {
        try start(withLatency("50", rateLimit: 5))
        let futures = try (0..<12).map { _ in
            client.execute(request: try request(.GET, "/api/v2/credit"), deadline: .now() + .seconds(60))
        }
        let responses = try futures.map { try $0.wait() }
        let limited = responses.filter { $0.status.code == 429 }
        XCTAssertEqual(responses.filter { $0.status.code == 200 }.count, 5, "a burst of 5 (the virtual clock stands still)")
        XCTAssertEqual(limited.count, 7)
        for response in limited {
            XCTAssertEqual(response.headers["retry-after"].first, "1")
            let json = try JSONValue.parse(response.body.map { Array($0.readableBytesView) } ?? [])
            XCTAssertEqual(json["code"], "RATE_LIMITED")
        }
        let stats = try call(.GET, "/_sim/stats", key: nil)
        XCTAssertEqual(stats.json?["throttled"], 7)
        XCTAssertEqual(stats.json?["requests"], 12)
        // Another key has its own bucket.
        XCTAssertEqual(try call(.GET, "/api/v2/credit", key: "sk_test_smsh_readonly").status, 200)
    }

    func testFaultsEndpointChangesLatencyWhileRunning() throws {
        try start(SimulatorConfig())
        XCTAssertEqual(try call(.GET, "/_sim/faults", key: nil).json?["latencyMs"], .double(0))
        let set = try call(.POST, "/_sim/faults", body: ["latencyMs": 1000], key: nil)
        XCTAssertEqual(set.status, 200)
        XCTAssertEqual(set.json?["latencyMs"], .double(1000))
        let slow = try call(.GET, "/api/v2/credit")
        XCTAssertEqual(slow.status, 200)
        XCTAssertGreaterThanOrEqual(slow.seconds, 1.0)

        XCTAssertEqual(try call(.POST, "/_sim/faults", body: ["latencyMs": 0], key: nil).status, 200)
        let fast = try call(.GET, "/api/v2/credit")
        XCTAssertEqual(fast.status, 200)
        XCTAssertLessThan(fast.seconds, 0.9, "latency off again")

        let bad = try call(.POST, "/_sim/faults", body: ["latencyMs": 10, "jitterMs": 50], key: nil)
        XCTAssertEqual(bad.status, 400)
        XCTAssertEqual(bad.json?["code"], "INVALID_PARAMETER")
    }
}
