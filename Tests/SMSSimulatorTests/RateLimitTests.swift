import SMSClient
import XCTest

@testable import SMSSimulator

final class RateLimitTests: XCTestCase {
    func testBurstAboveTheLimitIsRateLimitedUntilTimePasses() throws {
        let sim = SimulatorHarness(SimulatorConfig(rateLimit: 3))
        for _ in 0..<3 { XCTAssertEqual(try sim.get("/api/v2/credit").status, 200) }
        let limited = try sim.get("/api/v2/credit")
        XCTAssertEqual(limited.status, 429)
        XCTAssertEqual(limited.code, "RATE_LIMITED")
        XCTAssertEqual(limited.headers["retry-after"], "1")
        sim.clock.advance(by: 1)
        XCTAssertEqual(try sim.get("/api/v2/credit").status, 200)
    }

    func testEachKeyHasItsOwnBucket() throws {
        let sim = SimulatorHarness(SimulatorConfig(rateLimit: 1))
        XCTAssertEqual(try sim.get("/api/v2/credit").status, 200)
        XCTAssertEqual(try sim.get("/api/v2/credit").status, 429)
        XCTAssertEqual(try sim.get("/api/v2/credit", key: "sk_test_smsh_readonly").status, 200)
    }

    func testEvery429IsCountedAsThrottled() throws {
        let sim = SimulatorHarness(SimulatorConfig(rateLimit: 2, faults: FaultConfig(script: ["429", "429-no-retry-after"])))
        XCTAssertEqual(try sim.get("/api/v2/credit").status, 429, "injected")
        XCTAssertEqual(try sim.get("/api/v2/credit").status, 429, "injected, no Retry-After")
        XCTAssertEqual(sim.engine.throttledCount, 2)
        for _ in 0..<2 { XCTAssertEqual(try sim.get("/api/v2/credit").status, 200) }
        for _ in 0..<3 {
            let limited = try sim.get("/api/v2/credit")
            XCTAssertEqual(limited.status, 429)
            XCTAssertEqual(limited.headers["retry-after"], "1")
        }
        XCTAssertEqual(try sim.get("/api/v2/credit", key: "sk_test_smsh_nope").status, 401, "an unknown key is not throttled")
        let stats = try sim.get("/_sim/stats", key: nil)
        XCTAssertEqual(stats["throttled"], 5)
        XCTAssertEqual(stats["requests"], 8)
        XCTAssertEqual(try sim.post("/_sim/reset", nil, key: nil).status, 200)
        XCTAssertEqual(try sim.get("/_sim/stats", key: nil)["throttled"], 0)
    }

    /// The bucket refills at the rate: 10 requests/s sustained for 10 virtual seconds admits
    /// 10/s plus the first burst, and Retry-After is whole seconds, at least 1.
    func testSustainedDemandIsAdmittedAtTheRate() throws {
        let sim = SimulatorHarness(SimulatorConfig(rateLimit: 10))
        var admitted = 0
        var throttled = 0
        for _ in 0..<1_000 {
            let reply = try sim.get("/api/v2/credit")
            if reply.status == 200 { admitted += 1 } else {
                XCTAssertEqual(reply.status, 429)
                XCTAssertEqual(reply.headers["retry-after"], "1")
                throttled += 1
            }
            sim.clock.advance(by: 0.01)  // 100 requests/s offered
        }
        XCTAssertTrue((108...111).contains(admitted), "\(admitted): a burst of 10, then 10/s for 10 s")
        XCTAssertEqual(sim.engine.throttledCount, throttled)
    }

    func testNoLimitByDefault() throws {
        let sim = SimulatorHarness()
        for _ in 0..<500 { XCTAssertEqual(try sim.get("/api/v2/senders").status, 200) }
    }
}
