#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSClient

/// A Pushgateway (`--metrics-push URL`, a profile's `metrics_push`): its base URL, where a
/// run's figures go under job `smsh` and the grouping label `script`.
///
/// How a push keeps the last success: a run that ended with 0 replaces the whole group (PUT)
/// and carries `smsh_last_success_timestamp_seconds`; a failed run pushes with POST, which
/// replaces only the metrics it carries, and leaves that one out, so the Pushgateway keeps the
/// last success's time (the pattern the Prometheus Java client documents for batch jobs).
public struct Pushgateway: Sendable, Equatable {
    /// The URL as given (may hold `user:password@`).
    public let url: String
    /// scheme://host:port/prefix without the credentials and without a trailing `/`.
    public let base: String
    let username: String?
    let password: String?

    /// Why `url` cannot be a Pushgateway base URL, or nil.
    public static func problem(_ url: String) -> String? {
        let lower = url.lowercased()
        guard lower.hasPrefix("http://") || lower.hasPrefix("https://") else { return "it must start with http:// or https://" }
        if url.contains(where: \.isWhitespace) { return "it contains a space" }
        let rest = url.drop(while: { $0 != "/" }).dropFirst(2)
        let authority = rest.prefix(while: { $0 != "/" && $0 != "?" && $0 != "#" })
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        if host.isEmpty || host.hasPrefix(":") { return "it has no host" }
        if url.contains("?") || url.contains("#") { return "give the base URL only (no ?query or #fragment)" }
        return nil
    }

    public init?(_ url: String) {
        guard Self.problem(url) == nil else { return nil }
        self.url = url
        let schemeEnd = url.firstRange(of: "://")!.upperBound
        let scheme = url[..<schemeEnd]
        var rest = url[schemeEnd...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        var authority = rest[..<authorityEnd]
        var user: String?
        var pass: String?
        if let at = authority.lastIndex(of: "@") {
            let info = authority[..<at]
            if let colon = info.firstIndex(of: ":") {
                user = Self.percentDecoded(String(info[..<colon]))
                pass = Self.percentDecoded(String(info[info.index(after: colon)...]))
            } else {
                user = Self.percentDecoded(String(info))
            }
            authority = authority[authority.index(after: at)...]
        }
        rest = rest[authorityEnd...]
        var base = String(scheme) + authority + rest
        while base.hasSuffix("/") { base.removeLast() }
        self.base = base
        username = user
        password = pass
    }

    /// The URL for messages: a password shown as `***`.
    public var masked: String { Self.masked(url) }

    /// `url` with the password of its `user:password@` part as `***`.
    public static func masked(_ url: String) -> String {
        guard let schemeEnd = url.firstRange(of: "://")?.upperBound else { return url }
        let rest = url[schemeEnd...]
        let authorityEnd = rest.firstIndex(of: "/") ?? rest.endIndex
        let authority = rest[..<authorityEnd]
        guard let at = authority.lastIndex(of: "@") else { return url }
        let info = authority[..<at]
        let shown: String = info.firstIndex(of: ":").map { String(info[..<$0]) + ":***" } ?? String(info)
        let scheme = String(url[..<schemeEnd])
        return scheme + shown + String(rest[at...])
    }

    /// `/metrics/job/smsh/script/NAME`, NAME percent-encoded (the Pushgateway decodes it).
    public static func groupPath(script: String) -> String {
        "/metrics/job/smsh/script/" + encodedSegment(script.isEmpty ? "-" : script)
    }

    /// Pushes `metrics` for `script`: PUT after a success (the group replaced), POST without
    /// the last-success gauge after a failure. Throws `PushFailure` with what went wrong.
    public func push(_ metrics: RunMetrics, script: String, timeout: Double = 10, caFiles: [String] = []) throws {
        let method = metrics.exitCode == 0 ? "PUT" : "POST"
        var headers = ["content-type": "text/plain; version=0.0.4; charset=utf-8"]
        if let username {
            let token = Data((username + ":" + (password ?? "")).utf8).base64EncodedString()
            headers["authorization"] = "Basic " + token
        }
        let transport = HTTPTransport(baseURL: base, connectTimeout: timeout, readTimeout: timeout, caFiles: caFiles)
        defer { transport.shutdown() }
        let request = TransportRequest(method: method, path: Self.groupPath(script: script), headers: headers,
                                       encodedBody: metrics.text())
        let response: TransportResponse
        do {
            response = try transport.roundTrip(request)
        } catch let failure as TransportFailure {
            throw PushFailure(message: Self.describe(failure))
        }
        guard (200..<300).contains(response.status) else {
            let text = String(String(decoding: response.body.prefix(300), as: UTF8.self)
                .split(whereSeparator: \.isWhitespace).joined(separator: " "))
            throw PushFailure(message: "HTTP \(response.status)" + (text.isEmpty ? "" : ": \(text)"))
        }
    }

    static func describe(_ failure: TransportFailure) -> String { failure.description }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)

    static func encodedSegment(_ s: String) -> String {
        var out = ""
        for b in s.utf8 {
            if unreserved.contains(b) {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                let hex = String(b, radix: 16, uppercase: true)
                out += "%" + (hex.count == 1 ? "0" + hex : hex)
            }
        }
        return out
    }

    static func percentDecoded(_ s: String) -> String {
        var bytes: [UInt8] = []
        var it = Array(s.utf8)[...]
        while let b = it.popFirst() {
            if b == UInt8(ascii: "%"), it.count >= 2, let v = UInt8(String(decoding: it.prefix(2), as: UTF8.self), radix: 16) {
                bytes.append(v)
                it = it.dropFirst(2)
            } else {
                bytes.append(b)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// Why a push did not arrive (the URL is named by the caller, masked).
public struct PushFailure: Error, Sendable, Equatable {
    public let message: String
}
