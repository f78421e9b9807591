import ArgumentParser
import SMSClient

/// `smsh recipients UUID`: per-recipient delivery status (`sms.recipients`; with --all the
/// cursor walk of `sms.each_recipient`).
struct RecipientsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipients",
        abstract: "List a message's recipients and their delivery status (one page, or --all).",
        discussion: """
            Without --all one page is shown (one per --status given); with --all every page is read with the API's cursor, and -o jsonl or -o csv print each page as it arrives. Statuses: \(RecipientsCommand.statuses.joined(separator: ", ")).

            Examples:
              smsh recipients "$UUID"
              smsh recipients "$UUID" --status failed --status timeout --all -o csv
            """)

    static let columns = ["msisdn", "status", "updatedAt"]
    static let statuses = ["pending", "success", "failed", "invalid", "blocked", "expired", "timeout"]

    @Argument(help: ArgumentHelp("The message's uuid.", valueName: "uuid"))
    var uuid: String

    @Option(help: ArgumentHelp("Only recipients with this status (repeatable).", valueName: "status"))
    var status: [String] = []

    @Flag(help: "Read every page (cursor paging), not just the first.")
    var all = false

    @Option(help: ArgumentHelp("Recipients per page, 1 to 1000 (the API's default: 100).", valueName: "n"))
    var limit: Int?

    @OptionGroup var options: OneOffOptions

    func validate() throws {
        try OneOff.checkUUID(uuid)
        for s in status where !RecipientsCommand.statuses.contains(s) {
            throw ValidationError("--status must be one of \(RecipientsCommand.statuses.joined(separator: ", ")), not '\(s)'.")
        }
        if let limit, !(1...1000).contains(limit) { throw ValidationError("--limit must be from 1 to 1000, not \(limit).") }
    }

    func run() throws {
        try OneOff.run(options) { connection, out in
            let client = try connection.environment.client()
            var rows: [[String: JSONValue]] = []
            var document: [String: JSONValue] = [:]
            var columns: [String]?
            var streamed = false
            for s in status.isEmpty ? [nil] : status.map(Optional.some) {
                // The cursor starts at 0; without --all, the first page only.
                var after: Int64 = 0
                while true {
                    let page = try client.recipients(uuid: uuid, status: s, after: after, limit: limit)
                    let pageRows = page.data.map(\.json)
                    // jsonl and csv print each page as it comes (a million recipients in
                    // constant memory); table and json need every row first.
                    streamed = out.page(pageRows, columns: &columns, preferred: RecipientsCommand.columns)
                    if !streamed { rows += pageRows }
                    document = page.json
                    guard all, page.hasMore == true, let next = page.nextCursor, next != after else { break }
                    after = next
                }
            }
            if streamed { return }
            // -o json: the last page's fields (summary, hasMore, nextCursor) with every row read.
            document["data"] = .array(rows.map(JSONValue.object))
            out.list(rows, document: document, preferred: RecipientsCommand.columns)
        }
    }
}
