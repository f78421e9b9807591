import Dispatch
import SMSClient
import XCTest

@testable import SMSSimulator

final class EngineConcurrencyTests: XCTestCase {
    func testConcurrentSendsAreEachAppliedOnce() throws {
        let sim = SimulatorHarness()
        let request = TransportRequest(
            method: "POST", path: "/api/v2/sms/send", headers: ["x-api-key": SimulatorHarness.demoKey],
            body: ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678", "0812345679"]])
        let transport = sim.transport
        DispatchQueue.concurrentPerform(iterations: 200) { _ in
            _ = try? transport.roundTrip(request)
        }
        XCTAssertEqual(sim.engine.acceptedSendCount, 200)
        XCTAssertEqual(try sim.balance(), 10_000 - 400)
        XCTAssertEqual(try sim.get("/api/v2/sms")["total"], 200)
        let uuids = try (1...10).flatMap { page in
            try sim.get("/api/v2/sms", [("page", String(page)), ("limit", "20")])["data"]?.arrayValue ?? []
        }.compactMap { $0["uuid"]?.stringValue }
        XCTAssertEqual(Set(uuids).count, 200, "every message has its own uuid")
    }
}
