/// An HTTP proxy as `HTTPS_PROXY`, `HTTP_PROXY`, `ALL_PROXY` or a profile's `proxy` names it:
/// `http://user:pass@host:port` (scheme optional, as curl takes it; user info percent-decoded).
/// Only `http://` proxies are supported: the connection to the proxy is plain text, and an
/// https base URL still runs TLS end to end with the provider through `CONNECT`.
public struct ProxyURL: Equatable, Sendable, CustomStringConvertible {
    /// Host name or IP address (an IPv6 address without its brackets).
    public var host: String
    public var port: Int
    public var username: String?
    public var password: String?

    /// curl's default port for a proxy given without one.
    public static let defaultPort = 1080

    public init(host: String, port: Int, username: String? = nil, password: String? = nil) {
        self.host = host
        self.port = port
        self.username = username
        self.password = password
    }

    /// `http://user:***@host:port`: the password never shows.
    public var masked: String {
        var out = "http://"
        if let username {
            out += username
            if password != nil { out += ":***" }
            out += "@"
        }
        out += (host.contains(":") ? "[\(host)]" : host) + ":\(port)"
        return out
    }

    public var description: String { masked }

    /// Parses a proxy URL; the error text never contains the password.
    public static func parse(_ text: String) -> Result<ProxyURL, ProxyURLError> {
        var rest = Substring(text.trimmingWhitespace)
        if let schemeEnd = rest.firstRange(of: "://") {
            let scheme = rest[..<schemeEnd.lowerBound].lowercased()
            guard scheme == "http" else {
                return .failure(ProxyURLError(reason: "scheme '\(scheme)://' is not supported (only http:// proxies)"))
            }
            rest = rest[schemeEnd.upperBound...]
        }
        // Authority ends at the first '/', '?' or '#'; a path ("/") is ignored as curl does.
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        var username: String?
        var password: String?
        if let at = rest.lastIndex(of: "@") {
            let info = rest[..<at]
            rest = rest[rest.index(after: at)...]
            if let colon = info.firstIndex(of: ":") {
                username = percentDecoded(info[..<colon])
                password = percentDecoded(info[info.index(after: colon)...])
            } else {
                username = percentDecoded(info)
            }
            if username?.isEmpty == true && password == nil { username = nil }
        }
        var host: Substring
        var portText: Substring?
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { return .failure(ProxyURLError(reason: "unclosed '[' in the host")) }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":") { portText = after.dropFirst() } else if !after.isEmpty {
                return .failure(ProxyURLError(reason: "unexpected text after the host"))
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { return .failure(ProxyURLError(reason: "no host")) }
        guard host.allSatisfy({ !$0.isWhitespace }) else { return .failure(ProxyURLError(reason: "the host contains a space")) }
        var port = defaultPort
        if let portText {
            guard let p = Int(portText), (1...65535).contains(p) else {
                return .failure(ProxyURLError(reason: "port '\(portText)' is not a number from 1 to 65535"))
            }
            port = p
        }
        return .success(ProxyURL(host: String(host), port: port, username: username, password: password))
    }

    /// `%XX` escapes decoded (not `+`: user info is not form-encoded).
    static func percentDecoded(_ s: Substring) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(s.utf8)
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "%"), i + 2 < utf8.count,
                let v = UInt8(String(decoding: utf8[(i + 1)...(i + 2)], as: UTF8.self), radix: 16) {
                bytes.append(v)
                i += 3
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a proxy URL cannot be used (never quotes the URL: it may hold a password).
public struct ProxyURLError: Error, Equatable, Sendable {
    public var reason: String
}

/// Which proxy (if any) requests to the base URL use, and why.
public enum ProxyRoute: Equatable, Sendable {
    /// Straight to the API: no proxy is set, `proxy = ""`, or NO_PROXY matches; `source`
    /// names the setting that made it so (built in when nothing is set).
    case direct(reason: String, source: SettingSource)
    /// Through this proxy; `source` names the variable or profile key.
    case proxy(ProxyURL, source: SettingSource)
    /// A proxy is set but cannot be parsed: every request fails with this message.
    case invalid(message: String, source: SettingSource)

    public var proxyURL: ProxyURL? {
        if case .proxy(let url, _) = self { return url }
        return nil
    }

    /// One line for `smsh config show` and `--verbose`: `http://u:***@h:p (from $HTTPS_PROXY)`.
    public var summary: String {
        switch self {
        case .direct(let reason, _): return "none (\(reason))"
        case .proxy(let url, let source): return "\(url.masked) (from \(source))"
        case .invalid(let message, _): return "invalid: \(message)"
        }
    }
}

/// The environment conventions curl, Python requests and the AWS CLI share, with curl's
/// precedence (lowercase first): `https_proxy`/`HTTPS_PROXY` for https base URLs,
/// `http_proxy`/`HTTP_PROXY` for http ones, then `all_proxy`/`ALL_PROXY`; `no_proxy`/`NO_PROXY`
/// lists hosts that go direct. A profile's `proxy` (any scheme; `""` = none) and `no_proxy`
/// beat the environment: they are the more specific setting.
public enum ProxyResolver {
    /// The variables consulted for a base URL scheme, in order.
    public static func variables(forScheme scheme: String) -> [String] {
        let first = scheme == "https" ? ["https_proxy", "HTTPS_PROXY"] : ["http_proxy", "HTTP_PROXY"]
        return first + ["all_proxy", "ALL_PROXY"]
    }

    /// The route for `baseURL`; `profileName` names the profile whose keys are given.
    public static func route(baseURL: String, environment env: Environment, profileName: String,
                             profileProxy: String?, profileNoProxy: String?) -> (ProxyRoute, noProxy: Setting<String?>) {
        func envValue(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        let target = TargetHost(baseURL: baseURL)

        var noProxy: Setting<String?> = Setting(nil, .builtIn)
        if let n = profileNoProxy {
            noProxy = Setting(n, .profile(profileName, detail: "no_proxy"))
        } else if let n = envValue("no_proxy") {
            noProxy = Setting(n, .environment("no_proxy"))
        } else if let n = envValue("NO_PROXY") {
            noProxy = Setting(n, .environment("NO_PROXY"))
        }

        let chosen: (String, SettingSource)
        if let p = profileProxy {
            if p.trimmingWhitespace.isEmpty {
                return (.direct(reason: "proxy = \"\" in profile \(profileName)", source: .profile(profileName, detail: "proxy")), noProxy)
            }
            chosen = (p, .profile(profileName, detail: "proxy"))
        } else if let name = variables(forScheme: target.scheme).first(where: { envValue($0) != nil }) {
            chosen = (envValue(name)!, .environment(name))
        } else {
            return (.direct(reason: "no proxy set", source: .builtIn), noProxy)
        }
        if let list = noProxy.value, let entry = NoProxyList(list).match(host: target.host, port: target.port) {
            return (.direct(reason: "\(entry == "*" ? "'*'" : "'\(entry)'") in \(noProxy.source) matches \(target.host)", source: noProxy.source), noProxy)
        }
        switch ProxyURL.parse(chosen.0) {
        case .success(let url): return (.proxy(url, source: chosen.1), noProxy)
        case .failure(let error): return (.invalid(message: "the proxy in \(chosen.1) is not a usable URL: \(error.reason)", source: chosen.1), noProxy)
        }
    }
}

/// Scheme, host and port of a base URL (`https://[::1]:8443/x` -> https, ::1, 8443).
struct TargetHost {
    var scheme: String
    var host: String
    var port: Int

    init(baseURL: String) {
        var rest = Substring(baseURL)
        scheme = "https"
        if let r = rest.firstRange(of: "://") {
            scheme = rest[..<r.lowerBound].lowercased()
            rest = rest[r.upperBound...]
        }
        if let end = rest.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) { rest = rest[..<end] }
        if let at = rest.lastIndex(of: "@") { rest = rest[rest.index(after: at)...] }
        port = scheme == "http" ? 80 : 443
        if rest.hasPrefix("["), let close = rest.firstIndex(of: "]") {
            host = String(rest[rest.index(after: rest.startIndex)..<close])
            let after = rest[rest.index(after: close)...]
            if after.hasPrefix(":"), let p = Int(after.dropFirst()) { port = p }
        } else if let colon = rest.lastIndex(of: ":") {
            host = String(rest[..<colon])
            if let p = Int(rest[rest.index(after: colon)...]) { port = p }
        } else {
            host = String(rest)
        }
        host = host.lowercased()
        while host.hasSuffix(".") { host.removeLast() }
    }
}

/// A `NO_PROXY` list as curl reads it: comma-separated entries; `*` matches every host; a
/// host name matches itself and its subdomains (`example.com` and `.example.com` both match
/// `api.example.com` and `example.com`); an IP address matches itself, and `10.0.0.0/8` or
/// `fd00::/8` match a CIDR range; `host:port` (or `[v6]:port`) matches that port only.
public struct NoProxyList: Sendable {
    let entries: [String]

    public init(_ list: String) {
        entries = list.split(whereSeparator: { $0 == "," || $0.isWhitespace }).map { String($0) }.filter { !$0.isEmpty }
    }

    /// The first entry matching `host` (lowercase, IPv6 without brackets) on `port`, or nil.
    public func match(host: String, port: Int) -> String? {
        let host = host.lowercased()
        for entry in entries {
            if entry == "*" { return entry }
            var name = Substring(entry.lowercased())
            var entryPort: Int?
            if name.hasPrefix("["), let close = name.firstIndex(of: "]") {
                let after = name[name.index(after: close)...]
                if after.hasPrefix(":") { entryPort = Int(after.dropFirst()) }
                name = name[name.index(after: name.startIndex)..<close]
            } else if name.filter({ $0 == ":" }).count == 1, let colon = name.firstIndex(of: ":"),
                let p = Int(name[name.index(after: colon)...]) {
                entryPort = p
                name = name[..<colon]
            }
            if let entryPort, entryPort != port { continue }
            if let slash = name.firstIndex(of: "/") {
                if let bits = Int(name[name.index(after: slash)...]), IPAddress.inRange(host, network: String(name[..<slash]), bits: bits) {
                    return entry
                }
                continue
            }
            if let a = IPAddress.bytes(String(name)) {
                if IPAddress.bytes(host) == a { return entry }
                continue
            }
            while name.hasPrefix(".") { name = name.dropFirst() }
            while name.hasSuffix(".") { name = name.dropLast() }
            guard !name.isEmpty else { continue }
            if host == name || host.hasSuffix("." + name) { return entry }
        }
        return nil
    }
}

/// IPv4 and IPv6 text as bytes, for NO_PROXY's addresses and CIDR ranges.
enum IPAddress {
    static func bytes(_ text: String) -> [UInt8]? {
        if let v4 = v4(Substring(text)) { return v4 }
        return v6(text)
    }

    static func inRange(_ host: String, network: String, bits: Int) -> Bool {
        guard let h = bytes(host), let n = bytes(network), h.count == n.count, bits >= 0, bits <= h.count * 8 else { return false }
        var left = bits
        for i in 0..<h.count where left > 0 {
            let take = min(8, left)
            let mask = UInt8(truncatingIfNeeded: 0xFF << (8 - take))
            if h[i] & mask != n[i] & mask { return false }
            left -= take
        }
        return true
    }

    private static func v4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var out: [UInt8] = []
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let v = UInt8(p) else { return nil }
            out.append(v)
        }
        return out
    }

    private static func v6(_ text: String) -> [UInt8]? {
        guard text.contains(":") else { return nil }
        var groups: [UInt16] = []
        var tail: [UInt8] = []
        var body = Substring(text)
        // An embedded IPv4 tail (::ffff:1.2.3.4).
        if let lastColon = body.lastIndex(of: ":"), body[body.index(after: lastColon)...].contains(".") {
            guard let v4 = v4(body[body.index(after: lastColon)...]) else { return nil }
            tail = v4
            body = body[...lastColon]
            if body.hasSuffix(":") && !body.hasSuffix("::") { body = body.dropLast() }
        }
        let halves = body.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func parse(_ s: String) -> [UInt16]? {
            if s.isEmpty { return [] }
            var out: [UInt16] = []
            for g in s.split(separator: ":", omittingEmptySubsequences: false) {
                guard !g.isEmpty, g.count <= 4, let v = UInt16(g, radix: 16) else { return nil }
                out.append(v)
            }
            return out
        }
        guard let head = parse(halves[0]) else { return nil }
        let want = tail.isEmpty ? 8 : 6
        if halves.count == 2 {
            guard let rest = parse(halves[1]), head.count + rest.count < want else { return nil }
            groups = head + Array(repeating: 0, count: want - head.count - rest.count) + rest
        } else {
            guard head.count == want else { return nil }
            groups = head
        }
        return groups.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } + tail
    }
}

extension Substring {
    fileprivate func components(separatedBy separator: String) -> [String] {
        var out: [String] = []
        var rest = self
        while let r = rest.firstRange(of: separator) {
            out.append(String(rest[..<r.lowerBound]))
            rest = rest[r.upperBound...]
        }
        out.append(String(rest))
        return out
    }
}

extension String {
    var trimmingWhitespace: String {
        String(drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
    }
}
