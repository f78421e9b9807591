import SMSOperations
import XCTest

/// The dry-run plan's totals and whether the real balance covers them.
final class DryRunPlanTests: XCTestCase {
    func plan(credits: [Double], balance: Double?) -> DryRunPlan {
        let p = DryRunPlan()
        for c in credits { p.add(.init(sender: "MYSHOP", recipients: Int64(c), parts: 1, credits: c, scheduledTime: nil)) }
        p.addCampaign(.init(key: "spring", sends: credits.count, recipients: Int64(credits.reduce(0, +)), parts: 1,
                            credits: credits.reduce(0, +), rate: 10, window: "09:00-20:00 Asia/Bangkok"))
        p.balance = balance
        return p
    }

    func testBalanceThatCoversTheCampaign() {
        let text = plan(credits: [1_000, 2_000], balance: 9_000).render()
        XCTAssertTrue(text.contains("  campaign spring: 2 send(s), 3,000 recipient(s), 1 part(s), 3,000 credits, at most 10 send(s)/s, window 09:00-20:00 Asia/Bangkok\n"), text)
        XCTAssertTrue(text.contains("  total: 3,000 recipient(s), 3,000 credits\n"), text)
        XCTAssertTrue(text.hasSuffix("  balance 9,000 covers 3,000 credits (6,000 would remain)\n"), text)
    }

    func testBalanceThatDoesNotCoverIt() {
        let text = plan(credits: [3_000], balance: 900).render()
        XCTAssertTrue(text.hasSuffix("  balance 900 does NOT cover 3,000 credits (2,100 short)\n"), text)
    }

    func testExactBalanceCoversAndUnknownBalanceIsNotClaimed() {
        XCTAssertTrue(plan(credits: [3_000], balance: 3_000).render().hasSuffix("covers 3,000 credits (0 would remain)\n"))
        XCTAssertFalse(plan(credits: [3_000], balance: nil).render().contains("balance"))
    }

    func testGroupedCredits() {
        XCTAssertEqual(groupedCredits(0), "0")
        XCTAssertEqual(groupedCredits(999), "999")
        XCTAssertEqual(groupedCredits(1_000), "1,000")
        XCTAssertEqual(groupedCredits(2_000_000.5), "2,000,000.5")
        XCTAssertEqual(groupedCredits(-12_345), "-12,345")
    }

    /// Human output says `1 credit`, `2 credits`, `10,000 credits`: one way in one plan.
    func testCreditsAsPeopleWriteThem() {
        XCTAssertEqual(creditsPhrase(1), "1 credit")
        XCTAssertEqual(creditsPhrase(2), "2 credits")
        XCTAssertEqual(creditsPhrase(10_000), "10,000 credits")
        XCTAssertEqual(creditsPhrase(1.5), "1.5 credits")
        let p = DryRunPlan()
        p.add(.init(sender: "MYSHOP", recipients: 1, parts: 1, credits: 1, scheduledTime: nil))
        p.budget = Budget(cap: 1_000)
        let text = p.render()
        XCTAssertTrue(text.contains("= 1 credit\n"), text)
        XCTAssertTrue(text.contains("  total: 1 recipient(s), 1 credit\n"), text)
        XCTAssertTrue(text.contains("  budget: 1,000 credits, "), text)
        XCTAssertFalse(text.contains("1 credits"), text)
        XCTAssertEqual(confirmationQuestion(SendEstimate(recipients: 1, parts: 1, credits: 1)), "send to 1 recipient, 1 part, 1 credit? [y/N] ")
        XCTAssertEqual(confirmationQuestion(SendEstimate(recipients: 2_000, parts: 2, credits: 4_000)),
                       "send to 2,000 recipients, 2 parts, 4,000 credits? [y/N] ")
    }
}
