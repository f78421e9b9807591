import ArgumentParser
import SMSClient

/// `smsh credit`: the account's balance (`sms.credit()`).
struct CreditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "credit",
        abstract: "Print the account's credit balance.",
        discussion: HelpText.sentences("""
            Examples:
              smsh --sandbox credit
              smsh credit -o json | jq .balance
            """))

    @OptionGroup var options: OneOffOptions

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            out.object(try connection.environment.client().credit().json, preferred: ["balance", "currency"])
        }
    }
}

/// `smsh senders`: every sender name and its status (`sms.senders()`).
struct SendersCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "senders",
        abstract: "List the account's sender names and their status (only approved ones can send).",
        discussion: HelpText.sentences("""
            Examples:
              smsh --sandbox senders
              smsh senders -o csv > senders.csv
            """))

    @OptionGroup var options: OneOffOptions

    func run() throws {
        try OneOff.run(options, command: Self._commandName) { connection, out in
            let list = try connection.environment.client().senders()
            out.list(list.data.map(\.json), document: list.json, preferred: ["name", "status", "shared"])
        }
    }
}
