/// The answer to `credit`: `{"balance","currency"}`.
public struct Credit: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    public var balance: Double? { double("balance") }
    public var currency: String? { string("currency") }
}

/// One sender name: `{"name","status":"approved"|"pending"|"rejected","shared"}`.
public struct Sender: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    public var name: String? { string("name") }
    public var status: String? { string("status") }
    public var shared: Bool? { bool("shared") }
    /// Only approved senders can send.
    public var isApproved: Bool { status == "approved" }
}

/// The answer to `senders`: `{"data":[sender…]}`.
public struct SenderList: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    public var data: [Sender] { objects("data") }
}
