import Foundation
import XCTest

/// Which state store a command uses (`StateStores` in smsh): `--profile`'s `state_url` for
/// the journal commands, and a config file that cannot be read is refused loudly (exit 2)
/// rather than taken as "no state_url", which would quietly use this host's own SQLite file
/// while the fleet's journal is in PostgreSQL. The built binary; no PostgreSQL is needed:
/// `journal path` only names the store, and the refusals happen before any connection.
final class StateStoreSettingTests: XCTestCase {
    var home: ScratchHome!
    let shared = "postgresql://smsh:s3cret@db.example/smsh"

    override func setUpWithError() throws { home = try ScratchHome(tag: "statestore") }
    override func tearDown() { home?.remove() }

    var config: String { home.path + "/.config/smsh/config.toml" }

    func writeConfig(_ text: String) throws {
        try text.write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(config, 0o600), 0)
    }

    func smsh(_ args: [String], _ extra: [String: String] = [:]) throws -> SmshProcess.Result {
        try SmshProcess.run(args, env: home.env(api: [:], ["SMSH_STATE_URL": ""].merging(extra) { $1 }))
    }

    func testJournalCommandsTakeTheProfilesStateURL() throws {
        try writeConfig("[profiles.fleet]\nbase_url = \"http://127.0.0.1:1\"\nstate_url = \"\(shared)\"\n\n[profiles.laptop]\nbase_url = \"http://127.0.0.1:1\"\n")
        let fleet = try smsh(["journal", "path", "--profile", "fleet"])
        XCTAssertEqual(fleet.status, 0, fleet.stderr)
        XCTAssertEqual(fleet.stdout, "postgresql://smsh:***@db.example/smsh\n")
        let viaEnvironment = try smsh(["journal", "path"], ["SMSH_PROFILE": "fleet"])
        XCTAssertEqual(viaEnvironment.stdout, fleet.stdout)
        let laptop = try smsh(["journal", "path", "--profile", "laptop"])
        XCTAssertEqual(laptop.stdout, home.path + "/state/smsh/state.sqlite3\n")
        for sub in [["list"], ["show", "k"], ["forget", "k"], ["export"], ["import", "-"]] {
            let r = try smsh(["journal"] + sub + ["--profile", "nope"])
            XCTAssertEqual(r.status, 2, "journal \(sub): \(r.stdout) \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("unknown profile 'nope' (from --profile); known profiles: fleet, laptop"), r.stderr)
        }
    }

    func testAConfigFileThatDoesNotParseIsRefusedNotTakenAsTheLocalFile() throws {
        try writeConfig("[profiles.fleet]\nstate_url = \"\(shared)\"\n[profiles.broken\n")
        for args in [["journal", "path"], ["journal", "list"], ["journal", "forget", "--prefix", "nightly/"], ["journal", "export"]] {
            let r = try smsh(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stdout) \(r.stderr)")
            XCTAssertEqual(r.stdout, "", "\(args)")
            XCTAssertTrue(r.stderr.contains("config.toml:3: expected ']' to close the table header"), r.stderr)
            XCTAssertFalse(r.stderr.contains("s3cret"), r.stderr)
        }
        XCTAssertFalse(FileManager.default.fileExists(atPath: home.path + "/state/smsh/state.sqlite3"),
                       "no local store may be made when the config may name a shared one")
        // `--lock` would otherwise be this host's lock instead of the fleet's.
        let locked = try smsh(["run", "--lock", "nightly", "-e", "print('ran')"])
        XCTAssertEqual(locked.status, 2, locked.stdout + locked.stderr)
        XCTAssertEqual(locked.stdout, "")
        XCTAssertTrue(locked.stderr.contains("expected ']' to close the table header"), locked.stderr)
    }
}
