/// The one place that decides what an HTTP status or a transport failure means as an `SMSError`.
enum ResponseErrors {
    /// The API code for a status when the body carries none.
    static func code(forStatus status: Int) -> String {
        switch status {
        case 400: return "INVALID_PARAMETER"
        case 401: return "UNAUTHORIZED"
        case 402: return "INSUFFICIENT_CREDITS"
        case 403: return "FORBIDDEN"
        case 404: return "NOT_FOUND"
        case 409: return "CONFLICT"
        case 429: return "RATE_LIMITED"
        case 500...599: return "SERVER_ERROR"
        default: return "HTTP_\(status)"
        }
    }

    static func statusText(_ status: Int) -> String {
        switch status {
        case 400: return "Bad Request"
        case 401: return "Unauthorized"
        case 402: return "Payment Required"
        case 403: return "Forbidden"
        case 404: return "Not Found"
        case 409: return "Conflict"
        case 429: return "Too Many Requests"
        case 500: return "Internal Server Error"
        case 502: return "Bad Gateway"
        case 503: return "Service Unavailable"
        case 504: return "Gateway Timeout"
        default: return "HTTP \(status)"
        }
    }

    static func isRetryable(status: Int) -> Bool { status == 429 || (500...599).contains(status) }

    /// The error for a non-2xx response. The body is the provider's `{"error","code"}` when it
    /// is JSON; a proxy's HTML page or an empty body still gives a useful message.
    static func error(for response: TransportResponse) -> SMSError {
        let status = response.status
        let body = try? JSONValue.parse(response.body)
        let code = body?["code"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 } ?? code(forStatus: status)
        let message: String
        if let text = body?["error"]?.stringValue, !text.isEmpty {
            message = text
        } else if body?.objectValue == nil, !response.body.isEmpty {
            message = "\(statusText(status)): \(excerpt(response.body))"
        } else {
            message = statusText(status)
        }
        return SMSError(status: status, code: code, message: message, retryable: isRetryable(status: status))
    }

    /// A 2xx whose body is not the JSON object the API promises.
    static func badResponse(_ response: TransportResponse, reason: String) -> SMSError {
        let shown = response.body.isEmpty ? "empty body" : excerpt(response.body)
        return SMSError(
            status: response.status, code: SMSError.Code.badResponse,
            message: "\(reason): \(shown)", retryable: false)
    }

    static func error(for failure: TransportFailure) -> SMSError {
        switch failure {
        case .timeout:
            return SMSError(status: nil, code: SMSError.Code.timeout, message: failure.description, retryable: true)
        case .proxyFailure:
            return SMSError(status: nil, code: SMSError.Code.proxy, message: failure.description, retryable: false, notSent: true)
        case .connectionRefused, .connectionLost, .other, .tlsFailure:
            return SMSError(status: nil, code: SMSError.Code.network, message: failure.description,
                            retryable: !failure.isFinal, notSent: !failure.mayHaveReachedServer)
        }
    }

    /// At most 120 characters of a body, on one line, for a message.
    static func excerpt(_ body: [UInt8]) -> String {
        let text = String(decoding: body.prefix(480), as: UTF8.self)
        var out = ""
        var count = 0
        var lastWasSpace = false
        for scalar in text.unicodeScalars {
            let isSpace = scalar.properties.isWhitespace || scalar.value < 0x20
            if isSpace {
                if lastWasSpace || out.isEmpty { continue }
                out += " "
            } else {
                out.unicodeScalars.append(scalar)
            }
            lastWasSpace = isSpace
            count += 1
            if count >= 120 { return out + "…" }
        }
        if body.count > 480 { out += "…" }
        return out.hasSuffix(" ") ? String(out.dropLast()) : out
    }
}
