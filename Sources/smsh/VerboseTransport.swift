import Dispatch
import SMSClient
import SMSConfig
import LuaHost
import SMSLua

/// `--verbose`: one line on stderr per API round trip — time, method, URL, status (or the
/// failure), wall-clock duration and the request headers — in the session's log format
/// (`2026-11-29T11:50:01Z DEBUG http GET https://…/api/v2/credit -> 200 (41.2 ms) [headers]`).
/// Header values that carry a secret (`x-api-key`, `authorization`, cookies) are shown as
/// `[redacted]`, and any known secret is cut out of the whole line (a server could echo it).
final class VerboseTransport: Transport, @unchecked Sendable {
    let inner: Transport
    /// `http://127.0.0.1:8080`, or `sandbox:` for the in-process simulator.
    let origin: String
    let format: LogFormat
    /// The session clock, for the line's time (virtual in the sandbox, like `log.*` lines).
    let clock: SMSClock
    let secrets: [String]
    let write: (String) -> Void

    static let secretHeaders: Set<String> = ["x-api-key", "authorization", "proxy-authorization", "cookie", "set-cookie"]

    init(wrapping inner: Transport, origin: String, format: LogFormat, clock: SMSClock, secrets: [String],
         write: @escaping (String) -> Void = { writeToStandardError($0) }) {
        self.inner = inner
        self.origin = origin
        self.format = format
        self.clock = clock
        self.secrets = secrets.filter { !$0.isEmpty }
        self.write = write
    }

    func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
        let started = DispatchTime.now().uptimeNanoseconds
        let result = Result { try inner.roundTrip(request) }
        let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1_000_000
        let outcome: JSONValue
        switch result {
        case .success(let response): outcome = .int(Int64(response.status))
        case .failure(let error): outcome = .string("\(error)")
        }
        write(scrub(line(request, outcome: outcome, milliseconds: milliseconds)))
        return try result.get()
    }

    private func line(_ request: TransportRequest, outcome: JSONValue, milliseconds: Double) -> String {
        let url = origin + request.target
        var headers: [String: JSONValue] = [:]
        for (name, value) in request.headers {
            headers[name] = .string(Self.secretHeaders.contains(name) ? "[redacted]" : value)
        }
        let ms = (milliseconds * 10).rounded() / 10
        let time = ISO8601Time.formatUTC(epochSeconds: clock.now())
        switch format {
        case .json:
            let object: JSONValue = [
                "time": .string(time), "level": "debug", "msg": "http", "method": .string(request.method), "url": .string(url),
                "status": outcome, "ms": .double(ms), "headers": .object(headers),
            ]
            return object.serializedString(sortedKeys: true) + "\n"
        case .text:
            let shownHeaders = headers.keys.sorted().map { "\($0): \(headers[$0]!.stringValue ?? "")" }.joined(separator: ", ")
            let status = outcome.intValue.map(String.init) ?? (outcome.stringValue ?? "")
            return "\(time) DEBUG http \(request.method) \(url) -> \(status) (\(ms) ms) [\(shownHeaders)]\n"
        }
    }

    /// The one line `--verbose` starts with: which proxy the run uses and why
    /// (`DEBUG proxy http://alice:***@127.0.0.1:8888 (from $HTTPS_PROXY)`, or
    /// `DEBUG proxy none (no proxy set)`); the password never shows.
    static func announceProxy(_ route: ProxyRoute, format: LogFormat, clock: SMSClock,
                              write: (String) -> Void = { writeToStandardError($0) }) {
        let time = ISO8601Time.formatUTC(epochSeconds: clock.now())
        switch format {
        case .json:
            var object: [String: JSONValue] = ["time": .string(time), "level": "debug", "msg": "proxy"]
            switch route {
            case .direct(let reason, _):
                object["proxy"] = .null
                object["reason"] = .string(reason)
            case .proxy(let url, let source):
                object["proxy"] = .string(url.masked)
                object["reason"] = .string("from \(source)")
            case .invalid(let message, let source):
                object["proxy"] = .null
                object["reason"] = .string("\(source): \(message)")
            }
            write(JSONValue.object(object).serializedString(sortedKeys: true) + "\n")
        case .text:
            write("\(time) DEBUG proxy \(route.summary)\n")
        }
    }

    private func scrub(_ text: String) -> String {
        var out = text
        for secret in secrets { out = out.replacing(secret, with: "[redacted]") }
        return out
    }
}
