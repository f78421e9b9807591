import Foundation
import SMSClient
import XCTest

@testable import SMSSimulator

/// `--latency`: every /api/ answer waits a (seeded) delay, in process on the engine's clock.
final class LatencyTests: XCTestCase {
    /// Virtual seconds `body` took (the clock sits near 1.78e9, so differences are exact to ~1e-6).
    private func elapsed(_ sim: SimulatorHarness, _ body: () throws -> Void) rethrows -> Double {
        let before = sim.clock.now()
        try body()
        return sim.clock.now() - before
    }

    func testParseSpec() throws {
        XCTAssertEqual(try Latency.parse(spec: "50"), Latency(milliseconds: 50))
        XCTAssertEqual(try Latency.parse(spec: "50:10"), Latency(milliseconds: 50, jitterMilliseconds: 10))
        XCTAssertEqual(try Latency.parse(spec: " 200 : 20 "), Latency(milliseconds: 200, jitterMilliseconds: 20))
        XCTAssertEqual(try Latency.parse(spec: "0.5"), Latency(milliseconds: 0.5))
        XCTAssertEqual(try Latency.parse(spec: "0"), .none)
        for bad in ["", "fast", "50:", ":10", "-1", "10:20", "5e9", "nan", "50:-1", "50:x"] {
            XCTAssertThrowsError(try Latency.parse(spec: bad), bad) { error in
                XCTAssertTrue("\(error)".hasPrefix("invalid latency: "), "\(error)")
            }
        }
        XCTAssertThrowsError(try Latency.parse(spec: "10:20")) { error in
            XCTAssertTrue("\(error)".contains("jitter 20.0 ms is larger than the latency 10.0 ms"), "\(error)")
        }
    }

    func testTheSandboxIsInstantUnlessAsked() throws {
        XCTAssertEqual(SimulatorConfig().latency, .none)
        let sim = SimulatorHarness()
        let spent = try elapsed(sim) {
            XCTAssertEqual(try sim.get("/api/v2/credit").status, 200)
            _ = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"]])
        }
        XCTAssertEqual(spent, 0)
    }

    func testEveryAPIAnswerWaitsTheLatencyButAdminEndpointsDoNot() throws {
        var config = SimulatorConfig()
        config.latency = Latency(milliseconds: 200)
        let sim = SimulatorHarness(config)
        XCTAssertEqual(try elapsed(sim) { XCTAssertEqual(try sim.get("/api/v2/credit").status, 200) }, 0.2, accuracy: 1e-6)
        XCTAssertEqual(try elapsed(sim) { XCTAssertEqual(try sim.get("/api/v2/credit", key: nil).status, 401) }, 0.2, accuracy: 1e-6)
        XCTAssertEqual(try elapsed(sim) { XCTAssertEqual(try sim.get("/api/v2/nothing").status, 404) }, 0.2, accuracy: 1e-6)
        XCTAssertEqual(try elapsed(sim) { XCTAssertEqual(try sim.get("/_sim/stats", key: nil).status, 200) }, 0)
        XCTAssertEqual(try elapsed(sim) { XCTAssertEqual(try sim.get("/elsewhere").status, 404) }, 0)
    }

    func testJitterIsUniformWithinItsBoundsAndSeeded() throws {
        func delays(seed: UInt64) throws -> [Double] {
            var config = SimulatorConfig(seed: seed)
            config.latency = Latency(milliseconds: 100, jitterMilliseconds: 40)
            let sim = SimulatorHarness(config)
            return try (0..<400).map { _ in try elapsed(sim) { _ = try sim.get("/api/v2/senders") } }
        }
        let a = try delays(seed: 3)
        XCTAssertEqual(a, try delays(seed: 3), "the same seed gives the same delays")
        XCTAssertNotEqual(a, try delays(seed: 4))
        XCTAssertTrue(a.allSatisfy { $0 >= 0.06 - 1e-6 && $0 <= 0.14 + 1e-6 }, "\(a.min()!)...\(a.max()!)")
        XCTAssertEqual(a.reduce(0, +) / Double(a.count), 0.1, accuracy: 0.005)
        XCTAssertLessThan(a.min()!, 0.065, "the low end is reached")
        XCTAssertGreaterThan(a.max()!, 0.135, "the high end is reached")
        XCTAssertGreaterThan(Set(a).count, 300)
    }

    func testASlowFaultAddsToTheLatencyAndADropWaitsItFirst() throws {
        var config = SimulatorConfig(faults: FaultConfig(slowSeconds: 2, script: ["slow", "drop-before"]))
        config.latency = Latency(milliseconds: 100)
        let sim = SimulatorHarness(config)
        XCTAssertEqual(try elapsed(sim) { XCTAssertEqual(try sim.get("/api/v2/credit").status, 200) }, 2.1, accuracy: 1e-6)
        let before = sim.clock.now()
        XCTAssertThrowsError(try sim.get("/api/v2/credit")) { error in
            XCTAssertEqual(error as? TransportFailure, .connectionLost("the simulator closed the connection without a response"))
        }
        XCTAssertEqual(sim.clock.now() - before, 0.1, accuracy: 1e-6)
    }

    func testFaultsEndpointChangesLatencyAtRunTime() throws {
        var config = SimulatorConfig()
        config.latency = Latency(milliseconds: 50)
        let sim = SimulatorHarness(config)
        let faults = try sim.get("/_sim/faults", key: nil)
        XCTAssertEqual(faults["latencyMs"], .double(50))
        XCTAssertEqual(faults["jitterMs"], .double(0))

        let set = try sim.post("/_sim/faults", ["latencyMs": 300, "jitterMs": 100], key: nil)
        XCTAssertEqual(set.status, 200)
        XCTAssertEqual(set["latencyMs"], .double(300))
        XCTAssertEqual(set["jitterMs"], .double(100))
        let jittered = try elapsed(sim) { _ = try sim.get("/api/v2/credit") }
        XCTAssertTrue((0.2...0.4).contains(jittered), "\(jittered)")

        // Fault keys alone keep the latency; a latency without a jitter means none.
        XCTAssertEqual(try sim.post("/_sim/faults", ["latencyMs": 300], key: nil).status, 200)
        XCTAssertEqual(try sim.post("/_sim/faults", ["script": ["503"]], key: nil).status, 200)
        XCTAssertEqual(try sim.get("/_sim/faults", key: nil)["latencyMs"], .double(300))
        XCTAssertEqual(try elapsed(sim) { XCTAssertEqual(try sim.get("/api/v2/credit").status, 503) }, 0.3, accuracy: 1e-6)

        XCTAssertEqual(try sim.post("/_sim/faults", ["latencyMs": 0], key: nil).status, 200)
        XCTAssertEqual(try elapsed(sim) { _ = try sim.get("/api/v2/credit") }, 0)

        for (body, field) in [(["latencyMs": 10, "jitterMs": 20], "jitter"), (["latencyMs": "slow"], "latencyMs"),
                              (["latencyMs": -5], "latency"), (["jitterMs": 1], "jitter")] as [(JSONValue, String)] {
            let bad = try sim.post("/_sim/faults", body, key: nil)
            XCTAssertEqual(bad.status, 400, "\(body)")
            XCTAssertEqual(bad.code, "INVALID_PARAMETER")
            XCTAssertTrue(bad["error"]?.stringValue?.contains(field) == true, "\(bad.json)")
        }
        XCTAssertEqual(try sim.get("/_sim/faults", key: nil)["latencyMs"], .double(0), "a refused body changes nothing")

        XCTAssertEqual(try sim.post("/_sim/reset", nil, key: nil).status, 200)
        XCTAssertEqual(try elapsed(sim) { _ = try sim.get("/api/v2/credit") }, 0.05, accuracy: 1e-6, "reset: the configured latency")
    }

    /// On a real clock the delay is a sleep outside the engine's lock: requests on 32 threads
    /// wait it out together.
    func testDelaysAreWaitedOutConcurrentlyInProcess() throws {
        var config = SimulatorConfig()
        config.latency = Latency(milliseconds: 200)
        let engine = SimulatorEngine(config: config, clock: SystemClock())
        let transport = SimulatorTransport(engine: engine)
        let request = TransportRequest(method: "GET", path: "/api/v2/credit", headers: ["x-api-key": SimulatorHarness.demoKey])
        let statuses = LockedStatuses()
        let group = DispatchGroup()
        let start = Date()
        for _ in 0..<32 {
            group.enter()
            Thread.detachNewThread {
                statuses.append((try? transport.roundTrip(request))?.status ?? -1)
                group.leave()
            }
        }
        XCTAssertEqual(group.wait(timeout: .now() + 30), .success)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(statuses.values, Array(repeating: 200, count: 32))
        XCTAssertGreaterThanOrEqual(seconds, 0.2)
        XCTAssertLessThan(seconds, 8 * 0.2, "32 requests at 200 ms each, waited out together")
        XCTAssertGreaterThanOrEqual(engine.maxInFlight, 16)
        XCTAssertLessThanOrEqual(engine.maxInFlight, 32)
    }

    func testMaxInFlightIsOneForOneAtATimeAndResets() throws {
        let sim = SimulatorHarness()
        for _ in 0..<5 { _ = try sim.get("/api/v2/credit") }
        _ = try sim.get("/_sim/stats", key: nil)
        XCTAssertEqual(try sim.get("/_sim/stats", key: nil)["maxInFlight"], 1)
        XCTAssertEqual(try sim.post("/_sim/reset", nil, key: nil).status, 200)
        XCTAssertEqual(try sim.get("/_sim/stats", key: nil)["maxInFlight"], 0)
    }
}

/// Statuses collected from several threads.
final class LockedStatuses: @unchecked Sendable {
    private let lock = NSLock()
    private var collected: [Int] = []

    func append(_ status: Int) {
        lock.lock()
        collected.append(status)
        lock.unlock()
    }

    var values: [Int] {
        lock.lock()
        defer { lock.unlock() }
        return collected
    }
}
