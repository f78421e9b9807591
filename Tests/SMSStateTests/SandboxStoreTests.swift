import Foundation
import SMSState
import XCTest

/// The persistent sandbox's store: the account row, messages with their numbers, reset.
final class SandboxStoreTests: XCTestCase {
    var dir: String!

    override func setUp() { dir = NSTemporaryDirectory() + "smsh-sbxstate-\(UUID().uuidString.prefix(8))/sandbox" }
    override func tearDown() { try? FileManager.default.removeItem(atPath: (dir as NSString).deletingLastPathComponent) }

    /// Two commands starting at once on a fresh machine both create the file: neither may
    /// fail with "database is locked" (SQLite answers that at once, not after its busy
    /// timeout, while the file is new and turning to WAL). Threads, each with its own
    /// connection, as two processes would have.
    func testStoresOpenedAtOnceOnANewFileAllWork() throws {
        final class Failures: @unchecked Sendable {
            let lock = NSLock()
            var list: [String] = []
        }
        let failures = Failures()
        for round in 0..<25 {
            let directory = dir + "-\(round)"
            let group = DispatchGroup()
            for t in 0..<4 {
                group.enter()
                Thread.detachNewThread {
                    defer { group.leave() }
                    do {
                        let store = try SandboxStore(directory: directory)
                        try store.transaction {
                            let a = SandboxStore.Account(seed: UInt64(t), uuidSeed: 1, startingCredit: 1, balance: 1, nextMessageNumber: 1,
                                                         virtualTime: 0, savedAt: 0)
                            try store.save(a)
                        }
                    } catch {
                        failures.lock.withLock { failures.list.append("round \(round), thread \(t): \(error)") }
                    }
                }
            }
            group.wait()
            try? FileManager.default.removeItem(atPath: directory)
        }
        XCTAssertEqual(failures.list, [])
    }

    func testAccountMessagesAndResetRoundTrip() throws {
        let store = try SandboxStore(directory: dir)
        XCTAssertNil(try store.account())
        let account = SandboxStore.Account(seed: 7, uuidSeed: UInt64.max, startingCredit: 500, balance: 498.5, nextMessageNumber: 3,
                                           virtualTime: 1_000, savedAt: 900)
        try store.transaction { try store.save(account) }
        XCTAssertEqual(try store.account(), account)
        XCTAssertEqual(account.clock(atReal: 950), 1_050, "the clock continues with real time")
        XCTAssertEqual(account.clock(atReal: 800), 1_000, "and never runs backwards")
        let m = SandboxStore.Message(number: 2, uuid: "u-2", sender: "SMSHDEMO", content: "สวัสดี", parts: 1, createdAt: 999.5,
                                     scheduledTime: nil, msisdns: [66_812_345_678, 66_800_000_000], cancelled: false,
                                     templateId: 4, variables: #"{"name":"Ann"}"#)
        try store.transaction { try store.insert(m) }
        let back = try XCTUnwrap(try store.message(uuid: "u-2"))
        XCTAssertEqual(back.msisdns, m.msisdns)
        XCTAssertEqual(back.content, "สวัสดี")
        XCTAssertNil(back.scheduledTime)
        XCTAssertEqual(back.templateId, 4)
        XCTAssertEqual(back.variables, #"{"name":"Ann"}"#)
        XCTAssertEqual(try store.messages(except: []).map(\.number), [2])
        XCTAssertEqual(try store.messages(except: [2]).count, 0)
        try store.transaction { try store.setCancelled(number: 2) }
        XCTAssertEqual(try store.cancelledNumbers(), [2])

        var st = stat()
        XCTAssertEqual(stat(dir, &st), 0)
        XCTAssertEqual(st.st_mode & 0o777, 0o700)

        let fresh = SandboxStore.Account(seed: 1, uuidSeed: 5, startingCredit: 10, balance: 10, nextMessageNumber: 1, virtualTime: 0, savedAt: 0)
        XCTAssertEqual(try store.transaction { try store.reset(to: fresh) }, 1)
        XCTAssertEqual(try store.messageCount(), 0)
        XCTAssertEqual(try SandboxStore(directory: dir).account(), fresh, "a second connection reads what the first wrote")
    }
}
