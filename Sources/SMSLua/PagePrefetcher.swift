import LuaHost
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSClient
import Threading

/// Fetches recipient pages ahead of `sms.each_recipient`, on its own thread, at most `depth`
/// pages ahead of the reader, so the server, the HTTP client and Lua all work at once.
///
/// Cursor paging names the next page only in the current one, so the fetching thread skims
/// each body for its `nextCursor` (`skimNextCursor`) and asks for that page at once. The
/// reader still parses every page and asks for the cursor it found there: a page fetched for
/// any other cursor is never handed out (`take` returns nil, and the reader fetches the page
/// itself and starts a new prefetcher). The skim only decides what is fetched early, never
/// what is read.
final class PagePrefetcher: @unchecked Sendable {
    typealias Fetch = @Sendable (_ after: Int64) throws -> [UInt8]

    private struct Page {
        let after: Int64
        let body: Result<[UInt8], Error>
    }

    // Guards everything below; the fetching thread waits on it for room, the reader for pages.
    private let condition = ConditionVariable()
    private var ready: [Page] = []
    /// The fetching thread has fetched its last page (or failed, or was stopped).
    private var finished = false
    private var stopped = false
    private let depth: Int

    /// Starts fetching the page after `first`, then the pages its bodies name.
    init(first: Int64, depth: Int = 2, fetch: @escaping Fetch) {
        self.depth = max(1, depth)
        ConditionVariable.detachThread { [self] in self.run(from: first, fetch: fetch) }
    }

    deinit { stop() }

    /// Ends fetching after the request in flight; pages not taken are dropped.
    func stop() {
        condition.lock()
        stopped = true
        ready.removeAll()
        condition.broadcast()
        condition.unlock()
    }

    /// The page after `after`: waits for it while it is being fetched (Ctrl-C ends the wait).
    /// Throws the fetch's error for that page. Nil when this prefetcher has not fetched, and
    /// will not fetch, that cursor.
    func take(after: Int64) throws -> [UInt8]? {
        condition.lock()
        defer { condition.unlock() }
        while ready.isEmpty && !finished && !stopped {
            condition.wait(seconds: 0.05)
            try MessageWaiting.checkInterrupt()
        }
        guard let page = ready.first, page.after == after else { return nil }
        ready.removeFirst()
        condition.broadcast()
        return try page.body.get()
    }

    private func run(from first: Int64, fetch: Fetch) {
        var after = first
        while true {
            condition.lock()
            while ready.count >= depth && !stopped { condition.wait() }
            if stopped {
                finished = true
                condition.unlock()
                return
            }
            condition.unlock()

            let body = Result { try fetch(after) }
            let next = (try? body.get()).flatMap { PagePrefetcher.skimNextCursor($0) }

            condition.lock()
            if !stopped { ready.append(Page(after: after, body: body)) }
            let done = stopped || next == nil || next! <= after
            if done { finished = true }
            condition.broadcast()
            condition.unlock()
            if done { return }
            after = next!
        }
    }

    /// The page's `nextCursor` when its `hasMore` is true, read from the raw bytes without
    /// parsing the page; nil when there is no next page or the bytes do not say plainly.
    /// A key's quotes cannot appear unescaped inside a JSON string, so `"hasMore":` and
    /// `"nextCursor":` match only keys (possibly of a nested object: the reader's check
    /// catches that). Searched from the end, where the simulator writes them.
    static func skimNextCursor(_ body: [UInt8]) -> Int64? {
        body.withUnsafeBufferPointer { bytes -> Int64? in
            guard let more = valueStart(of: hasMoreKey, in: bytes),
                  bytes.count - more >= 4, bytes[more] == UInt8(ascii: "t"), bytes[more + 1] == UInt8(ascii: "r"),
                  bytes[more + 2] == UInt8(ascii: "u"), bytes[more + 3] == UInt8(ascii: "e"),
                  var i = valueStart(of: nextCursorKey, in: bytes)
            else { return nil }
            var value: Int64 = 0
            let start = i
            while i < bytes.count, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9"), i - start < 18 {
                value = value * 10 + Int64(bytes[i] - UInt8(ascii: "0"))
                i += 1
            }
            return i > start ? value : nil
        }
    }

    private static let hasMoreKey = Array(#""hasMore""#.utf8)
    private static let nextCursorKey = Array(#""nextCursor""#.utf8)

    /// Where the value of the last `"key":` starts (after the colon and any spaces).
    private static func valueStart(of key: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        var start = bytes.count - key.count
        while start >= 0 {
            defer { start -= 1 }
            guard bytes[start] == key[0], bytes[start + key.count - 1] == key[key.count - 1],
                  key.indices.allSatisfy({ bytes[start + $0] == key[$0] })
            else { continue }
            var i = skipSpace(in: bytes, from: start + key.count)
            guard i < bytes.count, bytes[i] == UInt8(ascii: ":") else { continue }
            i = skipSpace(in: bytes, from: i + 1)
            return i
        }
        return nil
    }

    private static func skipSpace(in bytes: UnsafeBufferPointer<UInt8>, from index: Int) -> Int {
        var i = index
        while i < bytes.count {
            switch bytes[i] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\t"), UInt8(ascii: "\r"): i += 1
            default: return i
            }
        }
        return i
    }
}
