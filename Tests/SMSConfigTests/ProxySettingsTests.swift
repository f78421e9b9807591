import XCTest

@testable import SMSConfig

/// Which proxy a base URL uses and why: the environment conventions with curl's precedence,
/// NO_PROXY's forms, a profile's `proxy`/`no_proxy`, proxy URLs and their masking; and
/// `ca_file` trusted together with `SSL_CERT_FILE`.
final class ProxySettingsTests: XCTestCase {
    let paths = ConfigPaths(environment: ["HOME": "/home/ann", "XDG_CONFIG_HOME": "/home/ann/.config"])

    func resolve(_ toml: String = "", profile: String? = nil, baseURL: String? = nil, env: [String: String] = [:]) throws -> EffectiveConfig {
        try EffectiveConfig.resolve(commandLine: CommandLineSettings(profile: profile, baseURL: baseURL),
                                    environment: Environment(env), file: try ConfigFile.parse(toml), paths: paths)
    }

    // MARK: proxy URLs

    func testProxyURLIsParsedPercentDecodedAndMasked() throws {
        let url = try ProxyURL.parse("http://alice:p%40ss%3Aw0rd@proxy.corp:8080/").get()
        XCTAssertEqual(url, ProxyURL(host: "proxy.corp", port: 8080, username: "alice", password: "p@ss:w0rd"))
        XCTAssertEqual(url.masked, "http://alice:***@proxy.corp:8080")
        // curl's defaults: no scheme means http, no port means 1080.
        XCTAssertEqual(try ProxyURL.parse("proxy.corp").get(), ProxyURL(host: "proxy.corp", port: 1080))
        XCTAssertEqual(try ProxyURL.parse("http://[::1]:3128").get().masked, "http://[::1]:3128")
        XCTAssertEqual(try ProxyURL.parse("http://bob@p:1").get().masked, "http://bob@p:1")
        // `+` is not a space in user info.
        XCTAssertEqual(try ProxyURL.parse("http://a:x+y@p:1").get().password, "x+y")
    }

    func testUnusableProxyURLsSayWhyWithoutThePassword() {
        for (text, reason) in [
            ("socks5://u:topsecret@p:1080", "scheme 'socks5://' is not supported (only http:// proxies)"),
            ("https://u:topsecret@p:443", "scheme 'https://' is not supported (only http:// proxies)"),
            ("http://u:topsecret@p:99999", "port '99999' is not a number from 1 to 65535"),
            ("http://u:topsecret@:8080", "no host"),
        ] {
            guard case .failure(let e) = ProxyURL.parse(text) else { return XCTFail(text) }
            XCTAssertEqual(e.reason, reason)
            XCTAssertFalse(e.reason.contains("topsecret"))
        }
    }

    // MARK: environment

    func testSchemeSelectsTheVariableLowercaseFirstThenALLPROXY() throws {
        let env = ["https_proxy": "http://lower:1", "HTTPS_PROXY": "http://upper:2", "http_proxy": "http://plain:3",
                   "ALL_PROXY": "http://all:4"]
        XCTAssertEqual(try resolve(env: env).proxy, .proxy(ProxyURL(host: "lower", port: 1), source: .environment("https_proxy")))
        var upper = env
        upper["https_proxy"] = nil
        XCTAssertEqual(try resolve(env: upper).proxy, .proxy(ProxyURL(host: "upper", port: 2), source: .environment("HTTPS_PROXY")))
        // An http base URL uses http_proxy, never HTTPS_PROXY.
        XCTAssertEqual(try resolve(baseURL: "http://127.0.0.1:8080", env: env).proxy,
                       .proxy(ProxyURL(host: "plain", port: 3), source: .environment("http_proxy")))
        XCTAssertEqual(try resolve(baseURL: "http://127.0.0.1:8080", env: ["HTTP_PROXY": "http://p:5", "HTTPS_PROXY": "http://q:6"]).proxy,
                       .proxy(ProxyURL(host: "p", port: 5), source: .environment("HTTP_PROXY")))
        XCTAssertEqual(try resolve(env: ["ALL_PROXY": "http://all:4", "all_proxy": "http://little:7"]).proxy,
                       .proxy(ProxyURL(host: "little", port: 7), source: .environment("all_proxy")))
        XCTAssertEqual(try resolve(env: ["HTTPS_PROXY": ""]).proxy, .direct(reason: "no proxy set", source: .builtIn))
        XCTAssertEqual(try resolve().proxy, .direct(reason: "no proxy set", source: .builtIn))
    }

    func testNoProxyLowercaseFirstAndNamedInTheReason() throws {
        let c = try resolve(baseURL: "https://api.corp.example:8443",
                            env: ["HTTPS_PROXY": "http://p:1", "no_proxy": ".corp.example", "NO_PROXY": "other"])
        XCTAssertEqual(c.proxy, .direct(reason: "'.corp.example' in $no_proxy matches api.corp.example", source: .environment("no_proxy")))
        XCTAssertEqual(c.noProxy, Setting(".corp.example", .environment("no_proxy")))
        XCTAssertEqual(try resolve(env: ["HTTPS_PROXY": "http://p:1", "NO_PROXY": "*"]).proxy,
                       .direct(reason: "'*' in $NO_PROXY matches me-sms.com", source: .environment("NO_PROXY")))
    }

    func testNoProxyForms() {
        func match(_ list: String, _ host: String, _ port: Int = 443) -> Bool { NoProxyList(list).match(host: host, port: port) != nil }
        // Domains: the name and its subdomains, with or without a leading dot; never a mere suffix.
        XCTAssertTrue(match("example.com", "example.com"))
        XCTAssertTrue(match("example.com", "api.example.com"))
        XCTAssertTrue(match(".example.com", "api.example.com"))
        XCTAssertTrue(match(".example.com", "example.com"))
        XCTAssertFalse(match("example.com", "badexample.com"))
        XCTAssertTrue(match("Example.COM", "api.example.com"))
        // Lists: commas and spaces, empty entries ignored.
        XCTAssertTrue(match("localhost, ,corp.internal", "db.corp.internal"))
        XCTAssertTrue(match("*", "anything"))
        XCTAssertFalse(match("", "anything"))
        // IP addresses and CIDR ranges, v4 and v6.
        XCTAssertTrue(match("127.0.0.1", "127.0.0.1"))
        XCTAssertFalse(match("127.0.0.1", "127.0.0.2"))
        XCTAssertTrue(match("10.0.0.0/8", "10.20.30.40"))
        XCTAssertFalse(match("10.0.0.0/8", "11.0.0.1"))
        XCTAssertTrue(match("192.168.1.0/24", "192.168.1.77"))
        XCTAssertFalse(match("192.168.1.0/24", "192.168.2.1"))
        XCTAssertTrue(match("::1", "::1"))
        XCTAssertTrue(match("fd00::/8", "fd12:3456::1"))
        XCTAssertFalse(match("fd00::/8", "fe80::1"))
        XCTAssertFalse(match("10.0.0.0/8", "ten.example"))
        // Ports: an entry with a port matches that port only.
        XCTAssertTrue(match("localhost:8080", "localhost", 8080))
        XCTAssertFalse(match("localhost:8080", "localhost", 8081))
        XCTAssertTrue(match("[::1]:8443", "::1", 8443))
        XCTAssertFalse(match("[::1]:8443", "::1", 443))
        XCTAssertTrue(match("127.0.0.1:9000", "127.0.0.1", 9000))
    }

    // MARK: profile

    func testProfileProxyBeatsTheEnvironmentAndEmptyTurnsItOff() throws {
        let toml = """
            [profiles.corp]
            proxy = "http://bob:pw@corp-proxy:3128"
            no_proxy = "localhost"
            [profiles.direct]
            proxy = ""
            """
        let env = ["HTTPS_PROXY": "http://env:1", "NO_PROXY": "me-sms.com"]
        let corp = try resolve(toml, profile: "corp", env: env)
        XCTAssertEqual(corp.proxy, .proxy(ProxyURL(host: "corp-proxy", port: 3128, username: "bob", password: "pw"),
                                          source: .profile("corp", detail: "proxy")))
        XCTAssertEqual(corp.noProxy, Setting("localhost", .profile("corp", detail: "no_proxy")))
        XCTAssertEqual(corp.proxy.summary, "http://bob:***@corp-proxy:3128 (from profile corp: proxy)")
        XCTAssertEqual(try resolve(toml, profile: "direct", env: env).proxy, .direct(reason: "proxy = \"\" in profile direct", source: .profile("direct", detail: "proxy")))
    }

    func testBadProfileProxyIsAConfigErrorNamingTheKey() {
        XCTAssertThrowsError(try ConfigFile.parse("[profiles.p]\nproxy = \"socks5://u:topsecret@h:1\"\n")) { error in
            let text = "\(error)"
            XCTAssertTrue(text.contains("'proxy' in [profiles.p] is not a usable proxy URL: scheme 'socks5://' is not supported"), text)
            XCTAssertFalse(text.contains("topsecret"), text)
        }
    }

    func testBadEnvironmentProxyIsReportedWithoutThePassword() throws {
        let c = try resolve(env: ["HTTPS_PROXY": "http://u:topsecret@h:notaport"])
        guard case .invalid(let message, let source) = c.proxy else { return XCTFail("\(c.proxy)") }
        XCTAssertEqual(source, .environment("HTTPS_PROXY"))
        XCTAssertEqual(message, "the proxy in $HTTPS_PROXY is not a usable URL: port 'notaport' is not a number from 1 to 65535")
    }

    // MARK: CA files (issue 22, point 8)

    func testCAFileIsTrustedTogetherWithSSLCertFile() throws {
        let toml = "[profiles.corp]\nca_file = \"corp-ca.pem\"\n"
        let c = try resolve(toml, profile: "corp", env: ["SSL_CERT_FILE": "/etc/ssl/certs/ca-certificates.crt"])
        XCTAssertEqual(c.caFile, Setting("/home/ann/.config/smsh/corp-ca.pem", .profile("corp", detail: "ca_file")))
        XCTAssertEqual(c.sslCertFile, Setting("/etc/ssl/certs/ca-certificates.crt", .environment("SSL_CERT_FILE")))
        XCTAssertEqual(c.extraCAFiles, ["/home/ann/.config/smsh/corp-ca.pem", "/etc/ssl/certs/ca-certificates.crt"])
        XCTAssertEqual(try resolve(env: ["SSL_CERT_FILE": "/x.pem"]).extraCAFiles, ["/x.pem"])
        XCTAssertEqual(try resolve(toml, profile: "corp", env: ["SSL_CERT_FILE": ""]).extraCAFiles, ["/home/ann/.config/smsh/corp-ca.pem"])
    }
}
