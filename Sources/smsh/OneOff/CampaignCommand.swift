import ArgumentParser
import SMSClient
import SMSLua
import SMSOperations

/// `smsh campaign`: `sms.campaign{rows = FILE, ...}` without Lua. The plan, its checks, the
/// send-once keys (`KEY/<digest>/<n>`) and the engine are `sms.campaign`'s own (`CampaignJob`),
/// so a campaign started here resumes from a script and the other way round.
struct CampaignCommand: ParsableCommand {
    static let function = "smsh campaign"

    static let configuration = CommandConfiguration(
        commandName: "campaign",
        abstract: "Send a personalised campaign from a CSV file (resumable, as sms.campaign).",
        discussion: HelpText.sentences("""
            Every row is read and checked, and every send planned, before the first goes out. Rows with the same text make one send. Each send is journaled under KEY (as sms.campaign{key = KEY}): running the command again, or a script with the same key, resumes and sends nothing twice. Invalid numbers are skipped and listed with their line in the summary. --concurrency is also the run's cap of requests in flight (default 8 sends at once).

            Examples:
              smsh --sandbox campaign --key promo --csv people.csv \\
                --sender SMSHDEMO --text 'Hi {{name}}, 20% off today'
              smsh campaign --key june --csv c.csv --phone mobile \\
                --template-id 7 --var name={{name}} --sender SHOP
              smsh campaign --key june --csv c.csv --sender SHOP \\
                --text 'Hi {{name}}' --rate 10 --window 09:00-20:00@Asia/Bangkok
              smsh campaign --key june --csv c.csv --sender SHOP --text Hi --dry-run
            """))

    @Option(help: ArgumentHelp("The campaign's name in the journal: a re-run with it resumes.", valueName: "key"))
    var key: String

    @Option(help: ArgumentHelp("The rows: a CSV file with a header row.", valueName: "file"))
    var csv: String

    @Option(help: ArgumentHelp("The column that holds the numbers.", valueName: "column"))
    var phone = "phone"

    @Option(help: ArgumentHelp("The text, with {{column}} placeholders filled from each row.", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("Send this template instead of --text.", valueName: "id"))
    var templateId: Int64?

    @Option(name: .customLong("var"),
            help: ArgumentHelp("A template variable, name={{column}} (repeatable).", valueName: "name=value"))
    var variables: [String] = []

    @Option(help: ArgumentHelp("The approved sender name (default: the profile's sender).", valueName: "name"))
    var sender: String?

    @Option(help: ArgumentHelp("At most this many sends a second.", valueName: "r"))
    var rate: Double?

    @Option(help: ArgumentHelp("Send only between these times (HH:MM-HH:MM, @TZ for a zone); waits for it to open.",
                               valueName: "from-to[@tz]"))
    var window: String?

    @OptionGroup var options: OneOffOptions

    func validate() throws {
        if key.isEmpty { throw ValidationError("--key needs a non-empty name.") }
        switch (text, templateId) {
        case (nil, nil): throw ValidationError("Give the message: --text TEXT (with {{column}}s) or --template-id ID.")
        case (.some, .some): throw ValidationError("Use either --text or --template-id, not both.")
        default: break
        }
        if !variables.isEmpty && templateId == nil { throw ValidationError("--var fills a template's variables: it needs --template-id.") }
        for v in variables where !v.contains("=") || v.hasPrefix("=") {
            throw ValidationError("--var must be name={{column}}, not '\(v)'.")
        }
        if let rate, !(rate > 0 && rate.isFinite) { throw ValidationError("--rate must be a number of sends a second > 0 (got \(rate)).") }
        if options.output != .table && options.output != .json {
            throw ValidationError("-o for smsh campaign is table or json (its summary is one object).")
        }
        if let window { _ = try CampaignCommand.sendWindow(window) }
        if let n = options.session.concurrency, n < 1 { throw ValidationError("--concurrency must be an integer >= 1.") }
    }

    /// `09:00-20:00` or `09:00-20:00@Asia/Bangkok`.
    static func sendWindow(_ text: String) throws -> SendWindow {
        let (times, tz): (Substring, String?) = {
            guard let at = text.firstIndex(of: "@") else { return (text[...], nil) }
            return (text[..<at], String(text[text.index(after: at)...]))
        }()
        let parts = times.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty, tz.map({ !$0.isEmpty }) ?? true else {
            throw ValidationError("--window must be FROM-TO or FROM-TO@TZ, e.g. 09:00-20:00@Asia/Bangkok (got '\(text)').")
        }
        do {
            return try SendWindow(from: String(parts[0]), to: String(parts[1]), tz: tz)
        } catch let e as SMSError {
            throw ValidationError("--window: \(e.message)")
        }
    }

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            let env = connection.environment
            guard let sender = sender ?? env.defaultSender else {
                throw OneOff.usageError("campaign", "--sender is required (or set sender in the profile)")
            }
            var vars: [String: String]?
            if !variables.isEmpty {
                vars = [:]
                for v in variables {
                    let eq = v.firstIndex(of: "=")!
                    vars?[String(v[..<eq])] = String(v[v.index(after: eq)...])
                }
            }
            let job: CampaignJob
            do {
                job = try CampaignJob(.init(key: key, csv: csv, phone: phone, content: text, templateId: templateId,
                                            variables: vars, sender: sender))
            } catch var e as SMSError {
                // The plan's messages name sms.campaign's fields: here they are options.
                for (field, option) in [("'content'", "--text"), ("'variables", "'--var"), ("'phone'", "--phone")] {
                    e.message = e.message.replacing(field, with: option)
                }
                if e.message.hasPrefix("sms.campaign: ") { e.message = String(e.message.dropFirst("sms.campaign: ".count)) }
                // A placeholder without its column, a column the file lacks: usage errors (exit 2), as
                // smsh send's --to-file --column; invalid rows (INVALID_MSISDN) and bad bytes are not.
                if e.code == SMSError.Code.invalidArgument { throw OneOff.usageError("campaign", e.message) }
                throw e
            }
            // The session's --concurrency is the campaign's width too; without it, sms.campaign's default.
            let width = options.session.concurrency ?? min(SMSEnvironment.defaultCallConcurrency, env.concurrency)
            let engineOptions = CampaignEngine.Options(key: key, rate: rate, window: try window.map(CampaignCommand.sendWindow),
                                                       waitForWindow: true, concurrency: width)
            let summary: [String: JSONValue]
            do {
                summary = try job.run(engineOptions, env: env, function: CampaignCommand.function)
            } catch is ClockInterrupted {
                // Ctrl-C or SIGTERM: say how far it got and how to go on (exit 130/143 as before).
                let sent = env.gate.summary.sends.count, resumed = env.gate.summary.replays.count
                throw SMSError(status: nil, code: "INTERRUPTED",
                               message: "campaign '\(key)' stopped: \(sent) sent this run, \(resumed) resumed, each journaled; "
                                   + "the same command resumes it, sending none twice",
                               retryable: false)
            }
            CampaignCommand.printSummary(summary, to: out)
        }
    }

    /// `-o json`: the summary as one object (what `sms.campaign` returns). Table: the counts,
    /// then the invalid rows, one a line with its file line.
    static func printSummary(_ summary: [String: JSONValue], to out: ResultPrinter) {
        guard out.format == .table else {
            out.object(summary)
            return
        }
        var counts = summary
        counts["uuids"] = nil
        let invalid = summary["invalid"]?.arrayValue ?? []
        counts["invalid"] = .int(Int64(invalid.count))
        out.object(counts, preferred: ["key", "sends", "resumed", "recipients", "credits", "duplicates", "invalid", "dryRun"])
        guard !invalid.isEmpty else { return }
        out.write("\ninvalid rows (not sent):\n")
        out.list(invalid.compactMap(\.objectValue), document: [:], preferred: ["line", "value", "reason"])
    }
}
