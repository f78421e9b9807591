import ArgumentParser
import Foundation
import SMSClient
import SMSLua

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Inspect the send-once journal (sends made with once = \"key\").",
        discussion: """
            The journal lives in $XDG_STATE_HOME/smsh/journal.jsonl (default ~/.local/state/smsh).
              smsh journal list          every key, its state and when
              smsh journal show KEY      the recorded result of KEY
              smsh journal forget KEY    allow a new send with KEY (e.g. after JOURNAL_UNCERTAIN)
            """,
        subcommands: [List.self, Show.self, Forget.self]
    )

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every key with its state.")
        func run() throws {
            let entries = try SendJournal(path: SendJournal.defaultPath()).list()
            if entries.isEmpty { print("the journal is empty") }
            for e in entries {
                let uuid = e.result?["uuid"]?.stringValue ?? "-"
                print("\(e.key)\t\(e.state)\t\(LogModule.timestamp(e.at))\t\(uuid)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the recorded result of a key.")
        @Argument(help: "The once key.") var key: String
        func run() throws {
            guard let e = try SendJournal(path: SendJournal.defaultPath()).list().first(where: { $0.key == key }) else {
                writeUsageError("smsh journal: no entry for '\(key)'")
                throw ExitCode(1)
            }
            var object: [String: JSONValue] = ["key": .string(e.key), "state": .string(e.state), "at": .string(LogModule.timestamp(e.at)),
                                               "pid": .int(Int64(e.pid))]
            if let r = e.result { object["result"] = .object(r) }
            print(JSONValue.object(object).serializedString(pretty: true))
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Forget a key so a later send with it goes out again.")
        @Argument(help: "The once key.") var key: String
        func run() throws {
            if try SendJournal(path: SendJournal.defaultPath()).forget(key: key, now: Date().timeIntervalSince1970) {
                print("forgot '\(key)'")
            } else {
                writeUsageError("smsh journal: no entry for '\(key)'")
                throw ExitCode(1)
            }
        }
    }
}
