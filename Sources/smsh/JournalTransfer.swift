import ArgumentParser
#if canImport(Glibc)
import Glibc
#endif
import LuaHost
import SMSClient
import SMSState

extension JournalCommand {
    /// `smsh journal export`: every entry of the store in effect as JSON Lines on stdout.
    struct Export: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Write every journal entry as JSON Lines (one object per line) to stdout.",
            discussion: """
                To move a host's history into a shared store (state_url):
                  smsh journal export > host1.jsonl
                  SMSH_STATE_URL=postgresql://smsh@db/smsh smsh journal import host1.jsonl
                """)
        @Option(help: ArgumentHelp("Only keys of this scope (an API base URL, or sandbox).", valueName: "scope")) var scope: String?
        @OptionGroup var state: StoreOptions

        func run() throws {
            var entries = try JournalCommand.storeCall { try JournalCommand.store(state).entries(scope: nil) }
            if let scope { entries = entries.filter { JournalCommand.entry($0, isIn: scope) } }
            var out = ""
            for e in entries { out += JournalTransfer.line(e).serializedString(sortedKeys: true) + "\n" }
            print(out, terminator: "")
        }
    }

    /// `smsh journal import FILE`: the entries of an export into the store in effect.
    struct Import: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Add the entries of a `smsh journal export` file to the store in effect.",
            discussion: """
                A key the store does not have (or has as failed, i.e. free) is imported;
                one it has with the same state, result and request is skipped; one it
                has otherwise (another state or another uuid) is refused and named:
                nothing of it changes. Exit 0 when nothing was refused, 1 otherwise.
                """)
        @Argument(help: "A file written by smsh journal export (- for stdin).") var file: String
        @OptionGroup var state: StoreOptions

        func run() throws {
            let text: String
            do {
                text = try JournalTransfer.read(file)
            } catch let e as JournalTransfer.Problem {
                writeUsageError("smsh journal import: \(e.message)")
                throw ExitCode(ExitCodes.usage)
            }
            var entries: [JournalEntry] = []
            for (n, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
            where !line.allSatisfy(\.isWhitespace) {
                guard let e = JournalTransfer.entry(String(line)) else {
                    writeUsageError("smsh journal import: \(file):\(n + 1): not a journal entry of smsh journal export; nothing was imported")
                    throw ExitCode(ExitCodes.usage)
                }
                entries.append(e)
            }
            let store = try JournalCommand.store(state)
            var imported = 0, skipped = 0, refused = 0
            for e in entries {
                let existing = try JournalCommand.storeCall { try store.entries(scope: e.scope) }.first { $0.key == e.key }
                switch JournalTransfer.compare(existing: existing, incoming: e) {
                case .importIt:
                    try JournalCommand.storeCall { try store.record(e) }
                    imported += 1
                case .same:
                    skipped += 1
                case .conflict(let why):
                    refused += 1
                    writeToStandardError("smsh journal import: '\(e.key)' (\(e.scope)): \(why); not imported\n")
                }
            }
            print("imported \(imported), skipped \(skipped) already present\(refused > 0 ? ", refused \(refused) conflicting" : "") (into \(store.location))")
            if refused > 0 { throw ExitCode(1) }
        }
    }
}

/// The JSON Lines form of journal entries (`smsh journal export` / `import`).
enum JournalTransfer {
    struct Problem: Error { let message: String }

    static func line(_ e: JournalEntry) -> JSONValue {
        var o: [String: JSONValue] = [
            "key": .string(e.key), "state": .string(e.state.rawValue), "api": .string(e.scope.api),
            "account": .string(e.scope.account), "at": .double(e.at), "pid": .int(Int64(e.pid)), "host": .string(e.host),
        ]
        if let w = e.wallTime { o["wall"] = .double(w) }
        if let r = e.result { o["result"] = .object(r) }
        if let d = e.request { o["request"] = d.json }
        return .object(o)
    }

    static func entry(_ text: String) -> JournalEntry? {
        guard let o = (try? JSONValue.parse(text))?.objectValue,
              let key = o["key"]?.stringValue, !key.isEmpty,
              let state = o["state"]?.stringValue.flatMap(JournalEntry.State.init(rawValue:)),
              let api = o["api"]?.stringValue, let account = o["account"]?.stringValue,
              let at = o["at"]?.doubleValue else { return nil }
        return JournalEntry(
            scope: StateScope(api: api, account: account), key: key, state: state, at: at,
            pid: Int32(truncatingIfNeeded: Int64(o["pid"]?.doubleValue ?? 0)), host: o["host"]?.stringValue ?? "",
            result: o["result"]?.objectValue, request: o["request"].flatMap(RequestDigest.init(json:)),
            wallTime: o["wall"]?.doubleValue)
    }

    enum Decision: Equatable {
        case importIt
        case same
        case conflict(String)
    }

    /// Whether `incoming` may go into a store holding `existing` for its key.
    static func compare(existing: JournalEntry?, incoming e: JournalEntry) -> Decision {
        guard let x = existing, x.state != .failed else { return existing?.state == e.state ? .same : .importIt }
        let uuid = { (entry: JournalEntry) in entry.result?["uuid"]?.stringValue }
        if x.state == e.state, uuid(x) == uuid(e), x.request == e.request || x.request == nil || e.request == nil { return .same }
        func describe(_ entry: JournalEntry) -> String { entry.state.rawValue + (uuid(entry).map { " (uuid \($0))" } ?? "") }
        return .conflict("this store has it as \(describe(x)), the file as \(describe(e))")
    }

    static func read(_ file: String) throws -> String {
        let fp: UnsafeMutablePointer<FILE>? = file == "-" ? fdopen(dup(0), "r") : fopen(file, "r")
        guard let fp else { throw Problem(message: "cannot read \(file): \(String(cString: strerror(errno)))") }
        defer { fclose(fp) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = fread(&buffer, 1, buffer.count, fp)
            if n <= 0 { break }
            bytes += buffer[0..<n]
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
