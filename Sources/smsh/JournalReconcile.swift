import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LuaHost
import SMSClient
import SMSOperations
import SMSState

extension JournalCommand {
    /// `smsh journal reconcile`: resolves uncertain keys from the account's recent messages.
    struct Reconcile: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Find each uncertain key's send among the account's recent messages and record it as sent.",
            discussion: """
                Reads the account's messages, most recent first, back to --since
                (default: the oldest uncertain key's intent, less 2 minutes of clock
                skew). An uncertain key (an intent whose run ended without an
                outcome) whose send is found (same sender, same text or template,
                same recipient count, created after the intent) is recorded as sent
                with that message's uuid; a message is matched to one key at most.
                Keys that match nothing are listed, and freed for a new send only
                with --forget-unmatched (asked on a terminal; --yes for cron).
                Exit 0 when no uncertain key remains, 8 when some do.
                  smsh journal reconcile
                  smsh journal reconcile --since 6h --forget-unmatched --yes
                """)

        @OptionGroup var options: OneOffOptions

        @Option(help: ArgumentHelp("Read messages back to this time: ISO 8601 with offset, or an age such as 30m, 6h, 2d.", valueName: "time"))
        var since: String?

        @Flag(help: "Free the keys no message matches, so a new send with them goes out (asks first on a terminal).")
        var forgetUnmatched = false

        func validate() throws {
            if let since, Self.parse(since: since, now: 0) == nil {
                throw ValidationError("--since: '\(since)' is not ISO 8601 with an offset (2026-12-06T09:00:00+07:00) nor an age (30m, 6h, 2d)")
            }
        }

        /// Seconds since 1970, from ISO 8601 or an age before `now`.
        static func parse(since text: String, now: Double) -> Double? {
            if let t = ISO8601Time.parse(text) { return Double(t) }
            let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600, "d": 86_400]
            guard let unit = text.last.flatMap({ units[$0] }), let n = Double(text.dropLast()), n >= 0, n.isFinite else { return nil }
            return now - n * unit
        }

        func run() throws {
            if forgetUnmatched, !options.session.yes, !options.dryRun, isatty(0) != 1 || isatty(2) != 1 {
                StderrMessages.error("journal reconcile: --forget-unmatched frees keys whose send may have gone out: "
                    + "run it on a terminal to confirm, or pass --yes", code: "USAGE")
                throw ExitCode(ExitCodes.usage)
            }
            var remaining = 0
            try OneOff.run(options, command: "journal-reconcile") { connection, out in
                let journal = connection.environment.journal
                let store = try journal.store()
                let entries = try journaled { try store.entries(scope: journal.scope) }
                let uncertain = JournalReconciler.uncertain(entries)
                // A message some key already has as its send is never another key's.
                let known = Set(entries.compactMap { $0.result?["uuid"]?.stringValue })
                guard !uncertain.isEmpty else {
                    print(options.output == .json ? "[]" : "no uncertain keys in \(journal.scope)")
                    return
                }
                let now = Self.wallClock()
                let oldest = uncertain.map(\.recordedAt).min() ?? now
                let cutoff = since.flatMap { Self.parse(since: $0, now: now) } ?? oldest - JournalReconciler.clockSkew
                let messages = try JournalReconciler.recentMessages(try connection.environment.client(), since: cutoff)
                    .filter { $0.uuid.map { !known.contains($0) } ?? true }
                let outcome = JournalReconciler.match(uncertain, messages: messages)
                var rows: [[String: JSONValue]] = []
                for (entry, message) in outcome.matched {
                    var result = message.json
                    result["reconciled"] = .bool(true)
                    if !options.dryRun {
                        try journaled {
                            try store.record(JournalEntry(
                                scope: entry.scope, key: entry.key, state: .done, at: entry.at, pid: getpid(), host: entry.host,
                                result: result, request: entry.request, wallTime: now))
                        }
                    }
                    rows.append(["key": .string(entry.key), "state": .string("done"), "uuid": message.json["uuid"] ?? .null,
                                 "createdAt": message.json["createdAt"] ?? .null])
                }
                var unmatched = outcome.unmatched
                var forget = false
                if forgetUnmatched, !unmatched.isEmpty, !options.dryRun { forget = try confirmForget(unmatched.count) }
                for (entry, reason) in unmatched {
                    if forget { _ = try journaled { try store.forget(scope: entry.scope, key: entry.key) } }
                    rows.append(["key": .string(entry.key), "state": .string(forget ? "forgotten" : "unmatched"), "uuid": .null,
                                 "reason": .string(reason)])
                }
                if forget { unmatched = [] }
                remaining = unmatched.count
                switch options.output {
                case .table:
                    for r in rows {
                        let tail = r["uuid"]?.stringValue ?? r["reason"]?.stringValue ?? ""
                        print("\(r["key"]?.stringValue ?? "")\t\(r["state"]?.stringValue ?? "")\t\(tail)")
                    }
                case .json:
                    print(JSONValue.array(rows.map(JSONValue.object)).serializedString(pretty: true))
                case .jsonl, .csv:
                    out.list(rows, document: [:], preferred: ["key", "state", "uuid", "createdAt", "reason"])
                }
                if options.dryRun { writeToStandardError("smsh: dry run: the journal was not changed\n") }
            }
            if remaining > 0 {
                StderrMessages.error("JOURNAL_UNCERTAIN: \(remaining) key(s) remain uncertain: check smsh messages, then "
                    + "smsh journal forget KEY (or reconcile --forget-unmatched)", code: "JOURNAL_UNCERTAIN")
                throw ExitCode(ExitCodes.journalUncertain)
            }
        }

        /// Whether to free `count` unmatched keys: --yes says so, else the terminal is asked
        /// (`run` refused to start without either).
        private func confirmForget(_ count: Int) throws -> Bool {
            if options.session.yes { return true }
            writeToStandardError("forget \(count) unmatched key(s)? A later send with them goes out again. [y/N] ")
            guard let answer = readLine() else { return false }
            return ["y", "yes"].contains(answer.filter { $0 != " " && $0 != "\t" }.lowercased())
        }

        private func journaled<T>(_ body: () throws -> T) throws -> T {
            do {
                return try body()
            } catch let e as StateStoreError {
                throw SMSError(status: nil, code: e.code, message: "journal reconcile: \(e.description)", retryable: false)
            }
        }

        static func wallClock() -> Double {
            var t = timespec()
            clock_gettime(CLOCK_REALTIME, &t)
            return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
        }
    }
}
