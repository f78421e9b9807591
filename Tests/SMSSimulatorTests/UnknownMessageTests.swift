import SMSClient
import XCTest

@testable import SMSSimulator

/// NOT_FOUND for an unknown message uuid. The `--sandbox` simulator starts empty every run
/// while the journal keeps sandbox keys, so its answer names that cause and the way out; the
/// simulator behind `smsh serve` (default config) and dry-run uuids keep the plain answer.
final class UnknownMessageTests: XCTestCase {
    let uuid = "9b6be78c-d226-4c74-9eb1-b38a38ee35b6"

    func sandbox() -> SimulatorHarness {
        var config = SimulatorConfig()
        config.startsEmptyEveryRun = true
        return SimulatorHarness(config)
    }

    func testTheRunSandboxExplainsAUUIDFromAnEarlierRun() throws {
        let sim = sandbox()
        for reply in [try sim.message(uuid), try sim.get("/api/v2/sms/\(uuid)/recipients"),
                      try sim.post("/api/v2/sms/\(uuid)/cancel", nil)] {
            XCTAssertEqual(reply.status, 404)
            XCTAssertEqual(reply.code, "NOT_FOUND")
            let text = try XCTUnwrap(reply["error"]?.stringValue)
            XCTAssertTrue(text.hasPrefix("Message \(uuid) not found: the sandbox starts empty every run"), text)
            XCTAssertTrue(text.contains("a replayed once key or a resumed campaign"), text)
            XCTAssertTrue(text.contains("`smsh journal forget --scope sandbox KEY`, or `--prefix CAMPAIGN/`"), text)
            XCTAssertTrue(text.contains("`smsh serve`"), text)
        }
    }

    func testAMessageOfThisRunIsFoundAsEver() throws {
        let sim = sandbox()
        let sent = try sim.sendUUID(["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"]])
        XCTAssertEqual(try sim.message(sent).status, 200)
    }

    func testServeAndDryRunUUIDsKeepThePlainAnswer() throws {
        let served = try SimulatorHarness().message(uuid)
        XCTAssertEqual(served.status, 404)
        XCTAssertEqual(served["error"]?.stringValue, "Message \(uuid) not found")
        let dryRun = try sandbox().message(DryRunTransport.prefix + uuid)
        XCTAssertEqual(dryRun["error"]?.stringValue, "Message \(DryRunTransport.prefix + uuid) not found")
    }
}
