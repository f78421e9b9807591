import SMSClient
import SMSOperations
import XCTest

/// The plan that `sms.campaign` (and a one-off command) works out before the first send,
/// without Lua: rows in, sends with their send-once keys out.
final class CampaignPlanTests: XCTestCase {
    func row(_ line: Int, _ phone: String, _ name: String) -> CampaignPlan.Row {
        CampaignPlan.Row(line: line, fields: ["phone": phone, "name": name])
    }

    func testRowsWithTheSameTextShareOneSendWhoseKeyNamesTheTextAndChunk() throws {
        let rows = [row(2, "0812345678", "Ann"), row(3, "0898765432", "Ann"), row(4, "0811111111", "Bo"),
                    row(5, "081-234-5678", "Cy"), row(6, "12ab", "Di")]
        let plan = try CampaignPlan(key: "nov", rows: rows, phone: "phone", content: "Hi {{ name }}", templateId: nil, variables: nil)
        XCTAssertEqual(plan.sends.map(\.message), [.content("Hi Ann"), .content("Hi Bo")])
        XCTAssertEqual(plan.sends.map(\.numbers), [["66812345678", "66898765432"], ["66811111111"]])
        XCTAssertEqual(plan.recipients, 3)
        XCTAssertEqual(plan.duplicates, 1, "line 5 is line 2's number written another way")
        XCTAssertEqual(plan.invalid.map(\.line), [6])
        for send in plan.sends {
            XCTAssertNotNil(send.onceKey.wholeMatch(of: /nov\/[0-9a-f]{16}\/1/), send.onceKey)
        }
        XCTAssertNotEqual(plan.sends[0].onceKey, plan.sends[1].onceKey)
        // A re-run plans the same keys: that is how a campaign resumes.
        let again = try CampaignPlan(key: "nov", rows: rows, phone: "phone", content: "Hi {{ name }}", templateId: nil, variables: nil)
        XCTAssertEqual(again.sends.map(\.onceKey), plan.sends.map(\.onceKey))
    }

    func testATextWithMoreNumbersThanASendTakesIsSplitIntoNumberedChunks() throws {
        let rows = (0..<5).map { row($0 + 2, "08123456\(10 + $0)", "Ann") }
        let plan = try CampaignPlan(key: "k", rows: rows, phone: "phone", content: "Hi", templateId: nil, variables: nil, chunkSize: 2)
        XCTAssertEqual(plan.sends.map(\.numbers.count), [2, 2, 1])
        XCTAssertEqual(plan.sends.map(\.chunk), [1, 2, 3])
        XCTAssertEqual(plan.sends.map { $0.onceKey.split(separator: "/").last.map(String.init) }, ["1", "2", "3"])
    }

    func testAPlaceholderWhoseColumnTheRowLacksIsRefusedNamingTheLine() {
        XCTAssertThrowsError(try CampaignPlan(key: "k", rows: [row(7, "0812345678", "Ann")], phone: "phone",
                                              content: "Hi {{nickname}}", templateId: nil, variables: nil)) { error in
            let e = error as? SMSError
            XCTAssertEqual(e?.code, "INVALID_ARGUMENT")
            XCTAssertTrue(e?.message.contains("line 7") == true && e?.message.contains("nickname") == true, "\(error)")
        }
        XCTAssertEqual(try CampaignPlan.columnsUsed(phone: "phone", content: "{{a}} {{b}} {{a}}", variables: nil), ["phone", "a", "b"])
    }
}
