#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import SMSClient

/// What the simulator does with one request: answer it, drop the connection without an
/// answer, or answer after a delay.
public enum SimulatorReply: Sendable {
    case respond(TransportResponse)
    /// Close the connection without a response.
    case drop
    /// Answer after `seconds` (on the clock in process, in real time over HTTP).
    case slow(seconds: Double, TransportResponse)
}

/// The simulated provider: one account with credits, senders, contact groups, templates,
/// messages and their delivery lifecycle, plus API keys, rate limiting, fault injection and
/// the `/_sim/` admin endpoints. `SimulatorTransport` (in process) and `SimulatorServer`
/// (HTTP) both feed it `TransportRequest`s.
///
/// Thread-safe: all state sits behind one lock; requests are answered one at a time.
public final class SimulatorEngine: @unchecked Sendable {
    /// The clock delivery runs on. A `VirtualClock` is advanced by `/_sim/advance`; any other
    /// clock gets an offset added instead.
    public let clock: SMSClock
    private let config: SimulatorConfig
    private let lock = NIOLock()
    // Guarded by `lock`.
    private var state: SimulatorState
    private var clockOffset: Double = 0

    public init(config: SimulatorConfig = .init(), clock: SMSClock) {
        self.config = config
        self.clock = clock
        self.state = SimulatorState(config: config)
    }

    /// Every API and `/_sim/` request goes through here, in process or over HTTP.
    public func handle(_ request: TransportRequest) -> SimulatorReply {
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now() + clockOffset
        if request.path == "/_sim" || request.path.hasPrefix("/_sim/") {
            return .respond(admin(request, now: now))
        }
        guard request.path.hasPrefix("/api/") else {
            return .respond(APIError.notFound("No such endpoint: \(request.method) \(request.path)").response)
        }
        state.apiRequests += 1
        let fault = state.faults.next()
        switch fault {
        case .status(let status)?: return .respond(Self.faultResponse(status))
        case .rateLimitedWithoutRetryAfter?:
            var response = Self.faultResponse(429)
            response.headers["retry-after"] = nil
            return .respond(response)
        case .dropBefore?: return .drop
        default: break
        }
        let response = state.respond(to: request, now: now)
        switch fault {
        case .dropAfter?: return .drop
        case .malformed?:
            var broken = response
            broken.body = Array(response.body.prefix(max(1, response.body.count / 2)))
            return .respond(broken)
        case .slow(let seconds)?: return .slow(seconds: seconds, response)
        case .nonJSON?:
            return .respond(TransportResponse(
                status: 200, headers: ["content-type": "text/html"],
                body: Array("<html><body>Request accepted</body></html>".utf8)))
        default: return .respond(response)
        }
    }

    /// Sends that created a message (dry runs excluded): for "no double send" tests.
    public var acceptedSendCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return state.acceptedSends
    }

    /// API requests received (including faulted and rejected ones).
    public var requestCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return state.apiRequests
    }

    /// The engine's current time (the clock plus any `/_sim/advance` offset).
    public var now: Double {
        lock.lock()
        defer { lock.unlock() }
        return clock.now() + clockOffset
    }

    /// Ten years: one advance may not push timestamps out of the formattable range.
    static let maxAdvance: Double = 315_576_000

    private static func faultResponse(_ status: Int) -> TransportResponse {
        switch status {
        case 429:
            return TransportResponse(
                status: 429, headers: ["retry-after": "1", "content-type": "application/json"],
                body: JSONValue.object(["error": "Rate limit exceeded", "code": "RATE_LIMITED"]).serialized())
        case 503:
            // Like a proxy in front of the API: not JSON.
            return TransportResponse(
                status: 503, headers: ["content-type": "text/html"],
                body: Array("<html><body><h1>503 Service Unavailable</h1></body></html>".utf8))
        default:
            return APIError(status: status, code: "INTERNAL_ERROR", message: "Internal server error").response
        }
    }

    // MARK: - /_sim/ admin endpoints (no key needed)

    /// Methods each admin path answers, for 405's `Allow`.
    private static let adminMethods: [String: String] = [
        "/_sim/advance": "POST", "/_sim/credit": "POST", "/_sim/faults": "GET, POST", "/_sim/reset": "POST",
        "/_sim/stats": "GET",
    ]

    private func admin(_ request: TransportRequest, now: Double) -> TransportResponse {
        do {
            let body: JSONValue
            switch (request.method, request.path) {
            case ("POST", "/_sim/advance"):
                guard let seconds = try BodyFields(request.body).number("seconds"), seconds >= 0,
                    seconds <= Self.maxAdvance
                else {
                    throw APIError.invalidParameter("seconds (a number within 0...\(Int(Self.maxAdvance))) is required")
                }
                if let virtual = clock as? VirtualClock {
                    virtual.advance(by: seconds)
                } else {
                    clockOffset += seconds
                }
                body = ["now": .double(clock.now() + clockOffset)]
            case ("POST", "/_sim/credit"):
                guard let balance = try BodyFields(request.body).number("balance") else {
                    throw APIError.invalidParameter("balance (a number) is required")
                }
                state.balance = balance
                body = ["balance": .double(balance)]
            case ("GET", "/_sim/faults"):
                body = state.faults.config.json
            case ("POST", "/_sim/faults"):
                let faults: FaultConfig
                do {
                    faults = try FaultConfig(json: request.body ?? .object([:]))
                } catch let error as FaultConfigError {
                    throw APIError.invalidParameter(error.description)
                }
                state.faults = FaultInjector(config: faults)
                body = faults.json
            case ("POST", "/_sim/reset"):
                state = SimulatorState(config: config)
                body = ["reset": true]
            case ("GET", "/_sim/stats"):
                body = [
                    "acceptedSends": .int(Int64(state.acceptedSends)), "requests": .int(Int64(state.apiRequests)),
                    "now": .double(now),
                ]
            default:
                if let allowed = Self.adminMethods[request.path] {
                    throw APIError(
                        status: 405, code: "METHOD_NOT_ALLOWED",
                        message: "\(request.method) is not allowed on \(request.path)", headers: ["allow": allowed])
                }
                throw APIError.notFound("No such simulator endpoint: \(request.method) \(request.path)")
            }
            return TransportResponse(status: 200, json: body)
        } catch let error as APIError {
            return error.response
        } catch {
            return APIError(status: 500, code: "INTERNAL_ERROR", message: "Internal error").response
        }
    }
}
