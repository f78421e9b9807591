import ArgumentParser
import SMSClient

/// The columns a message shows first (`smsh messages`, `smsh message`, `smsh wait`). The
/// delivery summary is named by its fields (in the API's status order), so an empty list's
/// CSV header is the same as a full one's: `smsh messages -o csv >> log.csv` stays one table.
let messageColumns = ["uuid", "status", "sender", "recipients", "parts", "credits", "createdAt", "scheduledTime"]
    + RecipientsCommand.statuses.map { "drSummary." + $0 } + ["content"]

/// `smsh messages`: the account's messages, most recent first (`sms.messages`).
struct MessagesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "messages",
        abstract: "List sent messages, most recent first (one page).",
        discussion: HelpText.sentences("""
            Examples:
              smsh --sandbox messages
              smsh messages --status scheduled --limit 100 -o csv
              smsh messages --page 2 -o jsonl
            """))

    static let statuses = ["sent", "failed", "pending", "scheduled", "cancelled"]

    @Option(help: ArgumentHelp("Only messages with this status: \(MessagesCommand.statuses.joined(separator: ", ")).", valueName: "status"))
    var status: String?

    @Option(help: ArgumentHelp("Messages per page, 1 to 100 (the API's default: 20).", valueName: "n"))
    var limit: Int?

    @Option(help: ArgumentHelp("The page, from 1.", valueName: "n"))
    var page: Int?

    @OptionGroup var options: OneOffOptions

    func validate() throws {
        if let status, !MessagesCommand.statuses.contains(status) {
            throw ValidationError("--status must be one of \(MessagesCommand.statuses.joined(separator: ", ")), not '\(status)'.")
        }
        if let limit, !(1...100).contains(limit) { throw ValidationError("--limit must be from 1 to 100, not \(limit).") }
        if let page, page < 1 { throw ValidationError("--page must be 1 or more, not \(page).") }
    }

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            let list = try connection.environment.client().messages(status: status, page: page, limit: limit)
            out.list(list.data.map(\.json), document: list.json, preferred: messageColumns)
        }
    }
}

/// `smsh message UUID`: one message with its delivery summary (`sms.message`).
struct MessageCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message",
        abstract: "Show one message and its delivery summary (drSummary).",
        discussion: HelpText.sentences("""
            Example:
              smsh message "$UUID" -o json
            """))

    @Argument(help: ArgumentHelp("The message's uuid (from smsh send or smsh messages).", valueName: "uuid"))
    var uuid: String

    @OptionGroup var options: OneOffOptions

    func validate() throws { try OneOff.checkUUID(uuid) }

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            out.object(try connection.environment.client().message(uuid: uuid).json, preferred: messageColumns)
        }
    }
}

/// `smsh cancel UUID`: cancels a scheduled send that has not started (`sms.cancel`).
struct CancelCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cancel",
        abstract: "Cancel a scheduled message that has not started; its held credits are refunded.",
        discussion: HelpText.sentences("""
            Example:
              smsh cancel "$UUID"
            """))

    @Argument(help: ArgumentHelp("The scheduled message's uuid.", valueName: "uuid"))
    var uuid: String

    @OptionGroup var options: OneOffOptions

    func validate() throws { try OneOff.checkUUID(uuid) }

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            // Through the gate: under --dry-run nothing is cancelled.
            out.object(try connection.environment.gate.cancel(uuid: uuid), preferred: ["uuid", "status", "refunded", "dryRun"])
        }
    }
}

/// `smsh wait UUID`: polls until no recipient is pending (`sms.wait`, the same loop).
struct WaitCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wait",
        abstract: "Wait until a message has no pending recipient, then show it.",
        discussion: HelpText.sentences("""
            Polls the message every --interval seconds (as sms.wait); after --max-wait seconds it gives up with TIMEOUT (exit 9; exit 6 is the provider failing). A message is settled when no recipient is pending and it is not scheduled, or when it is cancelled.

            Example:
              smsh wait "$UUID" --max-wait 600 && smsh recipients "$UUID" --all
            """))

    @Argument(help: ArgumentHelp("The message's uuid.", valueName: "uuid"))
    var uuid: String

    /// Names the wait in its TIMEOUT error, which `OneOff.run` turns into exit 9.
    static let function = "smsh wait"

    /// Not --timeout: that is every command's per-request timeout (SessionOptions).
    /// Optional, so `--help` shows the default once, as the text says it (not `900.0` again).
    @Option(help: ArgumentHelp("Give up waiting after this many seconds (default: 900; --timeout is each request's own).", valueName: "seconds"))
    var maxWait: Double?

    @Option(help: ArgumentHelp("Seconds between polls, at least 1 (default: 15).", valueName: "seconds"))
    var interval: Double?

    static let defaultMaxWait: Double = 900
    static let defaultInterval: Double = 15

    @OptionGroup var options: OneOffOptions

    func validate() throws {
        try OneOff.checkUUID(uuid)
        // The same rules as sms.wait's options.
        if let maxWait, !(maxWait >= 0 && maxWait.isFinite) { throw ValidationError("--max-wait must be a number of seconds >= 0, not \(maxWait).") }
        if let interval, !(interval >= 1 && interval.isFinite) { throw ValidationError("--interval must be at least 1 second, not \(interval).") }
    }

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            let message = try connection.environment.waitForMessage(
                uuid: uuid, timeout: maxWait ?? WaitCommand.defaultMaxWait, interval: interval ?? WaitCommand.defaultInterval,
                function: WaitCommand.function)
            out.object(message, preferred: messageColumns)
        }
    }
}
