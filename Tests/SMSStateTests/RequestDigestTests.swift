import Foundation
import SMSClient
import SMSState
import XCTest

/// The digest that binds a once key to its request: what it compares, what it keeps (never a
/// number in clear), and the store's schema migration (rows from before it keep working).
final class RequestDigestTests: XCTestCase {
    private func digest(_ numbers: [String], text: String = "Hello", sender: String = "SMSHDEMO", dedupe: Bool = true,
                        schedule: ScheduledTime? = nil) throws -> RequestDigest {
        RequestDigest(encoded: try SendRequest(sender: sender, content: text, msisdns: MSISDNList(numbers), scheduledTime: schedule,
                                               dedupe: dedupe).encoded())
    }

    func testTheSameRecipientsInAnyOrderOrFormAreTheSameRequest() throws {
        let a = try digest(["0812345678", "0898765432"])
        let b = try digest(["+66 89 876 5432", "66812345678"])
        XCTAssertEqual(a, b)
        XCTAssertEqual(b.differences(from: a), [])
    }

    func testEachDifferenceIsNamed() throws {
        let recorded = try digest(["0812345678"], text: "Daily report", sender: "A")
        XCTAssertEqual(try digest(["0812345678"], text: "COMPLETELY DIFFERENT", sender: "A").differences(from: recorded), ["text differs"])
        XCTAssertEqual(try digest(["0812345678", "0898765432"], text: "Daily report", sender: "A").differences(from: recorded),
                       ["recipients differ (1 vs 2)"])
        XCTAssertEqual(try digest(["0898765432"], text: "Daily report", sender: "A").differences(from: recorded),
                       ["recipients differ (same count, 1, other numbers)"])
        XCTAssertEqual(try digest(["0812345678"], text: "Daily report", sender: "B").differences(from: recorded),
                       ["sender differs: 'A' vs 'B'"])
        let later = try digest(["0812345678"], text: "Daily report", sender: "A", schedule: .iso8601("2026-12-24T09:00:00+07:00"))
        XCTAssertEqual(later.differences(from: recorded), ["schedule differs: now vs '2026-12-24T09:00:00+07:00'"])
        // The message only (sms.retry before reading its recipients): the numbers are not compared.
        XCTAssertEqual(try digest(["0898765432"], text: "Daily report", sender: "A").differences(from: recorded, recipientsKnown: false), [])
    }

    func testTemplatesCompareTheirIdAndVariables() throws {
        func template(_ id: Int64, _ vars: [String: JSONValue]) throws -> RequestDigest {
            RequestDigest(encoded: try SendRequest(sender: "S", templateId: id, variables: vars, msisdns: MSISDNList(["0812345678"])).encoded())
        }
        let recorded = try template(7, ["name": "Toon", "n": .int(1)])
        XCTAssertEqual(try template(7, ["n": "1", "name": "Toon"]).differences(from: recorded), [], "1 and \"1\" render the same")
        XCTAssertEqual(try template(8, ["name": "Toon", "n": .int(1)]).differences(from: recorded), ["template differs: 7 vs 8"])
        XCTAssertEqual(try template(7, ["name": "Nok", "n": .int(1)]).differences(from: recorded), ["template variables differ"])
        XCTAssertEqual(try digest(["0812345678"], sender: "S").differences(from: recorded), ["text differs (template 7 vs a text)"])
    }

    func testTheStoredDigestHoldsNoNumberOrText() throws {
        let d = try digest(["0812345678", "0898765432"], text: "OTP 493817")
        let stored = d.json.serializedString()
        for secret in ["812345678", "898765432", "493817", "OTP"] { XCTAssertFalse(stored.contains(secret), stored) }
        XCTAssertEqual(RequestDigest(json: try JSONValue.parse(Array(stored.utf8))), d)
    }

    /// 2,000,000 numbers: the digest is one pass over the integers the body is written from.
    func testAMillionNumberDigestIsCheap() throws {
        let numbers = (0..<2_000_000).map { UInt32(800_000_000 + $0) }
        let start = Date()
        let a = RequestDigest.digest(numbers: numbers)
        let seconds = Date().timeIntervalSince(start)
        XCTAssertEqual(a, RequestDigest.digest(numbers: numbers.reversed()), "order does not matter")
        XCTAssertNotEqual(a, RequestDigest.digest(numbers: Array(numbers.dropLast())))
        XCTAssertLessThan(seconds, 2.0, "debug build, 2,000,000 numbers: \(seconds) s")
    }

    /// A store written before the digest (schema 0) is migrated once; its rows read back
    /// without a digest, which later requests are not compared against.
    func testAnOldStoreIsMigratedAndItsRowsStillAnswer() throws {
        let dir = NSTemporaryDirectory() + "smsh-digest-\(UUID().uuidString.prefix(8))"
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let path = dir + "/state.sqlite3"
        let python = Process()
        python.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        python.arguments = ["python3", "-c", """
            import sqlite3, sys
            db = sqlite3.connect(sys.argv[1])
            db.execute('''CREATE TABLE journal(api TEXT NOT NULL, account TEXT NOT NULL, key TEXT NOT NULL,
                state TEXT NOT NULL, at REAL NOT NULL, pid INTEGER NOT NULL, host TEXT NOT NULL,
                result TEXT, seq INTEGER NOT NULL, PRIMARY KEY(api, account, key))''')
            db.execute("INSERT INTO journal VALUES('sandbox','','old','done',5,7,'h','{\\"uuid\\":\\"u-old\\"}',1)")
            db.commit()
            """, path]
        try python.run()
        python.waitUntilExit()
        XCTAssertEqual(python.terminationStatus, 0)
        let store = try SQLiteStateStore(path: path)
        let old = try XCTUnwrap(try store.entry(scope: .sandbox, key: "old"))
        XCTAssertEqual(old.result?["uuid"], "u-old")
        XCTAssertNil(old.request)
        XCTAssertNil(old.wallTime)
        XCTAssertEqual(old.recordedAt, 5)
        // New rows keep their digest and wall time, also after reopening.
        let d = try digest(["0812345678"])
        XCTAssertNil(try store.claim(JournalEntry(scope: .sandbox, key: "new", state: .intent, at: 1, pid: 1, host: "h",
                                                  request: d, wallTime: 1_765_000_000.5)))
        let reopened = try SQLiteStateStore(path: path)
        let new = try XCTUnwrap(try reopened.entry(scope: .sandbox, key: "new"))
        XCTAssertEqual(new.request, d)
        XCTAssertEqual(new.wallTime ?? 0, 1_765_000_000.5, accuracy: 0.01)
        XCTAssertEqual(try reopened.entries(scope: .sandbox).map(\.key), ["old", "new"])
        let version = Process()
        version.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        version.arguments = ["python3", "-c", "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute('pragma user_version').fetchone()[0])", path]
        let pipe = Pipe()
        version.standardOutput = pipe
        try version.run()
        version.waitUntilExit()
        XCTAssertEqual(String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "1\n")
    }
}
