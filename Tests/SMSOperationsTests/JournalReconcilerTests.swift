import Foundation
import SMSClient
import SMSOperations
import SMSState
import XCTest

/// Matching uncertain keys to the account's messages by what their intents recorded.
final class JournalReconcilerTests: XCTestCase {
    private let scope = StateScope(api: "http://127.0.0.1:1", account: "abc")

    private func request(_ text: String, sender: String = "SMSHDEMO", recipients: Int = 1) -> RequestDigest {
        RequestDigest(sender: sender, text: RequestDigest.digest(text: text), templateId: nil, variables: nil,
                      recipients: recipients, recipientsDigest: "x", schedule: nil)
    }

    private func intent(_ key: String, _ request: RequestDigest?, at: Double) -> JournalEntry {
        JournalEntry(scope: scope, key: key, state: .intent, at: at, pid: 999_999_999, host: "elsewhere", request: request, wallTime: at)
    }

    private func message(_ uuid: String, _ text: String, sender: String = "SMSHDEMO", recipients: Int64 = 1, at: Int64) -> Message {
        Message(json: ["uuid": .string(uuid), "sender": .string(sender), "content": .string(text), "recipients": .int(recipients),
                       "createdAt": .string(ISO8601Time.format(epochSeconds: at, offsetSeconds: 7 * 3600))])
    }

    func testEachKeyGetsTheFirstFittingMessageAndNoMessageIsMatchedTwice() {
        let t: Int64 = 1_800_000_000
        let keys = [intent("a", request("Hello"), at: Double(t)), intent("b", request("Hello"), at: Double(t + 10)),
                    intent("c", request("Hello"), at: Double(t + 20))]
        let messages = [
            message("m3", "Hello", at: t + 21),
            message("m-other-text", "Goodbye", at: t + 15),
            message("m-other-sender", "Hello", sender: "OTHER", at: t + 15),
            message("m-two", "Hello", recipients: 2, at: t + 15),
            message("m2", "Hello", at: t + 11),
            message("m1", "Hello", at: t + 1),
            message("m-before", "Hello", at: t - 3600),
        ]
        let outcome = JournalReconciler.match(keys, messages: messages)
        XCTAssertEqual(outcome.matched.map { "\($0.entry.key)=\($0.message.uuid ?? "")" }, ["a=m1", "b=m2", "c=m3"])
        XCTAssertTrue(outcome.unmatched.isEmpty)

        // One message for two keys: the older key gets it, the other is unmatched.
        let two = JournalReconciler.match(Array(keys.prefix(2)), messages: [message("only", "Hello", at: t + 12)])
        XCTAssertEqual(two.matched.map(\.entry.key), ["a"])
        XCTAssertEqual(two.unmatched.map(\.entry.key), ["b"])
    }

    func testAMessageOlderThanTheIntentBeyondTheSkewOrAKeyWithoutADigestDoesNotMatch() {
        let t: Int64 = 1_800_000_000
        let skewed = JournalReconciler.match([intent("a", request("Hello"), at: Double(t))], messages: [message("m", "Hello", at: t - 60)])
        XCTAssertEqual(skewed.matched.map(\.entry.key), ["a"], "a server clock a minute behind is allowed")
        let old = JournalReconciler.match([intent("a", request("Hello"), at: Double(t))], messages: [message("m", "Hello", at: t - 600)])
        XCTAssertEqual(old.unmatched.map(\.entry.key), ["a"])
        let legacy = JournalReconciler.match([intent("l", nil, at: Double(t))], messages: [message("m", "Hello", at: t + 1)])
        XCTAssertEqual(legacy.unmatched.first?.reason.contains("older smsh"), true)
    }

    func testATemplateSendMatchesByTemplateAndVariables() {
        let t: Int64 = 1_800_000_000
        let request = RequestDigest(sender: "S", text: nil, templateId: 3, variables: RequestDigest.digest(variables: ["name": "Ann"]),
                                    recipients: 1, recipientsDigest: "x", schedule: nil)
        func sent(_ uuid: String, template: Int64, name: String) -> Message {
            Message(json: ["uuid": .string(uuid), "sender": "S", "content": .string("Hello \(name)"), "recipients": 1,
                           "templateId": .int(template), "variables": ["name": .string(name)],
                           "createdAt": .string(ISO8601Time.formatUTC(epochSeconds: Double(t + 5)))])
        }
        let outcome = JournalReconciler.match([intent("tpl", request, at: Double(t))],
                                              messages: [sent("other-template", template: 4, name: "Ann"),
                                                         sent("other-name", template: 3, name: "Bob"), sent("it", template: 3, name: "Ann")])
        XCTAssertEqual(outcome.matched.map { $0.message.uuid }, ["it"])
    }

    func testUncertainMeansAnIntentWhoseRunHasEnded() {
        let dead = intent("dead", nil, at: 1)
        let live = JournalEntry(scope: scope, key: "live", state: .intent, at: 1, pid: getpid(), host: Self.hostName())
        let done = JournalEntry(scope: scope, key: "done", state: .done, at: 1, pid: 999_999_999, host: "elsewhere")
        XCTAssertEqual(JournalReconciler.uncertain([dead, live, done]).map(\.key), ["dead"])
    }

    static func hostName() -> String {
        var name = [CChar](repeating: 0, count: 256)
        gethostname(&name, name.count)
        return String(cString: name)
    }
}
