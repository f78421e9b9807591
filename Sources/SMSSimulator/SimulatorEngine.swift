#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
import SMSClient

/// What the simulator does with one request: answer it or drop the connection without an
/// answer, after `delay` seconds (latency plus any slow fault; on the engine's clock in
/// process, in real time over HTTP).
public struct SimulatorReply: Sendable {
    public enum Outcome: Sendable {
        case respond(TransportResponse)
        /// Close the connection without a response.
        case drop
    }

    public var outcome: Outcome
    /// Seconds to wait before the outcome; 0 answers at once.
    public var delay: Double

    public init(_ outcome: Outcome, delay: Double = 0) {
        self.outcome = outcome
        self.delay = delay
    }

    static func respond(_ response: TransportResponse) -> SimulatorReply { SimulatorReply(.respond(response)) }
    static let drop = SimulatorReply(.drop)

    /// The response, or nil for a drop.
    public var response: TransportResponse? {
        if case .respond(let response) = outcome { return response }
        return nil
    }
}

/// The simulated provider: one account with credits, senders, contact groups, templates,
/// messages and their delivery lifecycle, plus API keys, rate limiting, fault injection and
/// the `/_sim/` admin endpoints. `SimulatorTransport` (in process) and `SimulatorServer`
/// (HTTP) both feed it `TransportRequest`s.
///
/// Thread-safe: all state sits behind one lock; requests are applied one at a time, and their
/// delays (`SimulatorReply.delay`) are waited out by the caller, outside the lock, concurrently.
public final class SimulatorEngine: @unchecked Sendable {
    /// The clock delivery runs on. A `VirtualClock` is advanced by `/_sim/advance`; any other
    /// clock gets an offset added instead.
    public let clock: SMSClock
    private let config: SimulatorConfig
    private let lock = NIOLock()
    // Guarded by `lock`.
    var state: SimulatorState
    var clockOffset: Double = 0
    /// The persistent sandbox's store (`--sandbox`): each API request loads the account,
    /// applies and saves it in one transaction (see `SandboxPersistence`). Set before first use.
    public var persistence: SandboxPersistence?
    /// `/api/` requests being served now (see `serving`).
    private var inFlight = 0

    public init(config: SimulatorConfig = .init(), clock: SMSClock) {
        self.config = config
        self.clock = clock
        self.state = SimulatorState(config: config)
    }

    /// Every API and `/_sim/` request goes through here, in process or over HTTP. The request
    /// is applied at once; the caller waits out the reply's `delay` before answering.
    public func handle(_ request: TransportRequest) -> SimulatorReply {
        lock.lock()
        defer { lock.unlock() }
        let now = clock.now() + clockOffset
        if request.path == "/_sim" || request.path.hasPrefix("/_sim/") {
            return .respond(admin(request, now: now))
        }
        guard Self.isAPI(request.path) else {
            return .respond(APIError.notFound("No such endpoint: \(request.method) \(request.path)").response)
        }
        if let persistence { return handlePersistent(request, persistence) }
        state.apiRequests += 1
        var reply = answerAPI(request, now: now)
        reply.delay += state.nextLatency()
        if reply.response?.status == 429 { state.throttled += 1 }
        return reply
    }

    /// True for the provider's API paths (what latency, faults, and the stats' counters cover).
    static func isAPI(_ path: String) -> Bool { path.hasPrefix("/api/") }

    /// Counts an `/api/` request as in flight while `body` serves it (receiving, applying,
    /// waiting out its delay), for `/_sim/stats`' `maxInFlight`. Other paths are not counted.
    public func serving<T>(path: String, _ body: () throws -> T) rethrows -> T {
        guard Self.isAPI(path) else { return try body() }
        enterAPI()
        defer { leaveAPI() }
        return try body()
    }

    /// `serving` for an asynchronous server.
    public func serving<T>(path: String, _ body: () async throws -> T) async rethrows -> T {
        guard Self.isAPI(path) else { return try await body() }
        enterAPI()
        defer { leaveAPI() }
        return try await body()
    }

    private func enterAPI() {
        lock.lock()
        inFlight += 1
        state.maxInFlight = max(state.maxInFlight, inFlight)
        lock.unlock()
    }

    private func leaveAPI() {
        lock.lock()
        inFlight -= 1
        lock.unlock()
    }

    /// Faults, then the account's answer. Under the lock.
    func answerAPI(_ request: TransportRequest, now: Double) -> SimulatorReply {
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
        case .slow(let seconds)?: return SimulatorReply(.respond(response), delay: seconds)
        case .nonJSON?:
            return .respond(TransportResponse(
                status: 200, headers: ["content-type": "text/html"],
                body: Array("<html><body>Request accepted</body></html>".utf8)))
        default: return .respond(response)
        }
    }

    /// The most `/api/` requests served at once since start or `/_sim/reset`.
    public var maxInFlight: Int {
        lock.lock()
        defer { lock.unlock() }
        return state.maxInFlight
    }

    /// 429 answers given to `/api/` requests since start or `/_sim/reset`.
    public var throttledCount: Int {
        lock.lock()
        defer { lock.unlock() }
        return state.throttled
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

    /// The fault set with the latency keys, as `GET /_sim/faults` shows it. Under the lock.
    private var faultsJSON: JSONValue {
        var object = state.faults.config.json.objectValue ?? [:]
        object.merge(state.latency.jsonFields) { _, latency in latency }
        return .object(object)
    }

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
                body = faultsJSON
            case ("POST", "/_sim/faults"):
                guard var object = (request.body ?? .object([:])).objectValue else {
                    throw APIError.invalidParameter("invalid faults: faults must be a JSON object")
                }
                let faults: FaultConfig
                let latency: Latency
                do {
                    latency = try Latency.take(from: &object, current: state.latency)
                    faults = try FaultConfig(json: .object(object))
                } catch let error as FaultConfigError {
                    throw APIError.invalidParameter(error.description)
                } catch let error as LatencyError {
                    throw APIError.invalidParameter(error.description)
                }
                state.faults = FaultInjector(config: faults)
                state.latency = latency
                body = faultsJSON
            case ("POST", "/_sim/reset"):
                state = SimulatorState(config: config)
                state.maxInFlight = inFlight
                body = ["reset": true]
            case ("GET", "/_sim/stats"):
                body = [
                    "acceptedSends": .int(Int64(state.acceptedSends)), "requests": .int(Int64(state.apiRequests)),
                    "now": .double(now), "maxInFlight": .int(Int64(state.maxInFlight)),
                    "throttled": .int(Int64(state.throttled)),
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
