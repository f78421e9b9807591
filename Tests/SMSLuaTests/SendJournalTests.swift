import Foundation
import SMSClient
import SMSLua
import XCTest

/// The send-once journal after a failed send: a refusal frees the key, a send that may have
/// arrived keeps it blocked until the operator decides.
final class SendJournalTests: XCTestCase {
    private var journal: SendJournal!
    private var dir: String!

    override func setUpWithError() throws {
        dir = "/tmp/smsh-journal-\(UUID().uuidString.prefix(8))"
        journal = SendJournal(path: dir + "/journal.jsonl")
    }

    override func tearDown() {
        try? FileManager.default.removeItem(atPath: dir)
    }

    private func failingSend(_ error: SMSError) -> () throws -> [String: JSONValue] { { throw error } }

    func testARefusedSendLeavesTheKeyFreeForALaterAttempt() throws {
        let refused = SMSError(status: 402, code: "INSUFFICIENT_CREDITS", message: "Insufficient credits", retryable: false)
        XCTAssertThrowsError(try journal.once(key: "k", now: 1, send: failingSend(refused))) { error in
            XCTAssertEqual((error as? SMSError)?.code, "INSUFFICIENT_CREDITS")
        }
        XCTAssertEqual(try journal.list().map(\.state), ["failed"])
        let (result, replayed) = try journal.once(key: "k", now: 2) { ["uuid": "u1"] }
        XCTAssertFalse(replayed)
        XCTAssertEqual(result["uuid"], "u1")
        XCTAssertEqual(try journal.once(key: "k", now: 3) { ["uuid": "u2"] }.result["uuid"], "u1", "now done: replayed")
    }

    func testRateLimitedAndBudgetRefusalsFreeTheKeyToo() throws {
        for (i, error) in [
            SMSError(status: 429, code: "RATE_LIMITED", message: "Rate limit exceeded", retryable: true),
            SMSError(status: nil, code: "BUDGET_EXCEEDED", message: "over budget", retryable: false),
        ].enumerated() {
            XCTAssertThrowsError(try journal.once(key: "k\(i)", now: 1, send: failingSend(error)))
            XCTAssertFalse(try journal.once(key: "k\(i)", now: 2) { ["uuid": "u"] }.replayed)
        }
    }

    func testASendThatMayHaveArrivedKeepsTheKeyUncertain() throws {
        for (i, error) in [
            SMSError(status: nil, code: "NETWORK", message: "connection lost", retryable: true),
            SMSError(status: 503, code: "SERVER_ERROR", message: "Service Unavailable", retryable: true),
            SMSError(status: 200, code: "BAD_RESPONSE", message: "response is not JSON", retryable: false),
        ].enumerated() {
            XCTAssertThrowsError(try journal.once(key: "k\(i)", now: 1, send: failingSend(error)))
            XCTAssertThrowsError(try journal.once(key: "k\(i)", now: 2) { ["uuid": "u"] }) { e in
                XCTAssertEqual((e as? SMSError)?.code, "JOURNAL_UNCERTAIN", "\(error.code)")
            }
        }
    }

    /// Found by the binding fuzz (Tests/Fuzz/bindings.lua): every kind of refusal frees the key.
    func testARefusedSendCanBeTriedAgainWithTheSameKey() throws {
        let refusals = [
            SMSError(status: 402, code: "INSUFFICIENT_CREDITS", message: "Insufficient credits", retryable: false),
            SMSError.invalidArgument("msisdns[1]", "not a number"),
            SMSError(status: nil, code: "BUDGET_EXCEEDED", message: "over budget", retryable: false),
            SMSError(status: 429, code: "RATE_LIMITED", message: "slow down", retryable: true),
        ]
        for (i, refusal) in refusals.enumerated() {
            let key = "refused-\(i)"
            XCTAssertThrowsError(try journal.once(key: key, now: 0, send: failingSend(refusal))) { error in
                XCTAssertEqual((error as? SMSError)?.code, refusal.code)
            }
            let (result, replayed) = try journal.once(key: key, now: 1) { ["uuid": JSONValue.string("u-\(i)")] }
            XCTAssertEqual(result["uuid"], JSONValue.string("u-\(i)"), refusal.code)
            XCTAssertFalse(replayed)
            XCTAssertTrue(try journal.once(key: key, now: 2) { XCTFail("sent twice"); return [:] }.replayed)
        }
    }
}
