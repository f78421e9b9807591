/// The API's operations.
enum APIOperation: String {
    case send, preview, cancel, messages, message, recipients, credit, senders
}

/// The ONE table of API routes (shared/API.md): method, path pattern, operation.
/// `{uuid}` matches one path segment.
enum RouteTable {
    struct Route {
        let method: String
        let segments: [Substring]
        let operation: APIOperation

        init(_ method: String, _ path: String, _ operation: APIOperation) {
            self.method = method
            self.segments = path.split(separator: "/")
            self.operation = operation
        }

        var isLiteral: Bool { !segments.contains("{uuid}") }
    }

    /// Literal routes come before `{uuid}` ones, so `/sms/send` is never taken for a uuid.
    static let routes: [Route] = [
        Route("POST", "/api/v2/sms/send", .send),
        Route("POST", "/api/v2/sms/preview", .preview),
        Route("GET", "/api/v2/sms", .messages),
        Route("GET", "/api/v2/credit", .credit),
        Route("GET", "/api/v2/senders", .senders),
        Route("POST", "/api/v2/sms/{uuid}/cancel", .cancel),
        Route("GET", "/api/v2/sms/{uuid}/recipients", .recipients),
        Route("GET", "/api/v2/sms/{uuid}", .message),
    ]

    enum Match: Equatable {
        case found(APIOperation, uuid: String?)
        /// The path exists with other methods (listed for the `Allow` header).
        case methodNotAllowed([String])
        case notFound
    }

    static func match(method: String, path: String) -> Match {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        guard path.hasPrefix("/"), !parts.contains(where: \.isEmpty) else { return .notFound }
        // A literal path (`/sms/send`) owns its segments: other methods on it get 405, not the
        // `{uuid}` route that would otherwise take "send" for a uuid.
        for literal in [true, false] {
            var allowed: [String] = []
            for route in routes where route.segments.count == parts.count && route.isLiteral == literal {
                var uuid: String?
                var matches = true
                for (pattern, part) in zip(route.segments, parts) {
                    if pattern == "{uuid}" {
                        uuid = String(part)
                    } else if pattern != part {
                        matches = false
                        break
                    }
                }
                guard matches else { continue }
                if route.method == method { return .found(route.operation, uuid: uuid) }
                if !allowed.contains(route.method) { allowed.append(route.method) }
            }
            if !allowed.isEmpty { return .methodNotAllowed(allowed) }
        }
        return .notFound
    }
}
