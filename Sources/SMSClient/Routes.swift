#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The API's operations and where each one lives: the ONE route table (API.md, "Operations").
///
/// Several paths are [assumed] in API.md; a correction is a one-line change here.
public enum APIOperation: String, Sendable, CaseIterable {
    case send, preview, cancel, messages, message, recipients, credit, senders
}

/// Method and path template of one operation. `{uuid}` is the only placeholder.
public struct Route: Sendable, Equatable {
    public let method: String
    public let template: String

    /// `send` and `cancel` change state on the server: repeating them after the request may
    /// have arrived could send twice, so they are retried only when nothing was written.
    public let isIdempotent: Bool

    public init(method: String, template: String, isIdempotent: Bool) {
        self.method = method
        self.template = template
        self.isIdempotent = isIdempotent
    }

    /// The path with `{uuid}` filled in, percent-encoded as one path segment.
    public func path(uuid: String? = nil) -> String {
        guard let uuid else { return template }
        return template.replacing("{uuid}", with: percentEncode(uuid))
    }
}

public enum Routes {
    /// The message uuid in `path` (as sent, percent-encoded), when the path is one of a message's
    /// routes (`message`, `recipients`, `cancel`); nil for the others.
    public static func messageUUID(inPath path: String) -> String? {
        if APIOperation.allCases.contains(where: { route($0).template == path }) { return nil }
        for operation in APIOperation.allCases {
            let parts = route(operation).template.split(separator: "{uuid}", omittingEmptySubsequences: false)
            guard parts.count == 2 else { continue }
            let head = parts[0], tail = parts[1]
            guard path.count > head.count + tail.count, path.hasPrefix(head), path.hasSuffix(tail) else { continue }
            let segment = path.dropFirst(head.count).dropLast(tail.count)
            guard !segment.contains("/") else { continue }
            return String(segment)
        }
        return nil
    }

    public static func route(_ operation: APIOperation) -> Route {
        switch operation {
        case .send: return Route(method: "POST", template: "/api/v2/sms/send", isIdempotent: false)
        case .preview: return Route(method: "POST", template: "/api/v2/sms/preview", isIdempotent: true)
        case .cancel: return Route(method: "POST", template: "/api/v2/sms/{uuid}/cancel", isIdempotent: false)
        case .messages: return Route(method: "GET", template: "/api/v2/sms", isIdempotent: true)
        case .message: return Route(method: "GET", template: "/api/v2/sms/{uuid}", isIdempotent: true)
        case .recipients: return Route(method: "GET", template: "/api/v2/sms/{uuid}/recipients", isIdempotent: true)
        case .credit: return Route(method: "GET", template: "/api/v2/credit", isIdempotent: true)
        case .senders: return Route(method: "GET", template: "/api/v2/senders", isIdempotent: true)
        }
    }
}
