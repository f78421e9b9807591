import ArgumentParser
import SMSClient

/// `smsh recipients UUID`: per-recipient delivery status (`sms.recipients`; with --all the
/// cursor walk of `sms.each_recipient`).
struct RecipientsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "recipients",
        abstract: "List a message's recipients and their delivery status (one page, or --all).",
        discussion: HelpText.sentences("""
            Without --all one page of at most --limit rows is shown, whatever the number of --status options, and a table that stops early says how to get the rest (--after the cursor it names, or --all). With --all every page is read with the API's cursor, and -o jsonl or -o csv print each page as it arrives. Statuses: \(RecipientsCommand.statuses.joined(separator: ", ")).

            Examples:
              smsh recipients "$UUID"
              smsh recipients "$UUID" --status failed --after 12345
              smsh recipients "$UUID" --status failed --status timeout --all -o csv
            """))

    static let columns = ["msisdn", "status", "updatedAt"]
    static let statuses = ["pending", "success", "failed", "invalid", "blocked", "expired", "timeout"]

    @Argument(help: ArgumentHelp("The message's uuid.", valueName: "uuid"))
    var uuid: String

    @Option(help: ArgumentHelp("Only recipients with this status (repeatable).", valueName: "status"))
    var status: [String] = []

    @Flag(help: "Read every page (cursor paging), not just the first.")
    var all = false

    @Option(help: ArgumentHelp("Recipients per page, 1 to 1000 (the API's default: 100); without --all, the most rows shown.", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("Start after this cursor (the nextCursor of an earlier page, or the one a table names).", valueName: "cursor"))
    var after: Int64?

    /// The API's page size when --limit is not given.
    static let defaultLimit = 100

    @OptionGroup var options: OneOffOptions

    func validate() throws {
        try OneOff.checkUUID(uuid)
        for s in status where !RecipientsCommand.statuses.contains(s) {
            throw ValidationError("--status must be one of \(RecipientsCommand.statuses.joined(separator: ", ")), not '\(s)'.")
        }
        if let limit, !(1...1000).contains(limit) { throw ValidationError("--limit must be from 1 to 1000, not \(limit).") }
        if let after, after < 0 { throw ValidationError("--after must be a cursor >= 0 (a nextCursor), not \(after).") }
    }

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            let client = try connection.environment.client()
            var rows: [[String: JSONValue]] = []
            var document: [String: JSONValue] = [:]
            var columns: [String]?
            var streamed = false
            // Without --all: at most --limit rows in all (not one page per status).
            var room = all ? Int.max : (limit ?? RecipientsCommand.defaultLimit)
            // Where a table that stopped early resumes: the status and cursor, or a status not read.
            var rest: (status: String?, after: Int64)?
            let passes = status.isEmpty ? [nil] : status.map(Optional.some)
            for s in passes {
                if room == 0 {
                    if rest == nil { rest = (s, 0) }
                    break
                }
                // The cursor starts at --after (else 0); without --all, one page only.
                var after: Int64 = self.after ?? 0
                while true {
                    let page = try client.recipients(uuid: uuid, status: s, after: after, limit: all ? limit : min(room, 1000))
                    let pageRows = page.data.map(\.json)
                    room -= min(room, pageRows.count)
                    // jsonl and csv print each page as it comes (a million recipients in
                    // constant memory); table and json need every row first.
                    streamed = out.page(pageRows, columns: &columns, preferred: RecipientsCommand.columns)
                    if !streamed { rows += pageRows }
                    document = page.json
                    guard all, page.hasMore == true, let next = page.nextCursor, next != after else {
                        if !all, page.hasMore == true, rest == nil { rest = (s, page.nextCursor ?? after) }
                        break
                    }
                    after = next
                }
            }
            if streamed { return }
            // -o json: the last page's fields (summary, hasMore, nextCursor) with every row read.
            document["data"] = .array(rows.map(JSONValue.object))
            out.list(rows, document: document, preferred: RecipientsCommand.columns)
            if out.format == .table, let rest { StderrMessages.note(moreHint(rest)) }
        }
    }

    /// How to get the rows a table did not show.
    private func moreHint(_ rest: (status: String?, after: Int64)) -> String {
        var command = "smsh recipients \(uuid)"
        if let s = rest.status { command += " --status \(s)" }
        if rest.after > 0 { command += " --after \(rest.after)" }
        if let limit { command += " --limit \(limit)" }
        let others = status.count > 1 ? " (then the next --status)" : ""
        return "more recipients: \(command)\(others), or every row: add --all"
    }
}
