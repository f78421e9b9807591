import Foundation
import XCTest

/// `--retries N` / `--timeout SECONDS` and the profile keys `retries` / `timeout`, end to end
/// with the built binary: a closed port shows how many attempts were made, a listener that
/// never answers shows the read timeout.
final class RetrySettingsTests: XCTestCase {
    var home: String!
    var configFile: String { home + "/.config/smsh/config.toml" }

    var scratch: ScratchHome!

    override func setUpWithError() throws {
        scratch = try ScratchHome(tag: "rty")
        home = scratch.path
    }

    override func tearDownWithError() throws {
        scratch.remove()
    }

    /// Port 1 on loopback is closed: every attempt is refused at once.
    func env(_ extra: [String: String] = [:]) -> [String: String] {
        scratch.env(api: ["SMSH_API_KEY": "sk_test_retries", "SMSH_BASE_URL": "http://127.0.0.1:1"], extra)
    }

    func writeConfig(_ text: String) throws {
        _ = FileManager.default.createFile(atPath: configFile, contents: Data(text.utf8))
        chmod(configFile, 0o600)
    }

    func testRetriesZeroMakesOneAttempt() throws {
        let once = try SmshProcess.run(["run", "--retries", "0", "-e", "sms.credit()"], env: env())
        XCTAssertEqual(once.status, 6, once.stderr)
        XCTAssertTrue(once.stderr.contains("NETWORK"), once.stderr)
        XCTAssertFalse(once.stderr.contains("attempts"), "one attempt, no retries: \(once.stderr)")

        // The lua-style form takes the flag too.
        let luaStyle = try SmshProcess.run(["--retries", "1", "-e", "sms.credit()"], env: env())
        XCTAssertTrue(luaStyle.stderr.contains("(after 2 attempts)"), luaStyle.stderr)
    }

    func testTheDefaultIsFourAttempts() throws {
        let result = try SmshProcess.run(["-e", "sms.credit()"], env: env())
        XCTAssertEqual(result.status, 6, result.stderr)
        XCTAssertTrue(result.stderr.contains("(after 4 attempts)"), result.stderr)
    }

    func testAProfilesRetriesIsHonouredAndTheFlagBeatsIt() throws {
        try writeConfig("""
            default_profile = "cron"

            [profiles.cron]
            retries = 1
            timeout = 5
            """)
        let profile = try SmshProcess.run(["-e", "sms.credit()"], env: env())
        XCTAssertEqual(profile.status, 6, profile.stderr)
        XCTAssertTrue(profile.stderr.contains("(after 2 attempts)"), profile.stderr)

        let flag = try SmshProcess.run(["run", "--retries", "2", "-e", "sms.credit()"], env: env())
        XCTAssertTrue(flag.stderr.contains("(after 3 attempts)"), flag.stderr)

        let shown = try SmshProcess.run(["config"], env: env())
        XCTAssertEqual(shown.status, 0, shown.stderr)
        let rows = shown.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains { $0.hasPrefix("retries ") && $0.contains("1") && $0.contains("profile cron") }, shown.stdout)
        XCTAssertTrue(rows.contains { $0.hasPrefix("timeout ") && $0.contains("5 s") && $0.contains("profile cron") }, shown.stdout)
    }

    func testConfigShowsTheDefaults() throws {
        let shown = try SmshProcess.run(["config"], env: env())
        let rows = shown.stdout.split(separator: "\n").map(String.init)
        XCTAssertTrue(rows.contains { $0.hasPrefix("retries ") && $0.contains(" 3 ") }, shown.stdout)
        XCTAssertTrue(rows.contains { $0.hasPrefix("timeout ") && $0.contains("60 s") }, shown.stdout)
    }

    func testBadValuesAreUsageErrors() throws {
        let negative = try SmshProcess.run(["run", "--retries", "-1", "-e", "print(1)"], env: env())
        XCTAssertEqual(negative.status, 2, negative.stderr)
        XCTAssertTrue(negative.stderr.contains("--retries"), negative.stderr)
        let zero = try SmshProcess.run(["run", "--timeout", "0", "-e", "print(1)"], env: env())
        XCTAssertEqual(zero.status, 2, zero.stderr)
        XCTAssertTrue(zero.stderr.contains("--timeout"), zero.stderr)

        try writeConfig("""
            [profiles.bad]
            retries = 1.5
            """)
        let profile = try SmshProcess.run(["--profile", "bad", "-e", "print(1)"], env: env())
        XCTAssertEqual(profile.status, 2, profile.stderr)
        XCTAssertTrue(profile.stderr.contains("'retries' in [profiles.bad]"), profile.stderr)
    }

    /// A listener that accepts (the kernel completes the handshake) but never answers: the
    /// request gives up after `--timeout` seconds instead of the default 60.
    func testTimeoutEndsASilentRequest() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        XCTAssertGreaterThanOrEqual(fd, 0)
        defer { close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        addr.sin_port = 0
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        XCTAssertTrue(bound)
        XCTAssertEqual(listen(fd, 8), 0)
        let port = UInt16(bigEndian: addr.sin_port)

        let result = try SmshProcess.run(["run", "--retries", "0", "--timeout", "1", "-e", "sms.credit()"],
                                         env: env(["SMSH_BASE_URL": "http://127.0.0.1:\(port)"]))
        XCTAssertNotEqual(result.status, 0, result.stderr)
        XCTAssertTrue(result.stderr.contains("no response from 127.0.0.1 in time"), result.stderr)
        XCTAssertFalse(result.stderr.contains("attempts"), result.stderr)
    }
}
