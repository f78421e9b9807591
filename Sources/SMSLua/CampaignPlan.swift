import SMSClient
import SMSFixtures

/// What a campaign will send, worked out in full before the first send: every row's text
/// rendered from its `{{column}}`s, every number checked, rows with the same text grouped into
/// one send (split at the API's 2,000,000 numbers a request), each send with its send-once
/// key `<campaign key>/<digest of the text>/<chunk>`, so a re-run finds the same keys.
struct CampaignPlan {
    /// One row of input: its fields by column name and the line it starts on (a CSV file's
    /// line, or the index in a Lua array of rows).
    struct Row {
        var line: Int
        var fields: [String: String]
    }

    /// The message of one send: a text, or a template with its rendered variables.
    enum Message: Equatable {
        case content(String)
        case template(id: Int64, variables: [String: String])
    }

    struct Send {
        var message: Message
        var numbers: [String]
        var onceKey: String
        /// 1-based chunk of its text, and how many chunks the text has.
        var chunk: Int
    }

    struct InvalidRow: Equatable {
        var line: Int
        var value: String
        var reason: String
    }

    var sends: [Send] = []
    var recipients = 0
    var duplicates = 0
    var invalid: [InvalidRow] = []

    /// - Parameters:
    ///   - content: the text with `{{column}}` placeholders; or `templateId` with
    ///     `variables` whose values hold the placeholders.
    ///   - chunkSize: numbers per send at most (the API's limit; smaller in tests).
    /// - Throws: `INVALID_ARGUMENT` naming the row's line and the column for a placeholder
    ///   whose column the row lacks, or a malformed placeholder.
    init(key: String, rows: [Row], phone: String, content: String?, templateId: Int64?,
         variables: [String: String]?, chunkSize: Int = RecipientNumbers.maximumCount) throws {
        let contentTemplate = try content.map { try Template(parsing: $0, field: "content") }
        let variableTemplates = try (variables ?? [:]).mapValues { try Template(parsing: $0, field: "variables") }
        var order: [Message] = []
        var groups: [Message: [String]] = [:]
        var seen = Set<String>()
        for row in rows {
            let message: Message
            if let contentTemplate {
                message = .content(try contentTemplate.render(row, field: "content"))
            } else {
                var rendered: [String: String] = [:]
                for (name, t) in variableTemplates { rendered[name] = try t.render(row, field: "variables.\(name)") }
                message = .template(id: templateId ?? 0, variables: rendered)
            }
            guard let raw = row.fields[phone], !raw.allSatisfy(\.isWhitespace) else {
                invalid.append(InvalidRow(line: row.line, value: row.fields[phone] ?? "", reason: "no number in column '\(phone)'"))
                continue
            }
            switch MSISDN.normalize(raw) {
            case .failure(let reason):
                invalid.append(InvalidRow(line: row.line, value: raw, reason: "\(reason)"))
            case .success(let number):
                // One message per person: a number on a second row is a duplicate, whatever its text.
                guard seen.insert(number).inserted else {
                    duplicates += 1
                    continue
                }
                if groups[message] == nil { order.append(message) }
                groups[message, default: []].append(number)
            }
        }
        for message in order {
            let numbers = groups[message]!
            let digest = TextDigest.of(message.digestInput)
            var chunk = 0
            for start in stride(from: 0, to: numbers.count, by: chunkSize) {
                chunk += 1
                let part = Array(numbers[start..<min(start + chunkSize, numbers.count)])
                sends.append(Send(message: message, numbers: part, onceKey: "\(key)/\(digest)/\(chunk)", chunk: chunk))
            }
            recipients += numbers.count
        }
    }
}

extension CampaignPlan {
    /// The columns a campaign reads, in first-use order: the phone column, then every
    /// `{{column}}` of the content or the template variables.
    static func columnsUsed(phone: String, content: String?, variables: [String: String]?) throws -> [String] {
        var names = [phone]
        if let content { names += try Template(parsing: content, field: "content").columns }
        for (_, v) in (variables ?? [:]).sorted(by: { $0.key < $1.key }) { names += try Template(parsing: v, field: "variables").columns }
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}

extension CampaignPlan.Message: Hashable {
    /// What the send-once key's digest covers: the text, or the template and its variables in
    /// name order (so the key does not depend on dictionary order).
    var digestInput: String {
        switch self {
        case .content(let text): return "content\u{0}" + text
        case .template(let id, let variables):
            return "template\u{0}\(id)" + variables.sorted { $0.key < $1.key }.map { "\u{0}\($0.key)=\($0.value)" }.joined()
        }
    }
}

/// A text with `{{column}}` placeholders (spaces inside the braces allowed), parsed once.
struct Template {
    enum Piece { case text(String), column(String) }
    let pieces: [Piece]

    init(parsing source: String, field: String) throws {
        var pieces: [Piece] = []
        var rest = Substring(source)
        while let open = rest.firstRange(of: "{{") {
            pieces.append(.text(String(rest[..<open.lowerBound])))
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else {
                throw SMSError.invalidArgument(field, "sms.campaign: '\(field)' has a '{{' without its '}}'")
            }
            let name = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: " \t")
            guard !name.isEmpty else { throw SMSError.invalidArgument(field, "sms.campaign: '\(field)' has an empty '{{}}'") }
            pieces.append(.column(name))
            rest = rest[close.upperBound...]
        }
        pieces.append(.text(String(rest)))
        self.pieces = pieces
    }

    /// The columns its placeholders name, in order (repeats kept).
    var columns: [String] {
        pieces.compactMap { if case .column(let name) = $0 { return name } else { return nil } }
    }

    func render(_ row: CampaignPlan.Row, field: String) throws -> String {
        var out = ""
        for piece in pieces {
            switch piece {
            case .text(let t): out += t
            case .column(let name):
                guard let value = row.fields[name] else {
                    throw SMSError.invalidArgument(field, "sms.campaign: row at line \(row.line) has no column '\(name)' (used in '\(field)'); nothing was sent")
                }
                out += value
            }
        }
        return out
    }
}

private extension Substring {
    func trimmingCharacters(in set: String) -> String {
        let chars = Set(set)
        var s = self[...]
        while let f = s.first, chars.contains(f) { s = s.dropFirst() }
        while let l = s.last, chars.contains(l) { s = s.dropLast() }
        return String(s)
    }
}
