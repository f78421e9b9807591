import SMSClient

/// An error the simulated API answers with, rendered in the provider's shape
/// `{"error": human text, "code": CODE}`.
struct APIError: Error {
    var status: Int
    var code: String
    var message: String
    var headers: [String: String] = [:]

    var response: TransportResponse {
        TransportResponse(status: status, headers: headers, json: ["error": .string(message), "code": .string(code)])
    }

    static func invalidParameter(_ message: String) -> APIError {
        APIError(status: 400, code: "INVALID_PARAMETER", message: message)
    }

    static func notFound(_ message: String) -> APIError {
        APIError(status: 404, code: "NOT_FOUND", message: message)
    }

    static let unauthorized = APIError(status: 401, code: "UNAUTHORIZED", message: "Invalid API key")
}
