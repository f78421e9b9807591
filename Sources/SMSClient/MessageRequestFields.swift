/// The checks and encoding `send` and `preview` share: what to say (content or template) and
/// to whom (numbers or a contact group). Every failure is an `SMSError` naming the field.
enum MessageRequestFields {
    /// The API's limit on `content`, in Unicode scalars.
    static let maximumContentLength = 1000

    /// Adds `content` or `templateId` (+ `variables`) to `body`.
    static func encodeMessage(
        content: String?, templateId: Int64?, variables: [String: JSONValue]?, into body: inout [String: JSONValue]
    ) throws {
        switch (content, templateId) {
        case (nil, nil):
            throw SMSError.invalidArgument("content", "one of 'content' or 'templateId' is required")
        case (.some, .some):
            throw SMSError.invalidArgument("content", "give 'content' or 'templateId', not both")
        case (let content?, nil):
            if content.isEmpty { throw SMSError.invalidArgument("content", "'content' is empty") }
            let length = content.unicodeScalars.count
            if length > maximumContentLength {
                throw SMSError.invalidArgument(
                    "content", "'content' has \(length) characters; at most \(maximumContentLength) are allowed")
            }
            body["content"] = .string(content)
        case (nil, let id?):
            body["templateId"] = .int(try positive(id, field: "templateId"))
        }
        if let variables {
            for (name, value) in variables {
                if name.isEmpty { throw SMSError.invalidArgument("variables", "'variables' has an empty name") }
                switch value {
                case .string, .int: continue
                case .double(let d) where d.isFinite: continue
                default:
                    throw SMSError.invalidArgument(
                        "variables.\(name)",
                        "'variables.\(name)' must be a string or a number, not \(value.typeName)")
                }
            }
            body["variables"] = .object(variables)
        }
    }

    /// Adds `contactGroupId` to `body`, or returns the `msisdns` normalised (de-duplicated
    /// unless `dedupe` is false): those are written to the body's bytes last, without a JSON
    /// value each (see `EncodedRequest`).
    static func encodeRecipients(
        msisdns: MSISDNList?, contactGroupId: Int64?, dedupe: Bool, into body: inout [String: JSONValue]
    ) throws -> RecipientNumbers.Normalized? {
        switch (msisdns, contactGroupId) {
        case (nil, nil):
            throw SMSError.invalidArgument("msisdns", "one of 'msisdns' or 'contactGroupId' is required")
        case (.some, .some):
            throw SMSError.invalidArgument("msisdns", "give 'msisdns' or 'contactGroupId', not both")
        case (let numbers?, nil):
            return try RecipientNumbers.normalize(numbers, dedupe: dedupe)
        case (nil, let id?):
            body["contactGroupId"] = .int(try positive(id, field: "contactGroupId"))
            return nil
        }
    }

    static func positive(_ value: Int64, field: String) throws -> Int64 {
        guard value > 0 else {
            throw SMSError.invalidArgument(field, "'\(field)' must be a positive integer (got \(value))")
        }
        return value
    }
}

/// A request body that passed validation, ready for the transport: every field but
/// `msisdns` as JSON values, and the numbers as integers until they are written.
public struct EncodedRequest: Sendable {
    /// Every field except `msisdns`.
    public var fields: [String: JSONValue]
    /// The normalised numbers, or nil (a contact group).
    public var numbers: RecipientNumbers.Normalized?

    /// Numbers dropped as duplicates (0 for a contact group or `dedupe: false`).
    public var duplicatesRemoved: Int { numbers?.duplicatesRemoved ?? 0 }

    /// The preview of this send: the same message and numbers (already checked and
    /// de-duplicated), without what only a send has. Spares a big send's budget check from
    /// reading its numbers a second time.
    public var preview: EncodedRequest {
        var previewFields = fields
        for sendOnly in ["sender", "scheduledTime", "dryRun"] { previewFields[sendOnly] = nil }
        return EncodedRequest(fields: previewFields, numbers: numbers)
    }

    /// How many recipients the request names (nil for a contact group).
    public var recipientCount: Int? { numbers?.national.count }

    /// The whole body as a JSON value (one string per number: for tests and small requests).
    public var body: JSONValue {
        var all = fields
        if let numbers { all["msisdns"] = .array(numbers.numbers) }
        return .object(all)
    }

    /// The body as sent: the fields, then `"msisdns":[...]` written straight from the integers.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256 + (numbers?.national.count ?? 0) * 14)
        JSONValue.object(fields).write(to: &out, sortedKeys: true)
        guard let numbers else { return out }
        out.removeLast()  // the closing brace
        if !fields.isEmpty { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: #""msisdns":"#.utf8)
        RecipientNumbers.writeJSONArray(numbers.national, to: &out)
        out.append(UInt8(ascii: "}"))
        return out
    }
}
