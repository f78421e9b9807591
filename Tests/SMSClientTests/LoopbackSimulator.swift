import SMSClient
import SMSSimulator
import XCTest

/// A simulator served over a real loopback socket, with an `HTTPTransport` and a client
/// pointed at it. Call `stop()` in tearDown.
final class LoopbackSimulator {
    static let demoKey = "sk_test_smsh_demo"

    let clock: VirtualClock
    let engine: SimulatorEngine
    let server: SimulatorServer
    let transport: HTTPTransport

    init(config: SimulatorConfig = SimulatorConfig(), clock: SMSClock? = nil, readTimeout: Double = 30) throws {
        self.clock = VirtualClock(start: 1_780_000_000)
        engine = SimulatorEngine(config: config, clock: clock ?? self.clock)
        server = try SimulatorServer.start(engine: engine, host: "127.0.0.1", port: 0)
        transport = HTTPTransport(baseURL: server.baseURL, connectTimeout: 5, readTimeout: readTimeout)
    }

    /// A client whose retry waits run on the virtual clock (no wall time).
    func client(apiKey: String? = demoKey, retry: RetryPolicy = RetryPolicy(jitter: Jitter(seed: 3))) -> SMSClient {
        SMSClient(transport: transport, apiKey: apiKey, clock: clock, retry: retry)
    }

    /// Calls a `/_sim/` admin endpoint (not part of the client) through the same transport.
    @discardableResult
    func admin(_ method: String, _ path: String, _ body: JSONValue? = nil) throws -> JSONValue {
        let response = try transport.roundTrip(TransportRequest(method: method, path: path, body: body))
        XCTAssertEqual(response.status, 200, String(decoding: response.body, as: UTF8.self))
        return try JSONValue.parse(response.body)
    }

    func setFaults(_ script: [String], slowSeconds: Double = 2) throws {
        try admin("POST", "/_sim/faults", ["script": .array(script.map(JSONValue.string)), "slowSeconds": .double(slowSeconds)])
    }

    func stop() {
        transport.shutdown()
        server.stop()
    }
}
