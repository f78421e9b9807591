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

    func testNoLimitByDefault() throws {
        let sim = SimulatorHarness()
        for _ in 0..<500 { XCTAssertEqual(try sim.get("/api/v2/senders").status, 200) }
    }
}
