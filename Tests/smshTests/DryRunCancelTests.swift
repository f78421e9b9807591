import Foundation
import XCTest

/// `--dry-run` changes nothing on the account: a cancel of a real scheduled message, by
/// `smsh cancel` or a script's `sms.cancel`, answers as the cancel would and cancels nothing.
final class DryRunCancelTests: OneOffTestCase {
    func scheduled() throws -> String {
        let r = try smsh(["send", "--sender", "SMSHDEMO", "--text", "later", "--to", "0812345678", "0898765432",
                          "--schedule", "2099-01-01T10:00:00+07:00", "-o", "json"])
        XCTAssertEqual(r.status, 0, r.stderr)
        return object(r)["uuid"] as? String ?? ""
    }

    func status(_ uuid: String) throws -> String? {
        object(try smsh(["message", uuid, "-o", "json"]))["status"] as? String
    }

    func testDryRunCancelCancelsNothing() throws {
        let uuid = try scheduled()
        let dry = try smsh(["cancel", uuid, "--dry-run", "-o", "json"])
        XCTAssertEqual(dry.status, 0, dry.stderr)
        XCTAssertEqual(object(dry)["status"] as? String, "cancelled", "what the cancel would answer")
        XCTAssertEqual(object(dry)["dryRun"] as? Bool, true)
        XCTAssertEqual(object(dry)["refunded"] as? Int, 2)
        XCTAssertEqual(try status(uuid), "scheduled", "still scheduled on the server")

        let script = "local r = sms.cancel('\(uuid)') print(r.status, r.dryRun)"
        let run = try smsh(["run", "--dry-run", "-e", script])
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stdout, "cancelled\ttrue\n")
        XCTAssertEqual(try status(uuid), "scheduled")

        // Unknown and already-cancelled messages fail as the real cancel would.
        XCTAssertEqual(try smsh(["cancel", "00000000-0000-4000-8000-000000000000", "--dry-run"]).status, 1)
        XCTAssertEqual(try smsh(["cancel", uuid]).status, 0)
        let again = try smsh(["cancel", uuid, "--dry-run"])
        XCTAssertEqual(again.status, 1)
        XCTAssertTrue(again.stderr.contains("ALREADY_CANCELLED (409)"), again.stderr)
    }
}
