import Foundation
import TLSTestSupport
import XCTest

/// The built binary against a real TLS server (`openssl s_server`): an untrusted certificate
/// is one clear, final NETWORK error that leaves no send-once intent; SSL_CERT_FILE or a
/// profile's ca_file makes the same server trusted.
final class TLSEndToEndTests: XCTestCase {
    var state: String!

    override func setUpWithError() throws {
        state = NSTemporaryDirectory() + "smsh-tls-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state + "/config/smsh", withIntermediateDirectories: true)
    }

    override func tearDown() { try? FileManager.default.removeItem(atPath: state) }

    func env(_ extra: [String: String] = [:]) -> [String: String] {
        var e = ["XDG_STATE_HOME": state!, "XDG_CONFIG_HOME": state + "/config", "SMSH_API_KEY": "sk_test_tls"]
        e["SSL_CERT_FILE"] = ""
        for (k, v) in extra { e[k] = v }
        return e
    }

    let once = #"local r = sms.send{sender = "SMSHDEMO", content = "nightly", msisdns = {"0812345678"}, once = "tls-1"} print(r.uuid)"#

    func testUntrustedCertificateFailsOnceClearlyAndLeavesNoIntent() throws {
        let server = try TLSTestServer()
        defer { server.stop() }
        let r = try SmshProcess.run(["-e", once], env: env(["SMSH_BASE_URL": server.baseURL]))
        XCTAssertEqual(r.status, 6, "NETWORK is 'provider unavailable': \(r.stderr)")
        XCTAssertTrue(r.stderr.contains("NETWORK: TLS: certificate of 127.0.0.1 not trusted"), r.stderr)
        for word in ["NIOSSL", "BoringSSL", "handshakeFailed", ".cc:", "attempts", "JOURNAL_UNCERTAIN"] {
            XCTAssertFalse(r.stderr.contains(word), "\(word) in \(r.stderr)")
        }
        let list = try SmshProcess.run(["journal", "list"], env: env())
        XCTAssertFalse(list.stdout.contains("\tintent\t"), list.stdout)
        // The next night is not blocked: the same clear error again, not JOURNAL_UNCERTAIN.
        let again = try SmshProcess.run(["-e", once], env: env(["SMSH_BASE_URL": server.baseURL]))
        XCTAssertEqual(again.status, 6)
        XCTAssertTrue(again.stderr.contains("TLS: certificate of 127.0.0.1 not trusted"), again.stderr)
    }

    func testSSLCertFileOrProfileCAFileTrustsThePrivateCA() throws {
        let server = try TLSTestServer()
        defer { server.stop() }
        // s_server -www answers with an HTML page: BAD_RESPONSE means the handshake passed.
        let viaEnv = try SmshProcess.run(["-e", "print(sms.credit().balance)"],
                                         env: env(["SMSH_BASE_URL": server.baseURL, "SSL_CERT_FILE": server.caFile]))
        XCTAssertTrue(viaEnv.stderr.contains("BAD_RESPONSE"), viaEnv.stderr)
        XCTAssertFalse(viaEnv.stderr.contains("TLS"), viaEnv.stderr)

        let config = state + "/config/smsh/config.toml"
        try "[profiles.corp]\nbase_url = \"\(server.baseURL)\"\nca_file = \"\(server.caFile)\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(config, 0o600), 0)
        let viaProfile = try SmshProcess.run(["--profile", "corp", "-e", "print(sms.credit().balance)"], env: env())
        XCTAssertTrue(viaProfile.stderr.contains("BAD_RESPONSE"), viaProfile.stderr)
        let show = try SmshProcess.run(["config", "show", "--profile", "corp"], env: env())
        XCTAssertTrue(show.stdout.contains("ca_file"), show.stdout)
        XCTAssertTrue(show.stdout.contains("(profile corp: ca_file)"), show.stdout)
    }

    /// Issue 22, point 8: many machines set SSL_CERT_FILE to the system bundle; a profile's
    /// ca_file must still be trusted (together with it), not dropped.
    func testProfileCAFileIsTrustedWhileSSLCertFileNamesTheSystemBundle() throws {
        let bundle = "/etc/ssl/certs/ca-certificates.crt"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: bundle), "no system CA bundle (apt ca-certificates)")
        let server = try TLSTestServer(files: ["api/v2/credit": #"{"balance": 77, "currency": "credits"}"#])
        defer { server.stop() }
        let config = state + "/config/smsh/config.toml"
        try "[profiles.corp]\nbase_url = \"\(server.baseURL)\"\nca_file = \"\(server.caFile)\"\n"
            .write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(config, 0o600), 0)
        let r = try SmshProcess.run(["--profile", "corp", "-e", "print(sms.credit().balance)"], env: env(["SSL_CERT_FILE": bundle]))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "77\n")
        // The system bundle alone does not trust the private CA.
        let without = try SmshProcess.run(["-e", "print(sms.credit().balance)"],
                                          env: env(["SMSH_BASE_URL": server.baseURL, "SSL_CERT_FILE": bundle]))
        XCTAssertTrue(without.stderr.contains("TLS: certificate of 127.0.0.1 not trusted"), without.stderr)
    }
}
