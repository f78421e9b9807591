import Foundation
import SMSClient

/// The send-once journal: `sms.send{..., once = "key"}` records the key with its result, so a
/// re-run (cron after a crash) returns the recorded result instead of sending again.
///
/// One append-only file of JSON lines, `{"key","state":"intent"|"done"|"forgotten","at","pid","result"}`,
/// fsync'd after every line. The whole check → intent → send → done sequence holds an
/// exclusive `flock` on the file, so two processes using the same key send at most once.
/// An `intent` without a `done` means a run died after deciding to send: the send may or may
/// not have reached the provider, so smsh refuses to guess and tells the operator
/// (`JOURNAL_UNCERTAIN`); `smsh journal forget KEY` allows a new send. A send that certainly
/// sent nothing (a 4xx or local refusal) withdraws its intent with a `forgotten` line.
public final class SendJournal {
    public let path: String

    public struct Entry: Equatable {
        public let key: String
        public let state: String
        public let at: Double
        public let pid: Int32
        public let result: [String: JSONValue]?
    }

    public init(path: String) { self.path = path }

    public static func defaultPath(environment env: [String: String] = ProcessInfo.processInfo.environment) -> String {
        let state = env["XDG_STATE_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? ((env["HOME"] ?? NSHomeDirectory()) + "/.local/state")
        return state + "/smsh/journal.jsonl"
    }

    /// Runs `send` at most once per key. Returns the result and whether it was replayed.
    public func once(key: String, now: Double, send: () throws -> [String: JSONValue]) throws -> (result: [String: JSONValue], replayed: Bool) {
        let fd = try openLocked()
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        if let last = try readEntries(fd).last(where: { $0.key == key }) {
            switch last.state {
            case "done":
                return (last.result ?? [:], true)
            case "intent":
                throw SMSError(status: nil, code: "JOURNAL_UNCERTAIN",
                               message: "a run (pid \(last.pid)) recorded the intent to send '\(key)' at \(ISO8601Time.formatUTC(epochSeconds: last.at)) but no result: "
                                   + "it may or may not have been sent. Check sms.messages(), then `smsh journal forget \(key)` to allow a new send",
                               retryable: false)
            default: break
            }
        }
        try append(fd, Entry(key: key, state: "intent", at: now, pid: getpid(), result: nil))
        if let pause = ProcessInfo.processInfo.environment["SMSH_TEST_PAUSE_AFTER_INTENT"], let seconds = Double(pause) {
            usleep(UInt32(seconds * 1_000_000))  // lets the crash test kill -9 a run right here
        }
        let result: [String: JSONValue]
        do {
            result = try send()
        } catch let e as SMSError where SendJournal.definitelyNotSent(e) {
            // Refused before or by the provider (bad argument, budget, 402, ...): nothing went
            // out, so the intent is withdrawn and a later run may try again. Without this, a
            // cron job's 402 would turn into JOURNAL_UNCERTAIN on the re-run after a top-up.
            try append(fd, Entry(key: key, state: "forgotten", at: now, pid: getpid(), result: nil))
            throw e
        }
        try append(fd, Entry(key: key, state: "done", at: now, pid: getpid(), result: result))
        return (result, false)
    }

    /// True when a failed send certainly sent nothing: the provider answered 4xx, or the
    /// failure is local (validation, budget, confirmation). Network failures, timeouts, 5xx and
    /// unreadable 2xx answers may have sent, so their intent stays (`JOURNAL_UNCERTAIN`).
    static func definitelyNotSent(_ e: SMSError) -> Bool {
        if let status = e.status { return (400..<500).contains(status) }
        return ![SMSError.Code.network, SMSError.Code.timeout, SMSError.Code.badResponse, "INTERRUPTED"].contains(e.code)
    }

    /// The latest entry of every key, in file order.
    public func list() throws -> [Entry] {
        let fd = try openLocked()
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        var latest: [String: Entry] = [:]
        var order: [String] = []
        for e in try readEntries(fd) {
            if latest[e.key] == nil { order.append(e.key) }
            latest[e.key] = e
        }
        return order.compactMap { latest[$0] }.filter { $0.state != "forgotten" }
    }

    /// Forgets a key so a later send with it goes out again. False if the key is unknown.
    public func forget(key: String, now: Double) throws -> Bool {
        let fd = try openLocked()
        defer {
            flock(fd, LOCK_UN)
            close(fd)
        }
        guard let last = try readEntries(fd).last(where: { $0.key == key }), last.state != "forgotten" else { return false }
        try append(fd, Entry(key: key, state: "forgotten", at: now, pid: getpid(), result: nil))
        return true
    }

    private func failure(_ what: String) -> SMSError {
        SMSError(status: nil, code: "JOURNAL_ERROR", message: "send-once journal \(path): \(what) (\(String(cString: strerror(errno))))", retryable: false)
    }

    private func openLocked() throws -> Int32 {
        let dir = (path as NSString).deletingLastPathComponent
        try? FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let fd = open(path, O_RDWR | O_CREAT | O_APPEND, 0o600)
        guard fd >= 0 else { throw failure("cannot open") }
        guard flock(fd, LOCK_EX) == 0 else {
            close(fd)
            throw failure("cannot lock")
        }
        return fd
    }

    private func readEntries(_ fd: Int32) throws -> [Entry] {
        guard lseek(fd, 0, SEEK_SET) >= 0 else { throw failure("cannot read") }
        var data = [UInt8]()
        var buffer = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &buffer, buffer.count)
            if n < 0 { throw failure("cannot read") }
            if n == 0 { break }
            data.append(contentsOf: buffer[0..<n])
        }
        return data.split(separator: UInt8(ascii: "\n")).compactMap { line in
            guard let v = try? JSONValue.parse(line), let key = v["key"]?.stringValue, let state = v["state"]?.stringValue else { return nil }
            return Entry(key: key, state: state, at: v["at"]?.doubleValue ?? 0, pid: Int32(v["pid"]?.intValue ?? 0),
                         result: v["result"]?.objectValue)
        }
    }

    private func append(_ fd: Int32, _ e: Entry) throws {
        var object: [String: JSONValue] = ["key": .string(e.key), "state": .string(e.state), "at": .double(e.at), "pid": .int(Int64(e.pid))]
        if let r = e.result { object["result"] = .object(r) }
        var line = JSONValue.object(object).serialized(sortedKeys: true)
        line.append(UInt8(ascii: "\n"))
        let written = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == line.count else { throw failure("cannot write") }
        guard fsync(fd) == 0 else { throw failure("cannot fsync") }
    }
}
