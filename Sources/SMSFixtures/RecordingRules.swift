import SMSClient

/// How live traffic becomes what a cassette stores, and what matching compares.
///
/// Stored request: method, path, query values and JSON body; no headers. Numbers are masked
/// (when `maskNumbers`), then long `msisdns` lists summarised (digest over the masked numbers),
/// then secrets redacted. Stored response: status, `content-type` and `retry-after`, the body
/// as JSON (or text), numbers masked, secrets redacted. Replay puts the live request through
/// the same steps before comparing, so what matches is decided on stored forms only.
public struct RecordingRules: Sendable {
    public var redactor: Redactor
    public var maskNumbers: Bool
    /// Body fields left out of the comparison (still stored): top-level names, or dotted paths
    /// into nested objects (`variables.date`).
    public var ignoredBodyFields: [String]

    public static let defaultIgnoredBodyFields = ["scheduledTime"]

    public init(secrets: [String] = [], maskNumbers: Bool = false, ignoredBodyFields: [String] = RecordingRules.defaultIgnoredBodyFields) {
        self.redactor = Redactor(secrets: secrets)
        self.maskNumbers = maskNumbers
        self.ignoredBodyFields = ignoredBodyFields
    }

    public func storedRequest(_ request: TransportRequest) -> RecordedRequest {
        let masker = NumberMasker()
        var query: [String: [String]] = [:]
        for item in request.query {
            let value = maskNumbers ? masker.mask(item.value) : item.value
            query[redactor.redact(item.name), default: []].append(redactor.redact(value))
        }
        var body = request.body
        if let value = body {
            let masked = maskNumbers ? masker.mask(value) : value
            body = redactor.redact(NumberListSummary.summarize(masked))
        }
        return RecordedRequest(
            method: request.method.uppercased(), path: redactor.redact(request.path), query: query, body: body)
    }

    public func storedResponse(_ response: TransportResponse) -> RecordedResponse {
        var headers: [String: String] = [:]
        for (name, value) in response.headers where RecordedResponse.keptHeaders.contains(name.lowercased()) {
            headers[name.lowercased()] = redactor.redact(value)
        }
        let body: RecordedResponse.Body
        if response.body.isEmpty {
            body = .none
        } else if let value = try? JSONValue.parse(response.body) {
            body = .json(redactor.redact(maskNumbers ? NumberMasker().mask(value) : value))
        } else {
            body = .text(redactor.redact(String(decoding: response.body, as: UTF8.self)))
        }
        return RecordedResponse(status: response.status, headers: headers, body: body)
    }

    /// What matching compares for a stored request: everything but the ignored body fields, with
    /// long number lists summarised (a hand-written cassette may list them in full).
    func comparable(_ request: RecordedRequest) -> ComparableRequest {
        var body = request.body.map(NumberListSummary.summarize)
        if let value = body {
            body = ignoredBodyFields.reduce(value) { removing($1.split(separator: ".").map(String.init), from: $0) }
        }
        return ComparableRequest(
            method: request.method.uppercased(), path: request.path, query: request.query.mapValues { $0.sorted() }, body: body)
    }

    private func removing(_ path: [String], from value: JSONValue) -> JSONValue {
        guard let first = path.first, case .object(var fields) = value, let inner = fields[first] else { return value }
        if path.count == 1 {
            fields[first] = nil
        } else {
            fields[first] = removing(Array(path.dropFirst()), from: inner)
        }
        return .object(fields)
    }
}

/// A request reduced to what matching compares. Query values are sorted: order-free.
struct ComparableRequest: Equatable {
    var method: String
    var path: String
    var query: [String: [String]]
    var body: JSONValue?

    /// Canonical text of the request: equal exactly when the requests are equal (sorted keys;
    /// `3` and `3.0` are written differently).
    var key: String {
        var text = method + " " + path
        for name in query.keys.sorted() { text += "\n" + name + "=" + RecordedRequest.queryValue(query[name]!).serializedString() }
        if let body { text += "\n" + body.serializedString(sortedKeys: true) }
        return text
    }
}
