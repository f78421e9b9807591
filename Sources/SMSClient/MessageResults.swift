/// One sent message (`message` and the elements of `messages`): `{"uuid","sender","content",
/// "status","recipients","parts","credits","createdAt","scheduledTime","drSummary":{…}}`.
public struct Message: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    public var uuid: String? { string("uuid") }
    public var sender: String? { string("sender") }
    public var content: String? { string("content") }
    public var status: String? { string("status") }
    public var recipients: Int64? { int("recipients") }
    public var parts: Int64? { int("parts") }
    public var credits: Double? { double("credits") }
    public var createdAt: String? { string("createdAt") }
    public var scheduledTime: String? { string("scheduledTime") }

    /// Recipient counts per delivery status (`pending`, `success`, …); empty until the server
    /// reports one. Non-integer entries are skipped.
    public var drSummary: [String: Int64] {
        guard let object = json["drSummary"]?.objectValue else { return [:] }
        return object.compactMapValues { $0.intValue }
    }
}

/// One page of `messages`: `{"data":[message…],"page","limit","total"}`, most recent first.
public struct MessageList: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    public var data: [Message] { objects("data") }
    public var page: Int64? { int("page") }
    public var limit: Int64? { int("limit") }
    public var total: Int64? { int("total") }
}
