import SMSClient
#if canImport(Glibc)
import Glibc
#endif

/// The JSON-lines journal of smsh before the state store (`journal.jsonl`: one line per state
/// change, the last line of a key wins). Read once, on the store's first open, into the legacy
/// scope: its keys were not scoped, so they keep answering for every API.
enum LegacyJournal {
    static func read(path: String) throws -> [JournalEntry] {
        guard let file = fopen(path, "re") else {
            throw StateStoreError("cannot read \(path): \(String(cString: strerror(errno)))")
        }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = fread(&buffer, 1, buffer.count, file)
            if n == 0 { break }
            bytes.append(contentsOf: buffer[0..<n])
        }
        var latest: [String: JournalEntry] = [:]
        var order: [String] = []
        for line in bytes.split(separator: UInt8(ascii: "\n")) {
            guard let v = try? JSONValue.parse(Array(line)), let key = v["key"]?.stringValue,
                  let state = v["state"]?.stringValue else { continue }
            if latest[key] == nil { order.append(key) }
            let kept: JournalEntry.State?
            switch state {
            case "done": kept = .done
            case "intent": kept = .intent
            default: kept = nil  // failed or forgotten: the key is free
            }
            if let kept {
                latest[key] = JournalEntry(
                    scope: .legacy, key: key, state: kept, at: v["at"]?.doubleValue ?? 0,
                    pid: Int32(v["pid"]?.intValue ?? 0), host: "", result: v["result"]?.objectValue)
            } else {
                latest[key] = nil
            }
        }
        return order.compactMap { latest[$0] }
    }
}
