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

    /// Adds `msisdns` (normalised, de-duplicated unless `dedupe` is false) or `contactGroupId`
    /// to `body`; returns the number of duplicates removed.
    static func encodeRecipients(
        msisdns: [String]?, contactGroupId: Int64?, dedupe: Bool, into body: inout [String: JSONValue]
    ) throws -> Int {
        switch (msisdns, contactGroupId) {
        case (nil, nil):
            throw SMSError.invalidArgument("msisdns", "one of 'msisdns' or 'contactGroupId' is required")
        case (.some, .some):
            throw SMSError.invalidArgument("msisdns", "give 'msisdns' or 'contactGroupId', not both")
        case (let numbers?, nil):
            let normalized = try RecipientNumbers.normalize(numbers, dedupe: dedupe)
            body["msisdns"] = .array(normalized.numbers)
            return normalized.duplicatesRemoved
        case (nil, let id?):
            body["contactGroupId"] = .int(try positive(id, field: "contactGroupId"))
            return 0
        }
    }

    static func positive(_ value: Int64, field: String) throws -> Int64 {
        guard value > 0 else {
            throw SMSError.invalidArgument(field, "'\(field)' must be a positive integer (got \(value))")
        }
        return value
    }
}

/// A request body that passed validation, ready for the transport.
public struct EncodedRequest: Sendable {
    public var body: JSONValue
    /// Numbers dropped as duplicates (0 for a contact group or `dedupe: false`).
    public var duplicatesRemoved: Int
}
