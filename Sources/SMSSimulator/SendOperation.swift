import SMSClient

/// `send` and `preview`: validation, template rendering, parts and credits.
extension SimulatorState {
    static let maxRecipients = 2_000_000
    static let maxContentLength = 1_000
    static let maxSenderLength = 11

    func send(_ fields: BodyFields, now: Double) throws -> JSONValue {
        guard let sender = try fields.string("sender") else { throw APIError.invalidParameter("sender is required") }
        let approved = config.acceptsAnySender || DemoData.senders.contains { $0.name == sender && $0.status == "approved" }
        guard sender.count <= Self.maxSenderLength, approved else {
            throw APIError(status: 400, code: "SENDER_NOT_APPROVED", message: "Sender '\(sender)' is not approved")
        }
        let text = try messageText(fields)
        let recipients = try recipientNumbers(fields)
        var scheduledTime: Double?
        if let iso = try fields.string("scheduledTime") {
            guard let t = ISOTime.parse(iso) else {
                throw APIError.invalidParameter("scheduledTime '\(iso)' is not ISO 8601 with an offset")
            }
            guard t >= now else { throw APIError.invalidParameter("scheduledTime '\(iso)' is in the past") }
            scheduledTime = t
        }
        let dryRun = try fields.bool("dryRun") ?? false
        let parts = MessageParts.of(text).parts
        let credits = parts * recipients.count
        if dryRun {
            return ["dryRun": true, "recipients": .int(Int64(recipients.count)), "parts": .int(Int64(parts)),
                "credits": .int(Int64(credits))]
        }
        guard balance >= Double(credits) else {
            throw APIError(
                status: 402, code: "INSUFFICIENT_CREDITS",
                message: "Insufficient credits: \(credits) needed, \(formatCredits(balance)) available")
        }
        let number = nextMessageNumber
        nextMessageNumber += 1
        let message = StoredMessage(
            number: number, uuid: makeUUID(number: number), sender: sender, content: text, parts: parts,
            createdAt: now, scheduledTime: scheduledTime, msisdns: recipients, model: model)
        if let templateId = try fields.integer("templateId") {
            message.template = (templateId, try fields.dictionary("variables") ?? [:])
        }
        // Scheduled messages hold their credits now; cancel refunds them.
        balance -= Double(credits)
        messages.append(message)
        messagesByUUID[message.uuid] = message
        acceptedSends += 1
        var reply: [String: JSONValue] = [
            "uuid": .string(message.uuid), "status": .string(scheduledTime == nil ? "pending" : "scheduled"),
            "recipients": .int(Int64(recipients.count)), "parts": .int(Int64(parts)), "credits": .int(Int64(credits)),
        ]
        if let scheduledTime { reply["scheduledTime"] = .string(ISOTime.format(scheduledTime)) }
        return .object(reply)
    }

    func preview(_ fields: BodyFields) throws -> JSONValue {
        let text = try messageText(fields)
        let recipients = try recipientNumbers(fields)
        let parts = MessageParts.of(text)
        return [
            "recipients": .int(Int64(recipients.count)), "parts": .int(Int64(parts.parts)),
            "credits": .int(Int64(parts.parts * recipients.count)), "encoding": .string(parts.encoding.rawValue),
            "characters": .int(Int64(parts.characters)),
        ]
    }

    /// The text to send: `content`, or template `templateId`, with `variables` filled in.
    private func messageText(_ fields: BodyFields) throws -> String {
        let content = try fields.string("content")
        let templateId = try fields.integer("templateId")
        let variables = try fields.dictionary("variables")
        for (name, value) in variables ?? [:] {
            switch value {
            case .string, .int, .double, .bool: continue
            default: throw APIError.invalidParameter("Variable '\(name)' must be a string, number or boolean")
            }
        }
        switch (content, templateId) {
        case (nil, nil): throw APIError.invalidParameter("One of content or templateId is required")
        case (.some, .some): throw APIError.invalidParameter("Give content or templateId, not both")
        case (let content?, nil):
            guard !content.isEmpty else { throw APIError.invalidParameter("content must not be empty") }
            guard content.unicodeScalars.count <= Self.maxContentLength else {
                throw APIError.invalidParameter("content is longer than \(Self.maxContentLength) characters")
            }
            return variables == nil ? content : try render(content, variables ?? [:], what: "content")
        case (nil, let id?):
            guard let template = DemoData.templates[id] else { throw APIError.notFound("Template \(id) not found") }
            return try render(template, variables ?? [:], what: "template \(id)")
        }
    }

    /// Replaces each `{{name}}` (spaces inside the braces allowed) by its variable.
    private func render(_ template: String, _ variables: [String: JSONValue], what: String) throws -> String {
        var out = ""
        var rest = Substring(template)
        while let open = rest.firstRange(of: "{{") {
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else { break }
            out += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmingSpaces
            guard let value = variables[name] else {
                throw APIError.invalidParameter("Missing variable '\(name)' for \(what)")
            }
            switch value {
            case .string(let s): out += s
            case .int(let i): out += String(i)
            case .double(let d): out += d.rounded() == d && abs(d) < 1e15 ? String(Int64(d)) : String(d)
            case .bool(let b): out += b ? "true" : "false"
            default: throw APIError.invalidParameter("Variable '\(name)' must be a string, number or boolean")
            }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The recipients as numbers in normal form (66 + 9 digits): `msisdns`, or a contact group.
    private func recipientNumbers(_ fields: BodyFields) throws -> [UInt64] {
        let list = try fields.array("msisdns")
        let groupId = try fields.integer("contactGroupId")
        switch (list, groupId) {
        case (nil, nil): throw APIError.invalidParameter("One of msisdns or contactGroupId is required")
        case (.some, .some): throw APIError.invalidParameter("Give msisdns or contactGroupId, not both")
        case (nil, let id?):
            guard let group = DemoData.contactGroups[id] else { throw APIError.notFound("Contact group \(id) not found") }
            return group
        case (let list?, nil):
            guard !list.isEmpty else { throw APIError.invalidParameter("msisdns must not be empty") }
            guard list.count <= Self.maxRecipients else {
                throw APIError(
                    status: 400, code: "TOO_MANY_RECIPIENTS",
                    message: "\(list.count) recipients; at most \(Self.maxRecipients) per request")
            }
            var numbers = [UInt64]()
            numbers.reserveCapacity(list.count)
            for (i, item) in list.enumerated() {
                guard case .string(let raw) = item, let n = Self.parseMSISDN(raw) else {
                    let shown = item.stringValue.map { "'\($0)'" } ?? item.typeName
                    throw APIError(
                        status: 400, code: "INVALID_MSISDN",
                        message: "Invalid number \(shown) at msisdns[\(i)]: expected 66XXXXXXXXX or 0XXXXXXXXX")
                }
                numbers.append(n)
            }
            return numbers
        }
    }

    /// `0XXXXXXXXX` or `66XXXXXXXXX` (digits only) as the number 66XXXXXXXXX; nil otherwise.
    static func parseMSISDN(_ raw: String) -> UInt64? {
        var value: UInt64 = 0
        var count = 0
        var first: UInt8 = 0
        for b in raw.utf8 {
            guard b >= 0x30, b <= 0x39, count < 11 else { return nil }
            if count == 0 { first = b }
            value = value * 10 + UInt64(b - 0x30)
            count += 1
        }
        if count == 10, first == UInt8(ascii: "0") { return 66_000_000_000 + value }
        if count == 11, value / 1_000_000_000 == 66 { return value }
        return nil
    }

    func formatCredits(_ value: Double) -> String {
        value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
    }
}
