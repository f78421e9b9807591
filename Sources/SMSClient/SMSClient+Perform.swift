/// One operation from request to parsed JSON object: headers, the round trip, the retry
/// loop, and turning statuses and transport failures into `SMSError`.
extension SMSClient {
    func perform(
        _ operation: APIOperation, uuid: String? = nil, query: [QueryItem] = [], body: JSONValue? = nil
    ) throws -> [String: JSONValue] {
        let route = Routes.route(operation)
        return try perform(operation, route, request: TransportRequest(
            method: route.method, path: route.path(uuid: uuid), query: query, headers: headers, body: body),
            decode: object(from:))
    }

    /// A 2xx response's body as the server sent it, for callers that decode it themselves.
    func performForBody(_ operation: APIOperation, uuid: String? = nil, query: [QueryItem] = []) throws -> [UInt8] {
        let route = Routes.route(operation)
        return try perform(operation, route, request: TransportRequest(
            method: route.method, path: route.path(uuid: uuid), query: query, headers: headers),
            decode: { $0.body })
    }

    /// A send or preview: the body is written to bytes once, numbers straight from integers.
    func perform(_ operation: APIOperation, encoded: EncodedRequest) throws -> [String: JSONValue] {
        let route = Routes.route(operation)
        return try perform(operation, route, request: TransportRequest(
            method: route.method, path: route.path(uuid: nil), headers: headers, encodedBody: encoded.bytes),
            decode: object(from:))
    }

    private var headers: [String: String] {
        var headers = ["accept": "application/json"]
        if let apiKey { headers["x-api-key"] = apiKey }
        return headers
    }

    private func perform<T>(_ operation: APIOperation, _ route: Route, request: TransportRequest,
                            decode: (TransportResponse) throws -> T) throws -> T {
        let started = clock.now()
        var attempt = 0
        while true {
            attempt += 1
            counters?.count(attempt: attempt)
            let failure: SMSError
            let mayRetry: Bool
            var retryAfter: Double?
            var throttled = false
            do {
                let response: TransportResponse
                if let pacing {
                    do {
                        try pacing.acquire()
                    } catch {
                        throw SMSError(status: nil, code: "INTERRUPTED", message: "interrupted before the request was made",
                                       retryable: false, notSent: true)
                    }
                    do {
                        response = try counted(operation, request)
                    } catch {
                        pacing.release(status: nil, retryAfter: nil)
                        throw error
                    }
                    pacing.release(status: response.status, retryAfter: Self.retryAfterSeconds(response.headers["retry-after"]))
                } else {
                    response = try counted(operation, request)
                }
                if (200..<300).contains(response.status) {
                    guard route.isIdempotent else {
                        do {
                            return try decode(response)
                        } catch var bad as SMSError {
                            // Accepted (2xx), but the answer cannot be read: it went out.
                            if route == Routes.route(.send) { bad.message += Self.mayHaveGoneOut }
                            throw redacted(bad)
                        }
                    }
                    // A read answered with a cut-short or non-JSON body is asked again: reading
                    // twice changes nothing. (A send's 2xx means it was applied: never repeated.)
                    do {
                        return try decode(response)
                    } catch let bad as SMSError {
                        failure = bad
                        mayRetry = true
                    }
                } else {
                    failure = ResponseErrors.error(for: response)
                    mayRetry = route.isIdempotent ? failure.retryable : response.status == 429
                    retryAfter = Self.retryAfterSeconds(response.headers["retry-after"])
                    throttled = response.status == 429 && pacing != nil
                }
            } catch let after as FailureAfterResponse {
                var error = after.error
                if !route.isIdempotent, (200..<300).contains(after.response.status), let sent = try? object(from: after.response) {
                    error.sentResult = sent
                    error.notSent = false
                    error.message += "; the request itself went out and was accepted"
                        + (sent["uuid"]?.stringValue.map { " (uuid \($0))" } ?? "") + ": do not send it again"
                }
                throw redacted(error)
            } catch let transportFailure as TransportFailure {
                failure = ResponseErrors.error(for: transportFailure)
                // A request that may have arrived is never repeated for send/cancel: it could
                // send twice. A final failure (TLS) would only fail the same way again.
                mayRetry = !transportFailure.isFinal && (route.isIdempotent || !transportFailure.mayHaveReachedServer)
            }
            // Any other error (e.g. a replay transport's SMSError) passes through untouched.

            // Under the run's limiter a 429 is pacing, not a failure: the limiter pauses every
            // sender for Retry-After and slows down, and the request goes again (for up to
            // `throttledBudget` seconds), so a binding rate limit loses no request.
            if throttled, mayRetry, clock.now() - started < Self.throttledBudget {
                attempt -= 1
                continue
            }
            guard mayRetry, attempt < retry.maxAttempts,
                let wait = nextWait(afterAttempt: attempt, retryAfter: retryAfter, started: started)
            else {
                var last = attempt > 1 ? failure.withAttempts(attempt) : failure
                // A lost answer or a 5xx to a send leaves it unknown whether it went out; the
                // operator must look before sending again (a once key turns this into
                // JOURNAL_UNCERTAIN on its own).
                if route == Routes.route(.send), !last.notSent, last.status.map({ $0 >= 500 }) ?? true {
                    last.message += Self.mayHaveGoneOut
                }
                throw redacted(last)
            }
            try clock.sleep(seconds: wait)
        }
    }

    /// One round trip, counted by operation and outcome (`--metrics`): the status, or the
    /// failure's code when no response came.
    private func counted(_ operation: APIOperation, _ request: TransportRequest) throws -> TransportResponse {
        guard let counters else { return try transport.roundTrip(request) }
        do {
            let response = try transport.roundTrip(request)
            counters.ended(operation, code: String(response.status))
            return response
        } catch let after as FailureAfterResponse {
            counters.ended(operation, code: String(after.response.status))
            throw after
        } catch let failure as TransportFailure {
            counters.ended(operation, code: ResponseErrors.error(for: failure).code)
            throw failure
        } catch let error as SMSError {
            counters.ended(operation, code: error.status.map { String($0) } ?? error.code)
            throw error
        } catch {
            counters.ended(operation, code: "ERROR")
            throw error
        }
    }

    /// How long a request throttled (429) under the run's limiter keeps trying.
    static let throttledBudget = 300.0

    static let mayHaveGoneOut = "; the send may have gone out: check smsh messages before sending it again"

    /// The wait before the next attempt, or nil when it would pass the policy's total budget.
    private func nextWait(afterAttempt attempt: Int, retryAfter: Double?, started: Double) -> Double? {
        let remaining = retry.maxTotal - (clock.now() - started)
        // The server's Retry-After is honoured as given; waiting less would just be refused again.
        let wait = retryAfter ?? retry.backoff(afterAttempt: attempt)
        return wait <= remaining ? wait : nil
    }

    /// A 2xx body must be a JSON object; anything else is `BAD_RESPONSE`.
    private func object(from response: TransportResponse) throws -> [String: JSONValue] {
        let value: JSONValue
        do {
            value = try JSONValue.parse(response.body)
        } catch {
            throw redacted(ResponseErrors.badResponse(response, reason: "response is not JSON"))
        }
        guard let object = value.objectValue else {
            throw redacted(ResponseErrors.badResponse(response, reason: "response is a JSON \(value.typeName), not an object"))
        }
        return object
    }

    /// `Retry-After` in seconds (the HTTP-date form is not used by this API).
    static func retryAfterSeconds(_ header: String?) -> Double? {
        guard let header, let seconds = Double(header.trimmingSpaces), seconds.isFinite, seconds >= 0 else { return nil }
        return seconds
    }

    /// The API key never leaves the client inside an error, even if a server echoes it.
    private func redacted(_ error: SMSError) -> SMSError {
        guard let apiKey, !apiKey.isEmpty, error.message.contains(apiKey) else { return error }
        var error = error
        error.message = error.message.replacing(apiKey, with: "[redacted]")
        return error
    }
}

extension SMSError {
    func withAttempts(_ attempts: Int) -> SMSError {
        var error = self
        error.message += " (after \(attempts) attempts)"
        return error
    }
}

extension String {
    fileprivate var trimmingSpaces: Substring {
        var s = self[...]
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
