/// The arguments of `preview` (API.md, "preview"): what a send would cost, without sending.
public struct PreviewRequest: Sendable, Equatable {
    public var content: String?
    public var templateId: Int64?
    public var variables: [String: JSONValue]?
    public var msisdns: MSISDNList?
    public var contactGroupId: Int64?
    /// As in `send`, so a preview counts the recipients the send would have.
    public var dedupe: Bool

    public init(
        content: String? = nil, templateId: Int64? = nil, variables: [String: JSONValue]? = nil,
        msisdns: MSISDNList? = nil, contactGroupId: Int64? = nil, dedupe: Bool = true
    ) {
        self.content = content
        self.templateId = templateId
        self.variables = variables
        self.msisdns = msisdns
        self.contactGroupId = contactGroupId
        self.dedupe = dedupe
    }

    /// The preview a send would have (`smsh run --dry-run` turns sends into previews).
    public init(_ send: SendRequest) {
        self.init(
            content: send.content, templateId: send.templateId, variables: send.variables,
            msisdns: send.msisdns, contactGroupId: send.contactGroupId, dedupe: send.dedupe)
    }

    public func encoded() throws -> EncodedRequest {
        var body: [String: JSONValue] = [:]
        try MessageRequestFields.encodeMessage(
            content: content, templateId: templateId, variables: variables, into: &body)
        let numbers = try MessageRequestFields.encodeRecipients(
            msisdns: msisdns, contactGroupId: contactGroupId, dedupe: dedupe, into: &body)
        return EncodedRequest(fields: body, numbers: numbers)
    }
}
