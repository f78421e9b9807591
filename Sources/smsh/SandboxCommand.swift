import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSClient
import SMSConfig
import SMSSimulator
import SMSState

/// `smsh sandbox status|reset`: the persistent `--sandbox` account (`PersistentSandbox`).
struct SandboxCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sandbox",
        abstract: "Show or start over the --sandbox account (credit, messages, clock).",
        discussion: HelpText.sentences("""
            Every --sandbox run and command shares one simulated account under $XDG_STATE_HOME/smsh/sandbox/: smsh --sandbox send, then smsh --sandbox message UUID, work as a chain. Its clock continues from where the last run left it, plus the real time since: delivery progresses between commands, and a wait in one run moves it on for the next.

            Examples:
              smsh sandbox status
              smsh sandbox reset --credit 500 --seed 7
            """),
        subcommands: [Status.self, Reset.self],
        defaultSubcommand: Status.self
    )

    struct Status: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print the sandbox account: credit, messages, clock, where it lives.")

        @Option(name: [.customShort("o"), .customLong("output")], help: ArgumentHelp("table or json.", valueName: "format"))
        var output: OutputFormat = .table

        func validate() throws {
            if output != .table && output != .json { throw ValidationError("-o for smsh sandbox status is table or json.") }
        }

        func run() throws {
            let store = try SandboxCommand.store()
            let (account, count) = try store.transaction { (try store.account(), try store.messageCount()) }
            var out: [String: JSONValue] = ["location": .string(store.directory), "messages": .int(Int64(count))]
            if let account {
                let now = Date().timeIntervalSince1970
                let clock = account.clock(atReal: now)
                out["credit"] = .double(account.balance)
                out["startingCredit"] = .double(account.startingCredit)
                out["seed"] = .string(String(account.seed))
                out["clock"] = .string(SandboxPersistence.isoTime(clock))
                out["clockAhead"] = .int(Int64(max(0, clock - now).rounded()))
            } else {
                out["account"] = .string("none yet: created by the first --sandbox request")
            }
            ResultPrinter(format: output).object(out, preferred: ["credit", "startingCredit", "messages", "clock", "clockAhead", "seed",
                                                                   "location"])
        }
    }

    struct Reset: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Start the sandbox account over and forget the sandbox's send-once keys.",
            discussion: "Without --credit or --seed, the profile's sandbox_credit and sandbox_seed (else 10000 and 1) apply.")

        @Option(help: ArgumentHelp("The new account's credit.", valueName: "credits"))
        var credit: Double?

        @Option(help: ArgumentHelp("The new account's seed of delivery outcomes and delays.", valueName: "n"))
        var seed: UInt64?

        @Option(help: ArgumentHelp("The profile whose sandbox_credit and sandbox_seed apply.", valueName: "name"))
        var profile: String?

        func validate() throws {
            if let credit, !(credit >= 0 && credit.isFinite) { throw ValidationError("--credit must be a number >= 0 (got \(credit)).") }
        }

        func run() throws {
            let settings = CommandLineSettings(profile: profile, sandbox: true)
            let config = try ScriptSession.orExit { try EffectiveConfig.resolve(commandLine: settings, environment: .process) }
            let store = try SandboxCommand.store()
            let account = PersistentSandbox.newAccount(credit: credit ?? config.sandboxCredit.value, seed: seed ?? config.sandboxSeed.value)
            let removed = try store.transaction { try store.reset(to: account) }
            let keys: Int
            do {
                keys = try SQLiteStateStore(path: SQLiteStateStore.defaultPath()).forget(scope: .sandbox, keyPrefix: "").count
            } catch let e as StateStoreError {
                StderrMessages.error("sandbox reset: \(e.description)")
                throw ExitCode(1)
            }
            print("sandbox reset: credit \(PersistentSandbox.formatted(account.startingCredit)), seed \(account.seed); "
                  + "\(removed) message(s) removed, \(keys) send-once key(s) of the sandbox scope forgotten")
        }
    }

    static func store() throws -> SandboxStore {
        do {
            return try SandboxStore(directory: PersistentSandbox.directory())
        } catch let e as StateStoreError {
            StderrMessages.error("sandbox: \(e.description)")
            throw ExitCode(1)
        }
    }
}
