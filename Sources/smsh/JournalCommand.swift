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
import SMSOperations
import SMSState

struct JournalCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "journal",
        abstract: "Inspect the send-once journal (sends made with once = \"key\", and sms.retry).",
        discussion: """
            The journal lives in the state store, $XDG_STATE_HOME/smsh/state.sqlite3
            (default ~/.local/state/smsh). Every key belongs to a scope: the API base
            URL and a digest of the API key (never the key), or "sandbox". Keys from
            an older journal.jsonl are imported once into the scope "legacy", which
            answers for every API.
              smsh journal path               where the store is
              smsh journal list               every key: state, time, uuid, scope
              smsh journal list --uncertain   intents whose run ended without outcome
              smsh journal list --prefix P --scope S -o json
              smsh journal show KEY           the recorded result of KEY
              smsh journal reconcile          find uncertain keys' sends among the
                                              account's messages
              smsh journal forget KEY         allow a new send with KEY
              smsh journal forget KEY --scope S    when KEY is in several scopes
              smsh journal forget --prefix P  every key starting with P (a campaign:
                                              --prefix 'CAMPAIGN/')
              smsh journal export > FILE      every entry as JSON Lines
              smsh journal import FILE        entries of an export into this store
            With state_url (a profile's, or $SMSH_STATE_URL) the journal is in
            PostgreSQL, shared by every host that names it (profile: --profile,
            $SMSH_PROFILE or default_profile). A config file that cannot be read
            is refused (exit 2), never taken as "no state_url".
            """,
        subcommands: [Path.self, List.self, Show.self, Forget.self, Reconcile.self, Export.self, Import.self]
    )

    /// The state store in effect: `SMSH_STATE_URL` or the profile's `state_url` (profile:
    /// `--profile`, `SMSH_PROFILE`, else `default_profile`), else the local SQLite file. A
    /// config file that cannot be read is refused (exit 2), never taken as "no state_url".
    static func store(_ options: StoreOptions) throws -> StateStore {
        do {
            return try StateStores.open(url: url(options))
        } catch let e as StateStoreError {
            writeUsageError("smsh journal: \(e.description)")
            throw ExitCode(e.code == "STATE_STORE" ? ExitCodes.stateStore : 1)
        }
    }

    /// The state_url `options` select, or nil; a configuration problem exits 2 (CONFIG).
    static func url(_ options: StoreOptions) throws -> String? {
        try ScriptSession.orExit { try StateStores.url(options: SessionSettings(profile: options.profile)) }
    }

    /// `--profile`: whose `state_url` the journal commands use.
    struct StoreOptions: ParsableArguments {
        @Option(help: ArgumentHelp("Use this profile's state_url (default: $SMSH_PROFILE, else default_profile).", valueName: "name"),
                completion: ProfileCompletion.kind)
        var profile: String?
    }

    /// Runs a store operation; a store failure is reported as `store()` reports it.
    static func storeCall<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as StateStoreError {
            writeUsageError("smsh journal: \(e.description)")
            throw ExitCode(e.code == "STATE_STORE" ? ExitCodes.stateStore : 1)
        }
    }

    /// The entries of `key`, narrowed to `scope` (its `api` part, or `api (account …)`) when given.
    static func entries(of key: String, scope: String?, in options: StoreOptions) throws -> [JournalEntry] {
        let all = try storeCall { try store(options).entries(scope: nil) }.filter { $0.key == key }
        guard let scope else { return all }
        return all.filter { entry($0, isIn: scope) }
    }

    struct Path: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the state store's path (or its state_url, password masked).")
        @OptionGroup var state: StoreOptions
        func run() throws { print(StateStores.location(url: try JournalCommand.url(state))) }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List the keys with their state, time, uuid and scope.",
            discussion: """
                Times are real (wall-clock) times in ISO 8601 with the local offset,
                also for sandbox keys (whose session clock is virtual). --uncertain
                lists the intents whose run has ended without an outcome (the send
                may or may not have gone out): see smsh journal reconcile and
                smsh journal forget.
                """)
        @Option(help: ArgumentHelp("Only keys of this scope (an API base URL, or sandbox).", valueName: "scope")) var scope: String?
        @Option(help: ArgumentHelp("Only keys starting with this (a campaign's keys are CAMPAIGN/…).", valueName: "prefix")) var prefix: String?
        @Flag(help: "Only uncertain keys: intents whose run ended without an outcome.") var uncertain = false
        @Option(name: [.customShort("o"), .customLong("output")],
                help: ArgumentHelp("table (tab-separated, a header first), json (one array), jsonl (one object per line) or csv.", valueName: "format"))
        var output: OutputFormat = .table
        @OptionGroup var state: StoreOptions

        func run() throws {
            var entries = try JournalCommand.storeCall { try JournalCommand.store(state).entries(scope: nil) }
            if let scope { entries = entries.filter { JournalCommand.entry($0, isIn: scope) } }
            if let prefix { entries = entries.filter { $0.key.hasPrefix(prefix) } }
            if uncertain { entries = JournalReconciler.uncertain(entries) }
            let rows = entries.map(JournalCommand.row)
            switch output {
            case .table:
                guard !entries.isEmpty else {
                    let filtered = scope != nil || prefix != nil || uncertain
                    print(filtered ? "no key matches" : "the journal is empty")
                    return
                }
                var out = "KEY\tSTATE\tTIME\tUUID\tSCOPE\n"
                for (e, r) in zip(entries, rows) {
                    let state = r["uncertain"] == .bool(true) ? "intent (uncertain)" : e.state.rawValue
                    out += "\(e.key)\t\(state)\t\(r["at"]?.stringValue ?? "")\t\(r["uuid"]?.stringValue ?? "-")\t\(e.scope)\n"
                }
                print(out, terminator: "")
            case .json:
                print(JSONValue.array(rows.map(JSONValue.object)).serializedString(pretty: true))
            case .jsonl, .csv:
                ResultPrinter(format: output).list(rows, document: [:], preferred: JournalCommand.rowFields)
            }
        }
    }

    static let rowFields = ["key", "state", "at", "uuid", "api", "account", "uncertain", "pid", "host", "sessionAt"]

    /// One entry for -o json/jsonl/csv: real times with the local offset, the scope's parts.
    static func row(_ e: JournalEntry) -> [String: JSONValue] {
        var o: [String: JSONValue] = [
            "key": .string(e.key), "state": .string(e.state.rawValue), "at": .string(localTime(e.recordedAt)),
            "uuid": e.result?["uuid"] ?? .null, "api": .string(e.scope.api), "account": .string(e.scope.account),
            "uncertain": .bool(e.state == .intent && SendOnceJournal.runHasEnded(e)),
            "pid": .int(Int64(e.pid)), "host": .string(e.host),
        ]
        // The session clock's time when it was not the real one (the sandbox's virtual clock).
        if let wall = e.wallTime, abs(wall - e.at) > 1 { o["sessionAt"] = .string(localTime(e.at)) }
        return o
    }

    /// `2026-12-06T22:13:34+07:00`: the local time zone's offset at that moment.
    static func localTime(_ seconds: Double) -> String {
        var t = time_t(seconds.rounded(.down)), parts = tm()
        localtime_r(&t, &parts)
        return ISO8601Time.format(epochSeconds: Int64(seconds.rounded(.down)), offsetSeconds: Int64(parts.tm_gmtoff))
    }

    /// Whether `e` is in the scope named `scope` (its `api` part, or `api (account …)`).
    static func entry(_ e: JournalEntry, isIn scope: String) -> Bool {
        e.scope.api == scope || e.scope.description == scope
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show the recorded state and result of a key.")
        @Argument(help: "The once key.") var key: String
        @Option(help: ArgumentHelp("Only the entry of this scope (an API base URL, or sandbox).", valueName: "scope")) var scope: String?
        @OptionGroup var state: StoreOptions
        func run() throws {
            let found = try JournalCommand.entries(of: key, scope: scope, in: state)
            guard !found.isEmpty else {
                writeUsageError("smsh journal: no entry for '\(key)'")
                throw ExitCode(1)
            }
            for e in found {
                var object: [String: JSONValue] = [
                    "key": .string(e.key), "state": .string(e.state.rawValue), "at": .string(JournalCommand.localTime(e.recordedAt)),
                    "pid": .int(Int64(e.pid)), "host": .string(e.host), "api": .string(e.scope.api), "account": .string(e.scope.account),
                ]
                if let r = e.result { object["result"] = .object(r) }
                if let d = e.request { object["request"] = d.json }
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
        @OptionGroup var state: StoreOptions

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
            let found = try JournalCommand.entries(of: key, scope: scope, in: state)
            if found.isEmpty {
                writeUsageError("smsh journal: no entry for '\(key)'\(scope.map { " in scope \($0)" } ?? "")")
                throw ExitCode(1)
            }
            if found.count > 1 {
                writeUsageError("smsh journal: '\(key)' is in \(found.count) scopes (\(found.map(\.scope.description).joined(separator: ", "))); say which with --scope")
                throw ExitCode(ExitCodes.usage)
            }
            _ = try JournalCommand.storeCall { try JournalCommand.store(state).forget(scope: found[0].scope, key: key) }
            print("forgot '\(key)' (\(found[0].scope))")
        }

        /// Every key starting with `prefix`, in one scope: keys of several scopes (the sandbox
        /// and a real account) are never forgotten together by accident.
        private func forgetPrefix(_ prefix: String) throws {
            let store = try JournalCommand.store(state)
            var matching = try JournalCommand.storeCall { try store.entries(scope: nil) }.filter { $0.key.hasPrefix(prefix) }
            if let scope { matching = matching.filter { JournalCommand.entry($0, isIn: scope) } }
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
            let removed = try JournalCommand.storeCall { try store.forget(scope: only, keyPrefix: prefix) }
            for e in removed { print("forgot '\(e.key)' (\(e.scope))") }
            print("forgot \(removed.count) key\(removed.count == 1 ? "" : "s") starting with '\(prefix)'")
        }
    }
}
