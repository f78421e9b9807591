import Foundation
import XCTest

/// `sms.campaign` killed with SIGKILL mid-run against `smsh serve`, then run again with the
/// built binary: the re-run sends only what is left, every text exactly once; a send whose
/// intent was journaled when the run died stops the re-run with JOURNAL_UNCERTAIN naming it.
final class CampaignKillTests: ServedCampaignTestCase {
    override class var apiKey: String { "sk_test_ckill" }

    func campaign(_ key: String) -> String {
        """
        local c = sms.campaign{key = "\(key)", sender = "SMSHDEMO", rows = "\(dir!)/contacts.csv",
                               content = "Hello {{group}}", rate = 1}
        print(c.sends, c.resumed, c.recipients, #c.uuids)
        """
    }

    func start(_ script: String, env extra: [String: String] = [:]) throws -> Process {
        try start(["-e", script], env: extra)
    }

    func testKilledCampaignResumesSendingEachTextExactlyOnce() throws {
        // rate = 1: after each journaled send the run sleeps ~1 s, where the kill lands.
        let first = try start(campaign("spring"))
        SmshProcess.waitUntil { (try? journal("spring", "done")) ?? 0 >= 3 }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertEqual(first.terminationReason, .uncaughtSignal)
        let sentBefore = try serverTexts()
        XCTAssertGreaterThanOrEqual(sentBefore.count, 3)
        XCTAssertLessThan(sentBefore.count, 10, "killed mid-run")
        XCTAssertEqual(try journal("spring", "done"), sentBefore.count, "every accepted send is journaled as done")
        XCTAssertEqual(try journal("spring", "intent"), 0)

        let again = try SmshProcess.run(["-e", campaign("spring")], env: env())
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(again.stdout, "\(10 - sentBefore.count)\t\(sentBefore.count)\t50\t10\n", "only the rest is sent")
        let texts = try serverTexts()
        XCTAssertEqual(texts, (0..<10).map { "Hello g\($0)" }, "each of the 10 texts exactly once")

        let third = try SmshProcess.run(["-e", campaign("spring")], env: env())
        XCTAssertEqual(third.stdout, "0\t10\t50\t10\n")
        XCTAssertEqual(try serverTexts().count, 10, "a finished campaign sends nothing more")
    }

    func testKillBetweenIntentAndSendStopsTheRerunWithJournalUncertain() throws {
        let first = try start(campaign("autumn"), env: ["SMSH_TEST_PAUSE_AFTER_INTENT": "30"])
        var tries = 0
        while try journal("autumn", "intent") == 0, tries < 300 {
            tries += 1
            usleep(20_000)
        }
        kill(first.processIdentifier, SIGKILL)
        first.waitUntilExit()
        XCTAssertEqual(try serverTexts(), [], "killed before its first send reached the server")

        let again = try SmshProcess.run(["-e", campaign("autumn")], env: env())
        XCTAssertEqual(again.status, 8, "JOURNAL_UNCERTAIN has its own exit code: \(again.stderr)")
        XCTAssertTrue(again.stderr.contains("JOURNAL_UNCERTAIN"), again.stderr)
        let key = try XCTUnwrap(again.stderr.range(of: #"autumn/[0-9a-f]+/1"#, options: .regularExpression), again.stderr)
        XCTAssertTrue(again.stderr.contains("smsh journal forget \(again.stderr[key])"), again.stderr)
        XCTAssertEqual(try serverTexts(), [], "the uncertain text was not guessed at, nor any other sent")
    }
}
