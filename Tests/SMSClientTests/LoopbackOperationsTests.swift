import SMSClient
import SMSSimulator
import XCTest

/// Every operation and every error status, against the simulator over real loopback HTTP.
final class LoopbackOperationsTests: XCTestCase {
    private var sim: LoopbackSimulator!
    private var client: SMSClient!

    override func setUpWithError() throws {
        sim = try LoopbackSimulator()
        client = sim.client()
    }

    override func tearDown() {
        sim.stop()
    }

    private func expectError(
        _ code: String, status: Int?, file: StaticString = #filePath, line: UInt = #line, _ call: () throws -> Void
    ) {
        do {
            try call()
            XCTFail("expected \(code)", file: file, line: line)
        } catch let error as SMSError {
            XCTAssertEqual(error.code, code, error.description, file: file, line: line)
            XCTAssertEqual(error.status, status, error.description, file: file, line: line)
        } catch {
            XCTFail("unexpected \(error)", file: file, line: line)
        }
    }

    func testSendThenReadItBack() throws {
        let sent = try client.send(
            SendRequest(sender: "SMSHDEMO", content: "Hello", msisdns: ["081-234-5678", "0812345678", "0912345678"]))
        let uuid = try XCTUnwrap(sent.uuid)
        XCTAssertEqual(sent.recipients, 2)
        XCTAssertEqual(sent.duplicatesRemoved, 1)
        XCTAssertEqual(sim.engine.acceptedSendCount, 1)

        let message = try client.message(uuid: uuid)
        XCTAssertEqual(message.uuid, uuid)
        XCTAssertEqual(message.recipients, 2)

        let list = try client.messages(page: 1, limit: 10)
        XCTAssertEqual(list.data.first?.uuid, uuid)

        let page = try client.recipients(uuid: uuid, after: 0, limit: 1)
        XCTAssertEqual(page.data.count, 1)
        XCTAssertEqual(page.hasMore, true)
        let next = try client.recipients(uuid: uuid, after: try XCTUnwrap(page.nextCursor), limit: 1)
        XCTAssertEqual(next.data.count, 1)
        XCTAssertEqual(
            Set((page.data + next.data).compactMap(\.msisdn)), ["66812345678", "66912345678"])
        XCTAssertNotNil(try client.recipients(uuid: uuid).total)
    }

    func testDryRunAndPreviewChargeNothing() throws {
        let before = try XCTUnwrap(client.credit().balance)
        let dry = try client.send(SendRequest(sender: "SMSHDEMO", content: "Hi", msisdns: ["0812345678"], dryRun: true))
        XCTAssertTrue(dry.dryRun)
        XCTAssertNil(dry.uuid)
        let preview = try client.preview(PreviewRequest(content: "สวัสดี", msisdns: ["0812345678", "0912345678"]))
        XCTAssertEqual(preview.parts, 1)
        XCTAssertEqual(preview.encoding, "ucs2")
        XCTAssertEqual(preview.recipients, 2)
        XCTAssertEqual(try client.credit().balance, before)
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
    }

    func testScheduledSendCanBeCancelledOnce() throws {
        let sent = try client.send(
            SendRequest(
                sender: "SMSHDEMO", content: "Later", msisdns: ["0812345678"],
                scheduledTime: .epochSeconds(sim.clock.now() + 3600)))
        XCTAssertEqual(sent.status, "scheduled")
        let uuid = try XCTUnwrap(sent.uuid)
        let cancelled = try client.cancel(uuid: uuid)
        XCTAssertEqual(cancelled.status, "cancelled")
        expectError("ALREADY_CANCELLED", status: 409) { _ = try client.cancel(uuid: uuid) }
    }

    func testSendersAndCredit() throws {
        let senders = try client.senders().data
        XCTAssertTrue(senders.contains { $0.name == "SMSHDEMO" && $0.isApproved })
        XCTAssertTrue(senders.contains { $0.name == "SPAMMY" && $0.status == "rejected" })
        XCTAssertNotNil(try client.credit().balance)
    }

    func testTemplateAndGroupSend() throws {
        let sent = try client.send(
            SendRequest(sender: "SMSHDEMO", templateId: 1, variables: ["name": "Toon", "code": 1234], contactGroupId: 1, dryRun: true))
        XCTAssertGreaterThan(sent.recipients ?? 0, 0)
    }

    func testErrorStatuses() throws {
        expectError("SENDER_NOT_APPROVED", status: 400) {
            _ = try client.send(SendRequest(sender: "SPAMMY", content: "x", msisdns: ["0812345678"]))
        }
        expectError("UNAUTHORIZED", status: 401) { _ = try sim.client(apiKey: "sk_wrong").credit() }
        expectError("UNAUTHORIZED", status: 401) { _ = try sim.client(apiKey: nil).credit() }
        expectError("FORBIDDEN", status: 403) {
            _ = try sim.client(apiKey: "sk_test_smsh_readonly").send(
                SendRequest(sender: "SMSHDEMO", content: "x", msisdns: ["0812345678"]))
        }
        expectError("NOT_FOUND", status: 404) { _ = try client.message(uuid: "no-such-message") }
        let sent = try client.send(SendRequest(sender: "SMSHDEMO", content: "now", msisdns: ["0812345678"]))
        expectError("NOT_SCHEDULED", status: 400) { _ = try client.cancel(uuid: sent.uuid ?? "") }
        try sim.admin("POST", "/_sim/credit", ["balance": 0.0])
        expectError("INSUFFICIENT_CREDITS", status: 402) {
            _ = try client.send(SendRequest(sender: "SMSHDEMO", content: "x", msisdns: ["0812345678"]))
        }
    }

    func testRateLimitIsReportedAfterRetries() throws {
        try sim.setFaults(["429", "429", "429", "429"])
        do {
            _ = try client.credit()
            XCTFail("expected RATE_LIMITED")
        } catch let error as SMSError {
            XCTAssertEqual(error.code, "RATE_LIMITED")
            XCTAssertEqual(error.status, 429)
            XCTAssertTrue(error.retryable)
            XCTAssertTrue(error.message.hasSuffix("(after 4 attempts)"), error.message)
        }
    }

    func testNonJSONServerErrorAndMalformedSuccess() throws {
        try sim.setFaults(["503", "malformed"])
        let never = sim.client(retry: .never)
        expectError("SERVER_ERROR", status: 503) { _ = try never.credit() }
        expectError("BAD_RESPONSE", status: 200) { _ = try never.credit() }
    }
}
