import Foundation
import SMSClient
import SMSOperations
import SMSState
import XCTest

/// Exactness of "certainly not sent": which failures free a key, which keep it uncertain, and
/// what a failure after an accepted send records.
final class SendOnceJournalTests: XCTestCase {
    private var dir: String!
    private var store: SQLiteStateStore!
    private var journal: SendOnceJournal!
    private let scope = StateScope(api: "http://127.0.0.1:1", account: "abc")

    override func setUpWithError() throws {
        dir = NSTemporaryDirectory() + "smsh-once-\(UUID().uuidString.prefix(8))"
        let store = try SQLiteStateStore(path: dir + "/state.sqlite3")
        self.store = store
        journal = SendOnceJournal(scope: scope, store: { store })
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: dir) }

    private func once(_ key: String, prepare: () throws -> Void = {}, send: () throws -> [String: JSONValue]) throws
        -> (result: [String: JSONValue], replayed: Bool) {
        try journal.once(key: key, now: 1, function: "sms.send", prepare: prepare, send: { _ in try send() })
    }

    private func state(_ key: String) throws -> JournalEntry.State? { try store.entry(scope: scope, key: key)?.state }

    func testFailuresThatNeverReachedTheServerFreeTheKey() throws {
        let neverLeft = [
            SMSError(status: nil, code: "NETWORK", message: "connection refused", retryable: true, notSent: true),
            SMSError(status: nil, code: "NETWORK", message: "TLS: certificate of 127.0.0.1 not trusted", retryable: false, notSent: true),
            SMSError(status: nil, code: "NO_API_KEY", message: "no API key", retryable: false, notSent: true),
            SMSError.invalidArgument("content", "'content' is not valid UTF-8 at byte 3"),
            SMSError(status: 402, code: "INSUFFICIENT_CREDITS", message: "Insufficient credits", retryable: false),
            SMSError(status: 401, code: "UNAUTHORIZED", message: "Invalid API key", retryable: false),
            SMSError(status: 429, code: "RATE_LIMITED", message: "slow down", retryable: true),
        ]
        for (i, error) in neverLeft.enumerated() {
            XCTAssertThrowsError(try once("k\(i)") { throw error }) { XCTAssertEqual(($0 as? SMSError)?.code, error.code) }
            XCTAssertEqual(try state("k\(i)"), .failed, error.description)
            XCTAssertEqual(try once("k\(i)") { ["uuid": .string("u\(i)")] }.replayed, false, "the key is free again")
            XCTAssertEqual(try once("k\(i)") { XCTFail("sent twice"); return [:] }.result["uuid"], .string("u\(i)"))
        }
    }

    func testAnythingThrownBeforeTheRequestFreesTheKey() throws {
        // A preview for the budget timing out is not the send: nothing was sent.
        let previewTimeout = SMSError(status: nil, code: "TIMEOUT", message: "preview timed out", retryable: true)
        XCTAssertThrowsError(try once("budgeted", prepare: { throw previewTimeout }) { XCTFail("must not send"); return [:] })
        XCTAssertEqual(try state("budgeted"), .failed)
        struct Declined: Error {}
        XCTAssertThrowsError(try once("declined", prepare: { throw Declined() }) { [:] })
        XCTAssertEqual(try state("declined"), .failed)
    }

    func testFailuresThatMayHaveReachedTheServerKeepTheKeyUncertain() throws {
        let mayHave = [
            SMSError(status: nil, code: "TIMEOUT", message: "no response in time", retryable: true),
            SMSError(status: nil, code: "NETWORK", message: "connection lost", retryable: true),
            SMSError(status: 503, code: "SERVER_ERROR", message: "Service Unavailable", retryable: true),
            SMSError(status: 200, code: "BAD_RESPONSE", message: "response is not JSON", retryable: false),
        ]
        for (i, error) in mayHave.enumerated() {
            XCTAssertThrowsError(try once("m\(i)") { throw error })
            XCTAssertEqual(try state("m\(i)"), .intent)
            XCTAssertThrowsError(try once("m\(i)") { XCTFail("sent after an uncertain one"); return [:] }) { e in
                XCTAssertEqual((e as? SMSError)?.code, "JOURNAL_UNCERTAIN", error.description)
                XCTAssertTrue((e as? SMSError)?.message.contains("'m\(i)'") ?? false)
                XCTAssertTrue((e as? SMSError)?.message.contains("smsh journal forget m\(i)") ?? false)
            }
        }
    }

    func testAFailureAfterAnAcceptedSendRecordsItAsSent() throws {
        let afterSend = SMSError(status: nil, code: "CASSETTE_IO", message: "the send went out (uuid u-9) but the cassette could not be written",
                                 retryable: false, sentResult: ["uuid": "u-9", "recipients": 2])
        XCTAssertThrowsError(try once("rec") { throw afterSend }) { e in
            XCTAssertEqual((e as? SMSError)?.code, "CASSETTE_IO")
            XCTAssertTrue((e as? SMSError)?.message.contains("u-9") ?? false)
        }
        XCTAssertEqual(try state("rec"), .done)
        let again = try once("rec") { XCTFail("a retrying script must not send again"); return [:] }
        XCTAssertTrue(again.replayed)
        XCTAssertEqual(again.result["uuid"], "u-9")
    }

    func testAnIntentOfADeadProcessIsUncertainAndOfALiveOneIsWaitedFor() throws {
        let dead = JournalEntry(scope: scope, key: "dead", state: .intent, at: 1, pid: 999_999_999, host: Self.hostName())
        XCTAssertNil(try store.claim(dead))
        XCTAssertThrowsError(try once("dead") { [:] }) { XCTAssertEqual(($0 as? SMSError)?.code, "JOURNAL_UNCERTAIN") }

        // A live process on this host (a child `sleep`) holds the key; it finishes after 0.3 s.
        let sleeper = Process()
        sleeper.executableURL = URL(fileURLWithPath: "/bin/sleep")
        sleeper.arguments = ["30"]
        try sleeper.run()
        defer { sleeper.terminate() }
        XCTAssertNil(try store.claim(JournalEntry(scope: scope, key: "live", state: .intent, at: 1, pid: sleeper.processIdentifier, host: Self.hostName())))
        let path = dir + "/state.sqlite3"
        let scope = self.scope
        let pid = sleeper.processIdentifier
        DispatchQueue.global().asyncAfter(deadline: .now() + 0.3) {
            // Another connection, as the other run would have.
            try? SQLiteStateStore(path: path).record(JournalEntry(scope: scope, key: "live", state: .done, at: 2, pid: pid,
                                           host: Self.hostName(), result: ["uuid": "theirs"]))
        }
        let r = try once("live") { XCTFail("the other run's send decides"); return [:] }
        XCTAssertTrue(r.replayed)
        XCTAssertEqual(r.result["uuid"], "theirs")
    }

    func testAKeyWhoseSendIsUncertainRefusesAnotherRequestByName() throws {
        let daily = RequestDigest(sender: "A", text: RequestDigest.digest(text: "Daily"), templateId: nil, variables: nil,
                                  recipients: 1, recipientsDigest: "d1", schedule: nil)
        var other = daily
        other.sender = "B"
        XCTAssertThrowsError(try journal.once(key: "u", now: 1, function: "smsh send", request: daily, prepare: {},
                                              send: { _ in throw SMSError(status: nil, code: "TIMEOUT", message: "lost", retryable: true) }))
        XCTAssertEqual(try state("u"), .intent)
        XCTAssertEqual(try store.entry(scope: scope, key: "u")?.request, daily, "the intent keeps what it sent")
        XCTAssertThrowsError(try journal.once(key: "u", now: 2, function: "smsh send", request: other, prepare: {},
                                              send: { _ in XCTFail("sent"); return [:] })) { e in
            XCTAssertEqual((e as? SMSError)?.code, "ONCE_KEY_REUSED")
            XCTAssertTrue((e as? SMSError)?.message.contains("sender differs: 'A' vs 'B'") ?? false, "\(e)")
            XCTAssertTrue((e as? SMSError)?.message.contains("no recorded outcome") ?? false, "\(e)")
        }
        // The same request is still uncertain, not reused.
        XCTAssertThrowsError(try journal.once(key: "u", now: 2, function: "smsh send", request: daily, prepare: {},
                                              send: { _ in [:] })) { XCTAssertEqual(($0 as? SMSError)?.code, "JOURNAL_UNCERTAIN") }
    }

    func testAnEmptyKeyIsAnInvalidArgument() {
        XCTAssertThrowsError(try once("") { [:] }) { XCTAssertEqual(($0 as? SMSError)?.field, "once") }
    }

    static func hostName() -> String { ProcessInfo.processInfo.hostName.isEmpty ? "" : { () -> String in
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return String(cString: name)
    }() }
}
