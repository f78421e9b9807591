import SMSClient

/// What a once key sent, kept beside the key so the key stays bound to its request: the same
/// key with another request sends nothing (`ONCE_KEY_REUSED`), and `smsh journal reconcile`
/// can recognise an uncertain key's message among the account's. Never the numbers in clear:
/// their count and an order-independent digest; the text as a digest too (a one-time code
/// must not sit in the state store), the sender, template id and schedule as they are.
public struct RequestDigest: Equatable, Sendable {
    public var sender: String
    /// `RequestDigest.digest(text:)` of the content, nil for a template send.
    public var text: String?
    public var templateId: Int64?
    /// A digest of the template's variables (names sorted, numbers as their JSON text).
    public var variables: String?
    /// How many numbers (after normalising and de-duplicating); 0 for a contact group.
    public var recipients: Int
    /// The digest of the normalised numbers, whatever their order, or `group:ID`.
    public var recipientsDigest: String
    /// The schedule as the API gets it (ISO 8601 with offset), nil to send now.
    public var schedule: String?

    public init(sender: String, text: String?, templateId: Int64?, variables: String?, recipients: Int,
                recipientsDigest: String, schedule: String?) {
        self.sender = sender
        self.text = text
        self.templateId = templateId
        self.variables = variables
        self.recipients = recipients
        self.recipientsDigest = recipientsDigest
        self.schedule = schedule
    }

    /// The digest of a request that passed validation: its fields as encoded, its numbers as
    /// the integers the body is written from (one pass, no string per number).
    public init(encoded: EncodedRequest) {
        let f = encoded.fields
        sender = f["sender"]?.stringValue ?? ""
        text = f["content"]?.stringValue.map(Self.digest(text:))
        templateId = f["templateId"]?.intValue
        variables = f["variables"]?.objectValue.map(Self.digest(variables:))
        schedule = f["scheduledTime"]?.stringValue
        if let numbers = encoded.numbers {
            recipients = numbers.national.count
            recipientsDigest = Self.digest(numbers: numbers.national)
        } else {
            recipients = 0
            recipientsDigest = "group:\(f["contactGroupId"]?.intValue ?? 0)"
        }
    }

    /// What differs from `recorded` (the key's earlier request), in words, recorded first:
    /// "text differs", "recipients differ (1 vs 2)", "sender differs: 'A' vs 'B'". Empty when
    /// they are the same request. `recipientsKnown: false` compares the message only (sender,
    /// text or template and variables): for a caller that has not read its recipients yet.
    public func differences(from recorded: RequestDigest, recipientsKnown: Bool = true) -> [String] {
        var out: [String] = []
        if sender != recorded.sender { out.append("sender differs: '\(recorded.sender)' vs '\(sender)'") }
        switch (recorded.templateId, templateId) {
        case (nil, nil):
            if text != recorded.text { out.append("text differs") }
        case (let a?, let b?):
            if a != b { out.append("template differs: \(a) vs \(b)") }
        case (let a?, nil):
            out.append("text differs (template \(a) vs a text)")
        case (nil, let b?):
            out.append("text differs (a text vs template \(b))")
        }
        if templateId != nil, templateId == recorded.templateId, variables != recorded.variables {
            out.append("template variables differ")
        }
        guard recipientsKnown else { return out }
        if recipientsDigest.hasPrefix("group:") || recorded.recipientsDigest.hasPrefix("group:") {
            if recipientsDigest != recorded.recipientsDigest {
                out.append("recipients differ (\(Self.describe(recorded)) vs \(Self.describe(self)))")
            }
        } else if recipients != recorded.recipients {
            out.append("recipients differ (\(recorded.recipients) vs \(recipients))")
        } else if recipientsDigest != recorded.recipientsDigest {
            out.append("recipients differ (same count, \(recipients), other numbers)")
        }
        if schedule != recorded.schedule {
            out.append("schedule differs: \(recorded.schedule.map { "'\($0)'" } ?? "now") vs \(schedule.map { "'\($0)'" } ?? "now")")
        }
        return out
    }

    private static func describe(_ d: RequestDigest) -> String {
        d.recipientsDigest.hasPrefix("group:") ? "contact group \(d.recipientsDigest.dropFirst(6))" : "\(d.recipients) numbers"
    }

    // MARK: storage

    /// The digest as stored (one JSON object; absent fields left out).
    public var json: JSONValue {
        var o: [String: JSONValue] = [
            "v": .int(1), "sender": .string(sender), "recipients": .int(Int64(recipients)),
            "recipientsDigest": .string(recipientsDigest),
        ]
        if let text { o["text"] = .string(text) }
        if let templateId { o["templateId"] = .int(templateId) }
        if let variables { o["variables"] = .string(variables) }
        if let schedule { o["schedule"] = .string(schedule) }
        return .object(o)
    }

    public init?(json: JSONValue) {
        guard let sender = json["sender"]?.stringValue, let count = json["recipients"]?.intValue,
              let digest = json["recipientsDigest"]?.stringValue else { return nil }
        self.init(sender: sender, text: json["text"]?.stringValue, templateId: json["templateId"]?.intValue,
                  variables: json["variables"]?.stringValue, recipients: Int(count), recipientsDigest: digest,
                  schedule: json["schedule"]?.stringValue)
    }

    // MARK: digests

    /// A 128-bit digest of a text's UTF-8 bytes (two independent 64-bit lanes), as 32 hex digits.
    public static func digest(text: String) -> String {
        var a: UInt64 = 0xcbf2_9ce4_8422_2325, b: UInt64 = 0x6a09_e667_f3bc_c908
        var length: UInt64 = 0
        for byte in text.utf8 {
            a = (a ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            b = mix(b &+ UInt64(byte) &+ 0x9e37_79b9_7f4a_7c15)
            length &+= 1
        }
        return hex(mix(a ^ length)) + hex(mix(b &+ length))
    }

    /// Template variables: names sorted, values as text (1 and "1" render the same).
    public static func digest(variables: [String: JSONValue]) -> String {
        var joined = ""
        for name in variables.keys.sorted() {
            let value = variables[name]!
            joined += name + "\u{1}" + (value.stringValue ?? value.serializedString()) + "\u{0}"
        }
        return digest(text: joined)
    }

    /// The numbers as a set (a multiset without de-duplication): a sum of mixed values in two
    /// lanes, so their order does not matter and no sort is needed (2,000,000 numbers: a few
    /// milliseconds).
    public static func digest(numbers: [UInt32]) -> String {
        var a: UInt64 = 0, b: UInt64 = 0
        for n in numbers {
            a &+= mix(UInt64(n) ^ 0x5851_f42d_4c95_7f2d)
            b &+= mix(UInt64(n) &+ 0x1405_7b7e_f767_814f)
        }
        return hex(mix(a ^ UInt64(numbers.count))) + hex(mix(b))
    }

    /// splitmix64's finaliser.
    private static func mix(_ value: UInt64) -> UInt64 {
        var z = value
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }

    private static func hex(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }
}
