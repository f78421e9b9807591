import Foundation
import SMSClient
import SMSLua
import XCTest

/// The send-once journal after a failed send. Found by the binding fuzz (Tests/Fuzz/bindings.lua):
/// a `once` send refused with INSUFFICIENT_CREDITS (or any argument error) left its intent
/// behind, so every later send with that key failed with JOURNAL_UNCERTAIN although nothing
/// had been sent.
final class SendJournalTests: XCTestCase {
    var journal: SendJournal!

    override func setUpWithError() throws {
        let dir = "/tmp/smsh-journal-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        journal = SendJournal(path: dir + "/journal.jsonl")
    }

    func failingSend(_ error: SMSError) -> () throws -> [String: JSONValue] { { throw error } }

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

    func testASendThatMayHaveReachedTheProviderStaysUncertain() throws {
        let uncertain = [
            SMSError(status: nil, code: SMSError.Code.network, message: "connection lost", retryable: true),
            SMSError(status: nil, code: SMSError.Code.timeout, message: "timed out", retryable: true),
            SMSError(status: 503, code: "SERVICE_UNAVAILABLE", message: "unavailable", retryable: true),
            SMSError(status: 200, code: SMSError.Code.badResponse, message: "not JSON", retryable: false),
        ]
        for (i, failure) in uncertain.enumerated() {
            let key = "uncertain-\(i)"
            XCTAssertThrowsError(try journal.once(key: key, now: 0, send: failingSend(failure)))
            XCTAssertThrowsError(try journal.once(key: key, now: 1) { XCTFail("sent again"); return [:] }) { error in
                XCTAssertEqual((error as? SMSError)?.code, "JOURNAL_UNCERTAIN", failure.code)
            }
        }
    }
}
