import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SMSClient
import SMSLua
import SMSState

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Inspect the send-once journal (sends made with once = \"key\", and sms.retry).",
        discussion: """
            The journal lives in the state store, $XDG_STATE_HOME/smsh/state.sqlite3 (default
            ~/.local/state/smsh). Every key belongs to a scope: the API base URL and a digest of
            the API key (never the key), or "sandbox". Keys from an older journal.jsonl are
            imported once into the scope "legacy", which answers for every API.
              smsh journal path                  where the store is
              smsh journal list                  every key: scope, state, when, uuid
              smsh journal show KEY              the recorded result of KEY
              smsh journal forget KEY            allow a new send with KEY (e.g. after JOURNAL_UNCERTAIN)
              smsh journal forget KEY --scope S  when KEY is in several scopes
              smsh journal forget --prefix P     every key starting with P (a campaign: --prefix 'CAMPAIGN/')
            """,
        subcommands: [Path.self, List.self, Show.self, Forget.self]
    )

    static func store() throws -> SQLiteStateStore {
        do {
            return try SQLiteStateStore(path: SQLiteStateStore.defaultPath())
        } catch let e as StateStoreError {
            writeUsageError("smsh journal: \(e.description)")
            throw ExitCode(1)
        }
    }

    /// The entries of `key`, narrowed to `scope` (its `api` part, or `api (account …)`) when given.
    static func entries(of key: String, scope: String?) throws -> [JournalEntry] {
        let all = try store().entries(scope: nil).filter { $0.key == key }
        guard let scope else { return all }
        return all.filter { $0.scope.api == scope || $0.scope.description == scope }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the state store's path.")
        func run() throws { print(SQLiteStateStore.defaultPath()) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List every key with its scope and state.")
        func run() throws {
            let entries = try JournalCommand.store().entries(scope: nil)
            if entries.isEmpty { print("the journal is empty") }
            for e in entries {
                let uuid = e.result?["uuid"]?.stringValue ?? "-"
                print("\(e.key)\t\(e.state.rawValue)\t\(LogModule.timestamp(e.at))\t\(uuid)\t\(e.scope)")
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the recorded state and result of a key.")
        @Argument(help: "The once key.") var key: String
        @Option(help: ArgumentHelp("Only the entry of this scope (an API base URL, or sandbox).", valueName: "scope")) var scope: String?
        func run() throws {
            let found = try JournalCommand.entries(of: key, scope: scope)
            guard !found.isEmpty else {
                writeUsageError("smsh journal: no entry for '\(key)'")
                throw ExitCode(1)
            }
            for e in found {
                var object: [String: JSONValue] = [
                    "key": .string(e.key), "state": .string(e.state.rawValue), "at": .string(LogModule.timestamp(e.at)),
                    "pid": .int(Int64(e.pid)), "host": .string(e.host), "api": .string(e.scope.api), "account": .string(e.scope.account),
                ]
                if let r = e.result { object["result"] = .object(r) }
                print(JSONValue.object(object).serializedString(pretty: true))
            }
        }
    }

    struct Forget: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Forget a key (or every key starting with --prefix) so a later send with it goes out again.")
        @Argument(help: "The once key.") var key: String?
        @Option(help: ArgumentHelp("Forget every key starting with this (a campaign's keys are CAMPAIGN/…).", valueName: "prefix"))
        var prefix: String?
        @Option(help: ArgumentHelp("The scope to forget it in (an API base URL, or sandbox), when it is in several.", valueName: "scope")) var scope: String?

        func validate() throws {
            switch (key, prefix) {
            case (nil, nil): throw ValidationError("say which key to forget: KEY, or --prefix P")
            case (_?, _?): throw ValidationError("give a KEY or --prefix P, not both")
            case (nil, let p?) where p.isEmpty:
                throw ValidationError("--prefix must not be empty (it would forget every key); give a campaign's key and '/', e.g. --prefix 'spring/'")
            default: break
            }
        }

        func run() throws {
            guard let key else { return try forgetPrefix(prefix ?? "") }
            let found = try JournalCommand.entries(of: key, scope: scope)
            if found.isEmpty {
                writeUsageError("smsh journal: no entry for '\(key)'\(scope.map { " in scope \($0)" } ?? "")")
                throw ExitCode(1)
            }
            if found.count > 1 {
                writeUsageError("smsh journal: '\(key)' is in \(found.count) scopes (\(found.map(\.scope.description).joined(separator: ", "))); say which with --scope")
                throw ExitCode(ExitCodes.usage)
            }
            _ = try JournalCommand.store().forget(scope: found[0].scope, key: key)
            print("forgot '\(key)' (\(found[0].scope))")
        }

        /// Every key starting with `prefix`, in one scope: keys of several scopes (the sandbox
        /// and a real account) are never forgotten together by accident.
        private func forgetPrefix(_ prefix: String) throws {
            let store = try JournalCommand.store()
            var matching = try store.entries(scope: nil).filter { $0.key.hasPrefix(prefix) }
            if let scope { matching = matching.filter { $0.scope.api == scope || $0.scope.description == scope } }
            var scopes: [StateScope] = []
            for e in matching where !scopes.contains(e.scope) { scopes.append(e.scope) }
            guard let only = scopes.first else {
                print("nothing to forget: no key starts with '\(prefix)'\(scope.map { " in scope \($0)" } ?? "")")
                return
            }
            if scopes.count > 1 {
                writeUsageError("smsh journal: keys starting with '\(prefix)' are in \(scopes.count) scopes (\(scopes.map(\.description).joined(separator: ", "))); say which with --scope")
                throw ExitCode(ExitCodes.usage)
            }
            let removed = try store.forget(scope: only, keyPrefix: prefix)
            for e in removed { print("forgot '\(e.key)' (\(e.scope))") }
            print("forgot \(removed.count) key\(removed.count == 1 ? "" : "s") starting with '\(prefix)'")
        }
    }
}
