import Foundation
import TLSTestSupport
import XCTest

/// The built binary behind Debian's tinyproxy (started here on a loopback port with
/// BasicAuth and a log file): its log proves which requests went through it. Credit and a
/// send over http, NO_PROXY going direct, an https base URL through CONNECT to `openssl
/// s_server` trusted with `ca_file` while SSL_CERT_FILE names the system bundle, a wrong
/// password, a dead proxy, and a once-send refused by the proxy followed by a run that sends.
final class ProxyEndToEndTests: XCTestCase {
    static let key = "sk_test_proxy"
    var home: ScratchHome!
    var proxy: TinyproxyServer!
    var server: ServeProcess!

    override func setUpWithError() throws {
        home = try ScratchHome(tag: "proxy")
        proxy = try TinyproxyServer()
        server = try ServeProcess(apiKey: Self.key, log: home.path + "/serve.log")
    }

    override func tearDown() {
        server?.stop()
        proxy?.remove()
        home?.remove()
    }

    /// The scratch home, the key, `base` as SMSH_BASE_URL, every proxy variable cleared (the
    /// machine's own must not leak in), then `extra`.
    func env(base: String? = nil, _ extra: [String: String] = [:]) -> [String: String] {
        var e = home.env(api: ["SMSH_API_KEY": Self.key, "SMSH_BASE_URL": base ?? server.baseURL])
        for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY", "no_proxy", "NO_PROXY"] {
            e[name] = ""
        }
        for (k, v) in extra { e[k] = v }
        return e
    }

    func testCreditAndSendOverHTTPGoThroughTheProxyAndNOPROXYGoesDirect() throws {
        let via = env(["HTTP_PROXY": proxy.url()])
        let credit = try SmshProcess.run(["credit", "-o", "json"], env: via)
        XCTAssertEqual(credit.status, 0, credit.stderr)
        XCTAssertTrue(credit.stdout.contains("\"balance\""), credit.stdout)
        let send = try SmshProcess.run(["send", "--sender", "SMSHDEMO", "--text", "via proxy", "--to", "0812345678", "-o", "json"], env: via)
        XCTAssertEqual(send.status, 0, send.stderr)
        XCTAssertTrue(send.stdout.contains("\"uuid\""), send.stdout)
        var requests = proxy.requests
        XCTAssertTrue(requests.contains("GET \(server.baseURL)/api/v2/credit HTTP/1.1"), "\(requests)")
        XCTAssertTrue(requests.contains("POST \(server.baseURL)/api/v2/sms/send HTTP/1.1"), "\(requests)")
        XCTAssertEqual(requests.count, 2, "\(requests)")

        // NO_PROXY (an IP, a CIDR range, host:port) sends it straight to the API.
        let port = server.baseURL.split(separator: ":").last!
        for entry in ["127.0.0.1", "example.com, 127.0.0.0/8", "127.0.0.1:\(port)"] {
            let direct = try SmshProcess.run(["credit", "-o", "json"], env: env(["HTTP_PROXY": proxy.url(), "NO_PROXY": entry]))
            XCTAssertEqual(direct.status, 0, direct.stderr)
        }
        requests = proxy.requests
        XCTAssertEqual(requests.count, 2, "NO_PROXY requests must not reach the proxy: \(requests)")
        // HTTPS_PROXY is for https base URLs only.
        let other = try SmshProcess.run(["credit"], env: env(["HTTPS_PROXY": proxy.url()]))
        XCTAssertEqual(other.status, 0, other.stderr)
        XCTAssertEqual(proxy.requests.count, 2)
    }

    func testHTTPSGoesThroughCONNECTWithCAFileTrustedBesideTheSystemBundle() throws {
        let bundle = "/etc/ssl/certs/ca-certificates.crt"
        try XCTSkipUnless(FileManager.default.fileExists(atPath: bundle), "no system CA bundle (apt ca-certificates)")
        let tls = try TLSTestServer(files: ["api/v2/credit": #"{"balance": 4321, "currency": "credits"}"#])
        defer { tls.stop() }
        let config = home.path + "/.config/smsh/config.toml"
        try "[profiles.corp]\nbase_url = \"\(tls.baseURL)\"\nca_file = \"\(tls.caFile)\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(config, 0o600), 0)
        // As on an operator's machine: SSL_CERT_FILE names the system bundle.
        let e = env(base: "", ["HTTPS_PROXY": proxy.url(), "SSL_CERT_FILE": bundle])
        let r = try SmshProcess.run(["--profile", "corp", "-e", "print(sms.credit().balance)"], env: e)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "4321\n")
        XCTAssertTrue(proxy.requests.contains("CONNECT 127.0.0.1:\(tls.port) HTTP/1.1"), "\(proxy.requests)")

        let show = try SmshProcess.run(["config", "show", "--profile", "corp"], env: e)
        XCTAssertTrue(show.stdout.contains("(profile corp: ca_file)"), show.stdout)
        XCTAssertTrue(show.stdout.contains("\(bundle) (trusted too)"), show.stdout)
        XCTAssertTrue(show.stdout.contains("http://alice:***@127.0.0.1:\(proxy.port)"), show.stdout)
        XCTAssertTrue(show.stdout.contains("($HTTPS_PROXY)"), show.stdout)
        XCTAssertFalse(show.stdout.contains(proxy.password), show.stdout)
    }

    func testWrongPasswordAndDeadProxyAreOneLineProxyErrorsWithTheirExitCode() throws {
        let wrong = try SmshProcess.run(["credit"], env: env(["HTTP_PROXY": proxy.url(password: "wr0ng-pass")]))
        XCTAssertEqual(wrong.status, 10, wrong.stderr)
        XCTAssertEqual(wrong.stderr,
                       "smsh: PROXY: proxy http://alice:***@127.0.0.1:\(proxy.port) refused the user and password (401 Unauthorized)\n")

        let dead = try freeLoopbackPort()
        let unreachable = try SmshProcess.run(["-e", "print(sms.credit().balance)"],
                                              env: env(["http_proxy": "http://alice:wr0ng-pass@127.0.0.1:\(dead)"]))
        XCTAssertEqual(unreachable.status, 10, unreachable.stderr)
        XCTAssertTrue(unreachable.stderr.hasPrefix(
            "smsh: PROXY: proxy http://alice:***@127.0.0.1:\(dead) unreachable: connection refused"), unreachable.stderr)
        for r in [wrong, unreachable] {
            XCTAssertFalse(r.stderr.contains("wr0ng-pass"), r.stderr)
            XCTAssertFalse(r.stderr.contains("attempts"), "not retried as an outage: \(r.stderr)")
        }
        // An unusable proxy URL is a PROXY error too, naming the variable, never the password.
        let bad = try SmshProcess.run(["credit"], env: env(["HTTP_PROXY": "socks5://alice:wr0ng-pass@127.0.0.1:1"]))
        XCTAssertEqual(bad.status, 10, bad.stderr)
        XCTAssertTrue(bad.stderr.contains("the proxy in $HTTP_PROXY is not a usable URL: scheme 'socks5://' is not supported"), bad.stderr)
        XCTAssertFalse(bad.stderr.contains("wr0ng-pass"), bad.stderr)
    }

    func testOnceSendRefusedByTheProxyLeavesNoUncertainKeyAndTheNextRunSends() throws {
        let script = #"local r = sms.send{sender = "SMSHDEMO", content = "nightly", msisdns = {"0812345678"}, once = "proxy-once-1"} print(r.uuid, r.replayed)"#
        let refused = try SmshProcess.run(["-e", script], env: env(["HTTP_PROXY": proxy.url(password: "wr0ng-pass")]))
        XCTAssertEqual(refused.status, 10, refused.stderr)
        XCTAssertTrue(refused.stderr.contains("PROXY"), refused.stderr)
        XCTAssertFalse(refused.stderr.contains("JOURNAL_UNCERTAIN"), refused.stderr)
        let list = try SmshProcess.run(["journal", "list"], env: env())
        XCTAssertFalse(list.stdout.split(separator: "\n").contains { $0.contains("proxy-once-1") && $0.contains("intent") }, list.stdout)

        let sent = try SmshProcess.run(["-e", script], env: env(["HTTP_PROXY": proxy.url()]))
        XCTAssertEqual(sent.status, 0, sent.stderr)
        XCTAssertTrue(sent.stdout.hasSuffix("\tfalse\n"), sent.stdout)
        // tinyproxy logs the refused request line too; the provider holds one message only.
        XCTAssertEqual(proxy.requests.filter { $0.hasPrefix("POST ") }.count, 2, "\(proxy.requests)")
        let messages = try SmshProcess.run(["messages", "-o", "json"], env: env())
        let data = (try JSONSerialization.jsonObject(with: Data(messages.stdout.utf8)) as? [String: Any])?["data"] as? [Any]
        XCTAssertEqual(data?.count, 1, messages.stdout + messages.stderr)
        let after = try SmshProcess.run(["journal", "list"], env: env())
        XCTAssertTrue(after.stdout.split(separator: "\n").contains { $0.contains("proxy-once-1") && $0.contains("done") }, after.stdout)
    }

    func testConfigShowAndVerboseSayWhichProxyAndWhy() throws {
        let e = env(["http_proxy": proxy.url(), "HTTP_PROXY": "http://ignored:1"])
        let show = try SmshProcess.run(["config", "show"], env: e)
        XCTAssertEqual(show.status, 0, show.stderr)
        let line = show.stdout.split(separator: "\n").first { $0.hasPrefix("proxy ") } ?? ""
        XCTAssertTrue(line.contains("http://alice:***@127.0.0.1:\(proxy.port)") && line.contains("($http_proxy)"), show.stdout)
        XCTAssertFalse(show.stdout.contains(proxy.password), show.stdout)

        let traced = try SmshProcess.run(["run", "--verbose", "-e", "print(sms.credit().balance)"], env: e)
        XCTAssertEqual(traced.status, 0, traced.stderr)
        XCTAssertTrue(traced.stderr.contains("DEBUG proxy http://alice:***@127.0.0.1:\(proxy.port) (from $http_proxy)"), traced.stderr)
        XCTAssertTrue(traced.stderr.contains("DEBUG http GET \(server.baseURL)/api/v2/credit -> 200"), traced.stderr)
        XCTAssertFalse(traced.stderr.contains(proxy.password), traced.stderr)

        let json = try SmshProcess.run(["run", "--verbose", "--log-format", "json", "-e", "print(sms.credit().balance)"], env: e)
        XCTAssertTrue(json.stderr.contains(#""msg":"proxy","proxy":"http://alice:***@127.0.0.1:\#(proxy.port)","reason":"from $http_proxy""#), json.stderr)

        // A recording through the proxy: the cassette never holds the proxy or its password.
        let cassette = home.path + "/proxied.json"
        let recorded = try SmshProcess.run(["run", "--record", cassette, "-e", "print(sms.credit().balance)"], env: e)
        XCTAssertEqual(recorded.status, 0, recorded.stderr)
        let text = try String(contentsOfFile: cassette, encoding: .utf8)
        XCTAssertTrue(text.contains("/api/v2/credit"), text)
        XCTAssertFalse(text.contains(proxy.password), text)
        XCTAssertFalse(text.contains("proxy-authorization"), text)

        let direct = env(["HTTP_PROXY": proxy.url(), "no_proxy": "127.0.0.1"])
        let showDirect = try SmshProcess.run(["config", "show"], env: direct)
        XCTAssertTrue(showDirect.stdout.contains("(none: '127.0.0.1' in $no_proxy matches 127.0.0.1)"), showDirect.stdout)
        let directLine = showDirect.stdout.split(separator: "\n").first { $0.hasPrefix("proxy ") } ?? ""
        XCTAssertTrue(directLine.hasSuffix("($no_proxy)"), "the source column names what sent it direct: \(showDirect.stdout)")
        let tracedDirect = try SmshProcess.run(["run", "--verbose", "-e", "print(sms.credit().balance)"], env: direct)
        XCTAssertTrue(tracedDirect.stderr.contains("DEBUG proxy none ('127.0.0.1' in $no_proxy matches 127.0.0.1)"), tracedDirect.stderr)
    }
}
