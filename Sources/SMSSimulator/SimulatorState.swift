import SMSClient

/// Everything the simulated account holds. Not thread-safe: `SimulatorEngine` owns it and
/// calls it under its lock. The operations live in extensions, one file per resource.
final class SimulatorState {
    let config: SimulatorConfig
    let model: DeliveryModel
    let apiKeys: [String: DemoData.APIKey]
    var balance: Double
    /// In creation order (oldest first).
    var messages: [StoredMessage] = []
    var messagesByUUID: [String: StoredMessage] = [:]
    var nextMessageNumber: UInt64 = 1
    var acceptedSends = 0
    var apiRequests = 0
    /// 429 answers given to `/api/` requests (the rate limit's and injected ones).
    var throttled = 0
    /// The most `/api/` requests being served at once (the engine counts them).
    var maxInFlight = 0
    var faults: FaultInjector
    var latency: Latency
    /// `/api/` requests that have drawn a latency: the index of the next draw.
    var latencyDraws: UInt64 = 0
    var rateLimiter: RateLimiter?

    init(config: SimulatorConfig) {
        self.config = config
        model = DeliveryModel(
            seed: config.seed, outcomes: config.outcomes, delay: SimulatorState.scaled(config.deliveryDelay, by: config.timeScale), blocklist: DemoData.blocklist)
        apiKeys = DemoData.apiKeys(allScopesKey: config.apiKey)
        balance = config.startingCredit
        faults = FaultInjector(config: config.faults)
        latency = config.latency
        rateLimiter = config.rateLimit.map { RateLimiter(requestsPerSecond: $0) }
    }

    /// The delivery delays divided by the time scale (a scale <= 0 or not finite means 1).
    static func scaled(_ delay: ClosedRange<Double>, by scale: Double) -> ClosedRange<Double> {
        guard scale > 0, scale.isFinite, scale != 1 else { return delay }
        return (delay.lowerBound / scale)...(delay.upperBound / scale)
    }

    /// The delay (seconds) before the next `/api/` answer.
    func nextLatency() -> Double {
        guard !latency.isNone else { return 0 }
        defer { latencyDraws += 1 }
        return latency.seconds(seed: config.seed, draw: latencyDraws)
    }

    /// Answers one API request (faults already decided by the engine).
    func respond(to request: TransportRequest, now: Double) -> TransportResponse {
        do {
            return try route(request, now: now)
        } catch let error as APIError {
            return error.response
        } catch {
            return APIError(status: 500, code: "INTERNAL_ERROR", message: "Internal error").response
        }
    }

    private func route(_ request: TransportRequest, now: Double) throws -> TransportResponse {
        guard let key = request.headers["x-api-key"], let apiKey = apiKeys[key] else { throw APIError.unauthorized }
        if let retryAfter = rateLimiter?.admit(key: key, now: now) {
            throw APIError(
                status: 429, code: "RATE_LIMITED", message: "Rate limit exceeded",
                headers: ["retry-after": String(retryAfter)])
        }
        let query = QueryFields(items: request.query)
        let body: JSONValue
        switch RouteTable.match(method: request.method, path: request.path) {
        case .notFound:
            throw APIError.notFound("No such endpoint: \(request.method) \(request.path)")
        case .methodNotAllowed(let allowed):
            throw APIError(
                status: 405, code: "METHOD_NOT_ALLOWED", message: "\(request.method) is not allowed on \(request.path)",
                headers: ["allow": allowed.joined(separator: ", ")])
        case .found(let operation, let uuid):
            switch operation {
            case .send:
                guard apiKey.canSend else {
                    throw APIError(status: 403, code: "FORBIDDEN", message: "This API key lacks the sms:send scope")
                }
                body = try send(BodyFields(request.body), now: now)
            case .preview: body = try preview(BodyFields(request.body))
            case .cancel: body = try cancel(uuid: uuid ?? "", now: now)
            case .messages: body = try listMessages(query, now: now)
            case .message: body = try message(uuid: uuid ?? "").json(at: now)
            case .recipients:
                let bytes = try recipients(uuid: uuid ?? "", query: query, now: now)
                return TransportResponse(status: 200, headers: ["content-type": "application/json"], body: bytes)
            case .credit: body = ["balance": .double(balance), "currency": "credits"]
            case .senders:
                body = [
                    "data": .array(
                        DemoData.senders.map {
                            ["name": .string($0.name), "status": .string($0.status), "shared": .bool($0.shared)]
                        })
                ]
            }
        }
        return TransportResponse(status: 200, json: body)
    }

    func message(uuid: String) throws -> StoredMessage {
        guard let m = messagesByUUID[uuid] else { throw unknownMessage(uuid) }
        return m
    }

    /// NOT_FOUND for a uuid; in a sandbox that starts empty every run, with the likely cause
    /// (the journal remembers sandbox keys across runs, the account does not) and the way out.
    /// Dry-run uuids never come from the journal: their message stays plain.
    func unknownMessage(_ uuid: String) -> APIError {
        guard config.startsEmptyEveryRun, !uuid.hasPrefix(DryRunTransport.prefix) else {
            return APIError.notFound("Message \(uuid) not found")
        }
        return APIError.notFound(
            "Message \(uuid) not found: the sandbox starts empty every run, so a uuid from an earlier run "
                + "(a replayed once key or a resumed campaign) is not known to it; forget the keys "
                + "(`smsh journal forget --scope sandbox KEY`, or `--prefix CAMPAIGN/`) or rehearse re-runs against `smsh serve`")
    }

    /// A uuid (v4 layout) derived from the uuid seed (`uuidSeed`, else the seed) and the
    /// message number: `smsh serve` with a seed gives reproducible uuids; the sandbox of a
    /// run seeds them at random, so they are unique across runs.
    func makeUUID(number: UInt64) -> String {
        let seed = config.uuidSeed ?? config.seed
        let high = SeededHash.hash(seed, 0x0055_1D00, number)
        let low = SeededHash.hash(seed, 0x0055_1D01, number)
        let a = (high & 0xFFFF_FFFF_FFFF_0FFF) | 0x4000
        let b = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000
        let hex = hexDigits(a, 16) + hexDigits(b, 16)
        let c = Array(hex)
        return String(c[0..<8]) + "-" + String(c[8..<12]) + "-" + String(c[12..<16]) + "-" + String(c[16..<20]) + "-"
            + String(c[20..<32])
    }

    private func hexDigits(_ v: UInt64, _ width: Int) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: width - s.count) + s
    }
}
