import Foundation
import SMSClient
import XCTest

@testable import SMSSimulator

/// The storage of two processes, in memory: one lock for the transaction.
final class MemorySandboxStorage: SandboxStorage, @unchecked Sendable {
    private let lock = NSRecursiveLock()
    private var stored: SandboxAccount?
    private var rows: [UInt64: SandboxMessage] = [:]
    var path: String { "memory" }
    func transaction<T>(_ body: () throws -> T) throws -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }
    func account() throws -> SandboxAccount? { stored }
    func save(_ account: SandboxAccount) throws { stored = account }
    func message(uuid: String) throws -> SandboxMessage? { rows.values.first { $0.uuid == uuid } }
    func messages(except known: Set<UInt64>) throws -> [SandboxMessage] {
        rows.values.filter { !known.contains($0.number) }.sorted { $0.number < $1.number }
    }
    func cancelledNumbers() throws -> Set<UInt64> { Set(rows.values.filter(\.cancelled).map(\.number)) }
    func insert(_ message: SandboxMessage) throws { rows[message.number] = message }
    func setCancelled(number: UInt64) throws { rows[number]?.cancelled = true }
    var count: Int { rows.count }
}

/// Two engines on one `SandboxStorage` (two `--sandbox` processes): each sees the other's
/// messages, credit and cancellations; message numbers and uuids are never handed out twice;
/// the shared clock carries a wait over to the other engine.
final class SandboxPersistenceTests: XCTestCase {
    let store = MemorySandboxStorage()

    /// An engine on the shared storage, with a fake real time.
    func harness(real: @escaping @Sendable () -> Double) throws -> SimulatorHarness {
        try store.transaction {
            if try store.account() == nil {
                try store.save(SandboxAccount(seed: 1, uuidSeed: 99, startingCredit: 100, balance: 100, nextMessageNumber: 1,
                                                    virtualTime: SimulatorHarness.start, savedAt: SimulatorHarness.start))
            }
        }
        var config = SimulatorConfig()
        config.uuidSeed = 99
        let h = SimulatorHarness(config)
        h.engine.persistence = SandboxPersistence(store: store, realNow: real)
        return h
    }

    func body(_ text: String, _ numbers: [String] = ["0812345678"], schedule: String? = nil) -> JSONValue {
        var b: [String: JSONValue] = ["sender": "SMSHDEMO", "content": .string(text), "msisdns": .array(numbers.map { .string($0) })]
        if let schedule { b["scheduledTime"] = .string(schedule) }
        return .object(b)
    }

    func testTwoEnginesShareMessagesCreditAndNumbers() throws {
        let real: @Sendable () -> Double = { SimulatorHarness.start }
        let a = try harness(real: real), b = try harness(real: real)
        let first = try a.sendUUID(body("one", ["0812345678", "0812345679"]))
        let second = try b.sendUUID(body("two"))
        XCTAssertNotEqual(first, second, "b's counter continued from a's send")
        XCTAssertEqual(try b.get("/api/v2/sms/\(first)")["content"]?.stringValue, "one", "b reads a's message")
        XCTAssertEqual(try a.get("/api/v2/credit")["balance"]?.doubleValue, 97)
        let list = try a.get("/api/v2/sms")
        XCTAssertEqual(list["total"]?.intValue, 2)
        XCTAssertEqual(list["data"]?.arrayValue?.first?["uuid"]?.stringValue, second, "newest first")
        XCTAssertEqual(store.count, 2)
        XCTAssertEqual(try store.message(uuid: first)?.msisdns, [66_812_345_678, 66_812_345_679])
    }

    func testACancellationAndTheClockCarryOver() throws {
        let real: @Sendable () -> Double = { SimulatorHarness.start }
        let a = try harness(real: real)
        let later = ISOTime.format(SimulatorHarness.start + 3600)
        let scheduled = try a.sendUUID(body("later", schedule: later))
        let now = try a.sendUUID(body("now"))
        let b = try harness(real: real)
        XCTAssertEqual(try b.post("/api/v2/sms/\(scheduled)/cancel", nil).status, 200)
        XCTAssertEqual(try a.get("/api/v2/sms/\(scheduled)")["status"]?.stringValue, "cancelled", "a sees b's cancel")
        XCTAssertEqual(try a.get("/api/v2/credit")["balance"]?.doubleValue, 99, "refunded once")
        XCTAssertEqual(try b.get("/api/v2/sms/\(now)")["status"]?.stringValue, "pending")
        // a waits 10 virtual minutes: b, whose own clock did not move, follows the shared one.
        a.clock.advance(by: 600)
        _ = try a.get("/api/v2/credit")
        XCTAssertNotEqual(try b.get("/api/v2/sms/\(now)")["status"]?.stringValue, "pending")
    }
}
