/// The answer to `send`: `{"uuid","status","recipients","parts","credits","scheduledTime"}`,
/// or for a dry run `{"dryRun":true,"recipients","parts","credits"}`; plus the client's own
/// `duplicatesRemoved`, which is also written into `json` so scripts see it.
public struct SendResult: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    init(json: [String: JSONValue], duplicatesRemoved: Int) {
        var json = json
        json["duplicatesRemoved"] = .int(Int64(duplicatesRemoved))
        self.json = json
    }

    public var uuid: String? { string("uuid") }
    public var status: String? { string("status") }
    public var recipients: Int64? { int("recipients") }
    public var parts: Int64? { int("parts") }
    public var credits: Double? { double("credits") }
    public var scheduledTime: String? { string("scheduledTime") }
    public var dryRun: Bool { bool("dryRun") ?? false }
    public var duplicatesRemoved: Int { Int(int("duplicatesRemoved") ?? 0) }
}

/// The answer to `preview`: `{"recipients","parts","credits","encoding","characters"}` plus
/// the client's `duplicatesRemoved`.
public struct PreviewResult: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    init(json: [String: JSONValue], duplicatesRemoved: Int) {
        var json = json
        json["duplicatesRemoved"] = .int(Int64(duplicatesRemoved))
        self.json = json
    }

    public var recipients: Int64? { int("recipients") }
    public var parts: Int64? { int("parts") }
    public var credits: Double? { double("credits") }
    public var encoding: String? { string("encoding") }
    public var characters: Int64? { int("characters") }
    public var duplicatesRemoved: Int { Int(int("duplicatesRemoved") ?? 0) }
}

/// The answer to `cancel`: `{"uuid","status":"cancelled","refunded"}`.
public struct CancelResult: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    public var uuid: String? { string("uuid") }
    public var status: String? { string("status") }
    public var refunded: Double? { double("refunded") }
}
