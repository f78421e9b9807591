import ArgumentParser
import SMSClient

/// `smsh send`: one send through the same gates as `sms.send` (`SendGate`: send-once
/// journal, budget, confirmation, dry run), so `smsh send --once K` and
/// `sms.send{once = "K"}` against the same API are one key.
struct SendCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Send one message (text or template) to numbers, a file of numbers, or a contact group.",
        discussion: HelpText.sentences("""
            Numbers are checked (and de-duplicated) before anything is sent; an invalid one is an error naming it. --once KEY sends at most once per KEY and API account: a repeated command, or a script's sms.send{once = KEY}, prints the recorded result with replayed = true (see smsh journal). Templates: --template-id ID with --var name=value for each {{name}}.

            Examples:
              smsh --sandbox send --sender SMSHDEMO --text Hi --to 0812345678
              smsh send --sender SHOP --text Hi --to-file c.csv --column phone
              smsh send --sender SHOP --template-id 1 --var name=Toon --group 1
              smsh send --sender SHOP --text Hi --group 1 --schedule 1780282800
              smsh send --sender SHOP --text Report --to 0812345678 --once r-0601
            """))

    @OptionGroup var inputs: MessageInputs

    @Option(help: ArgumentHelp("Send at most once with this key (per API and account): a repeat prints the first result, replayed = true.", valueName: "key"))
    var once: String?

    @OptionGroup var options: OneOffOptions

    func validate() throws {
        if let once, once.isEmpty { throw ValidationError("--once needs a non-empty key.") }
    }

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            let env = connection.environment
            let (request, fileDuplicates) = try inputs.request(command: "send", defaultSender: env.defaultSender)
            let result = try inputs.namingOptions(command: "send") { try env.gate.send(request, once: once, function: "smsh send") }
            out.object(MessageInputs.counting(fileDuplicates: fileDuplicates, in: result), preferred: SendCommand.columns)
        }
    }

    static let columns = ["uuid", "status", "recipients", "parts", "credits", "scheduledTime", "duplicatesRemoved",
                          "dryRun", "once", "replayed"]
}

/// `smsh preview`: what a send would cost (`sms.preview`): parts, credits, encoding.
struct PreviewCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "preview",
        abstract: "Show the parts and credits a send would take (nothing is sent).",
        discussion: HelpText.sentences("""
            Takes the same message and recipient options as smsh send.

            Examples:
              smsh --sandbox preview --text 'สวัสดีครับ' --to 0812345678
              smsh preview --text 'Sale at 10:00' --to-file numbers.txt -o json
            """))

    @OptionGroup var inputs: MessageInputs
    @OptionGroup var options: OneOffOptions

    func validate() throws {
        if inputs.schedule != nil { throw ValidationError("--schedule is for smsh send: a preview's cost does not depend on it.") }
    }

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            let env = connection.environment
            // A preview needs no sender: any placeholder passes the send's checks.
            let (request, fileDuplicates) = try inputs.request(command: "preview", defaultSender: inputs.sender ?? env.defaultSender ?? "preview")
            let result = try inputs.namingOptions(command: "preview") { try env.client().preview(PreviewRequest(request)) }
            out.object(MessageInputs.counting(fileDuplicates: fileDuplicates, in: result.json),
                       preferred: ["recipients", "parts", "credits", "encoding", "characters"])
        }
    }
}
