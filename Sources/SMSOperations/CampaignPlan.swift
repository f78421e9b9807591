import SMSClient

/// What a campaign will send, worked out in full before the first send: every row's text
/// rendered from its `{{column}}`s, every number checked, rows with the same text grouped into
/// one send (split at the API's 2,000,000 numbers a request), each send with its send-once
/// key `<campaign key>/<digest of the text>/<chunk>`, so a re-run finds the same keys.
public struct CampaignPlan {
    /// One row of input: its fields by column name and the line it starts on (a CSV file's
    /// line, or the index in a Lua array of rows).
    public struct Row {
        public var line: Int
        public var fields: [String: String]

        public init(line: Int, fields: [String: String]) {
            self.line = line
            self.fields = fields
        }
    }

    /// The message of one send: a text, or a template with its rendered variables.
    public enum Message: Equatable {
        case content(String)
        case template(id: Int64, variables: [String: String])
    }

    public struct Send {
        public var message: Message
        public var numbers: [String]
        public var onceKey: String
        /// 1-based chunk of its text, and how many chunks the text has.
        public var chunk: Int
    }

    public struct InvalidRow: Equatable {
        public var line: Int
        public var value: String
        public var reason: String
    }

    public var sends: [Send] = []
    public var recipients = 0
    public var duplicates = 0
    public var invalid: [InvalidRow] = []

    /// - Parameters:
    ///   - content: the text with `{{column}}` placeholders; or `templateId` with
    ///     `variables` whose values hold the placeholders.
    ///   - chunkSize: numbers per send at most (the API's limit; smaller in tests).
    /// - Throws: `INVALID_ARGUMENT` naming the row's line and the column for a placeholder
    ///   whose column the row lacks, or a malformed placeholder; naming the columns there are
    ///   when no row has the phone column. `INVALID_MSISDN` when every row is invalid (a
    ///   campaign that would send nothing), naming the first bad row: line, value, reason.
    public init(key: String, rows: [Row], phone: String, content: String?, templateId: Int64?,
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
        if order.isEmpty, let first = invalid.first {
            try CampaignPlan.refuseNothingToSend(rows: rows, phone: phone, invalid: invalid, first: first)
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
    /// A CSV file must have every column the campaign reads (checked on its header, before any
    /// row is read): else `INVALID_ARGUMENT` naming the file, the missing column and the
    /// columns it has (as `sms.numbers` and `send --to-file --column` do).
    public static func checkColumns(_ used: [String], phone: String, header: [String], file: String) throws {
        guard let missing = used.first(where: { !header.contains($0) }) else { return }
        let names = header.map { SMSError.quoted($0) }.joined(separator: ", ")
        let role = missing == phone ? "the numbers' column: set 'phone' to the column that holds them" : "used in a {{\(missing)}}"
        throw SMSError.invalidArgument(missing == phone ? "phone" : "rows",
                                       "\(file) has no column \(SMSError.quoted(missing)) (\(role)); its columns: \(names); nothing was sent")
    }

    /// Every row invalid: nothing would be sent. When no row has the phone column at all, the
    /// error names the columns the rows have; else the first bad row.
    static func refuseNothingToSend(rows: [Row], phone: String, invalid: [InvalidRow], first: InvalidRow) throws {
        if rows.allSatisfy({ $0.fields[phone] == nil }) {
            var seen = Set<String>()
            let names = rows.flatMap { $0.fields.keys.sorted() }.filter { seen.insert($0).inserted }
            throw SMSError.invalidArgument(
                "phone",
                "no row has a column \(SMSError.quoted(phone)) (set 'phone' to the column that holds the numbers); "
                    + "the rows' columns: \(names.map { SMSError.quoted($0) }.joined(separator: ", ")); nothing was sent")
        }
        throw SMSError(status: nil, code: SMSError.Code.invalidMSISDN,
                       message: "all \(invalid.count) rows are invalid, so nothing would be sent; the first: line \(first.line), "
                           + "\(SMSError.quoted(first.value)): \(first.reason); nothing was sent",
                       retryable: false, field: "rows", notSent: true)
    }

    /// The columns a campaign reads, in first-use order: the phone column, then every
    /// `{{column}}` of the content or the template variables.
    public static func columnsUsed(phone: String, content: String?, variables: [String: String]?) throws -> [String] {
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
