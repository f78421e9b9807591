/// The arguments of `send` (API.md, "send"), checked by `encoded()` before anything is sent.
public struct SendRequest: Sendable, Equatable {
    /// An approved sender name, 1–11 characters.
    public var sender: String
    /// The text (≤ 1,000 characters), or nil when `templateId` is given.
    public var content: String?
    public var templateId: Int64?
    /// Values for a template's `{{name}}` placeholders: strings or numbers.
    public var variables: [String: JSONValue]?
    /// Thai mobile numbers in any accepted form, or nil when `contactGroupId` is given.
    public var msisdns: MSISDNList?
    public var contactGroupId: Int64?
    public var scheduledTime: ScheduledTime?
    /// Estimate only: nothing is charged or sent.
    public var dryRun: Bool
    /// Remove duplicate numbers (after normalisation) before sending; the count is reported
    /// as `duplicatesRemoved` in the result.
    public var dedupe: Bool

    public init(
        sender: String, content: String? = nil, templateId: Int64? = nil, variables: [String: JSONValue]? = nil,
        msisdns: MSISDNList? = nil, contactGroupId: Int64? = nil, scheduledTime: ScheduledTime? = nil,
        dryRun: Bool = false, dedupe: Bool = true
    ) {
        self.sender = sender
        self.content = content
        self.templateId = templateId
        self.variables = variables
        self.msisdns = msisdns
        self.contactGroupId = contactGroupId
        self.scheduledTime = scheduledTime
        self.dryRun = dryRun
        self.dedupe = dedupe
    }

    /// The API's limit on sender names.
    public static let maximumSenderLength = 11

    /// The JSON body, or the first problem as an `SMSError` naming the field.
    public func encoded() throws -> EncodedRequest {
        var body: [String: JSONValue] = [:]
        let senderLength = sender.unicodeScalars.count
        if senderLength == 0 || senderLength > Self.maximumSenderLength {
            throw SMSError.invalidArgument(
                "sender",
                "'sender' must be 1–\(Self.maximumSenderLength) characters (got \(senderLength))")
        }
        body["sender"] = .string(sender)
        try MessageRequestFields.encodeMessage(
            content: content, templateId: templateId, variables: variables, into: &body)
        if let scheduledTime { body["scheduledTime"] = .string(try scheduledTime.wireValue()) }
        if dryRun { body["dryRun"] = .bool(true) }
        // Numbers last: the costly check runs only once everything cheap has passed.
        let numbers = try MessageRequestFields.encodeRecipients(
            msisdns: msisdns, contactGroupId: contactGroupId, dedupe: dedupe, into: &body)
        return EncodedRequest(fields: body, numbers: numbers)
    }
}
