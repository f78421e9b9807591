import Foundation
import SMSClient
import SMSSimulator
import XCTest

/// Every simulator fault crossed with every operation, through the real `HTTPTransport` over
/// loopback to a real `SimulatorServer`. Each cell records whether the client retried, how many
/// attempts it made, the final outcome and how often the server applied a send; the table is
/// `docs/reliability.md` (regenerate with `SMSH_REGENERATE_DOCS=1`). The invariants are asserted
/// cell by cell: no cell ever applies a send twice.
final class FaultMatrixTests: XCTestCase {
    /// One column of the matrix: a fault and the simulator script entry that causes it (nil:
    /// nothing listens on the port, so the connection is refused).
    struct Fault {
        let name: String
        let script: String?
    }

    static let faults: [Fault] = [
        Fault(name: "none", script: ""),
        Fault(name: "429 with Retry-After: 1", script: "429"),
        Fault(name: "429 without Retry-After", script: "429-no-retry-after"),
        Fault(name: "500 (JSON body)", script: "500"),
        Fault(name: "503 (HTML body)", script: "503"),
        Fault(name: "slow response beyond the read timeout", script: "slow"),
        Fault(name: "connection dropped, request not applied", script: "drop-before"),
        Fault(name: "connection dropped, request applied", script: "drop-after"),
        Fault(name: "truncated body (request applied)", script: "malformed"),
        Fault(name: "non-JSON 200 body (request applied)", script: "non-json"),
        Fault(name: "connection refused", script: nil),
    ]

    /// Faults after which the request may have reached the server (or did): a send or cancel
    /// must not be repeated.
    static let mayHaveArrived: Set<String> = ["500", "503", "slow", "drop-before", "drop-after", "malformed", "non-json"]

    /// What one cell measured.
    struct Cell {
        let fault: Fault
        let operation: APIOperation
        let attempts: Int
        let outcome: String
        /// Virtual seconds the client waited between attempts.
        let waited: Double
        /// Sends the server accepted during the cell (send only), or whether the cancel took effect.
        let applied: Int?

        var retried: Bool { attempts > 1 }
        var duplicateSends: Int { operation == .send ? max(0, (applied ?? 0) - 1) : 0 }
    }

    /// Counts the round trips the client makes (the real transport does the work).
    final class CountingTransport: Transport, @unchecked Sendable {
        let inner: Transport
        private let lock = NSLock()
        private var count = 0
        init(_ inner: Transport) { self.inner = inner }
        var attempts: Int {
            lock.lock()
            defer { lock.unlock() }
            return count
        }
        func roundTrip(_ request: TransportRequest) throws -> TransportResponse {
            lock.lock()
            count += 1
            lock.unlock()
            return try inner.roundTrip(request)
        }
    }

    /// The read timeout for the matrix; the slow fault answers after `slowSeconds`. Generous,
    /// so a loaded machine's ordinary answer never times out (the table must not change).
    static let readTimeout = 2.5
    static let slowSeconds = 6.0

    private var sim: LoopbackSimulator!
    private var refusedURL: String!

    override func setUpWithError() throws {
        sim = try LoopbackSimulator(readTimeout: Self.readTimeout)
        // A port that was just free: nothing listens there.
        let closed = try LoopbackSimulator()
        refusedURL = closed.server.baseURL
        closed.stop()
    }

    override func tearDown() {
        sim.stop()
    }

    private let numbers = ["0812345678", "0898765432"]

    func testFaultMatrixNeverDuplicatesASendAndRetriesReads() throws {
        var cells: [Cell] = []
        for fault in Self.faults {
            for operation in APIOperation.allCases {
                cells.append(try measure(fault, operation))
            }
        }
        for cell in cells {
            let label = "\(cell.operation.rawValue) × \(cell.fault.name): \(cell.outcome), \(cell.attempts) attempt(s)"
            XCTAssertEqual(cell.duplicateSends, 0, label)
            let idempotent = Routes.route(cell.operation).isIdempotent
            let script = cell.fault.script
            switch script {
            case "":
                XCTAssertEqual(cell.outcome, "ok", label)
                XCTAssertEqual(cell.attempts, 1, label)
            case "429", "429-no-retry-after":
                // Rate limited: the request was refused, so repeating it is safe for every operation.
                XCTAssertEqual(cell.outcome, "ok", label)
                XCTAssertEqual(cell.attempts, 2, label)
                if script == "429" { XCTAssertEqual(cell.waited, 1, "Retry-After is honoured: \(label)") }
            case nil:
                // Nothing was written: retried up to the policy's 4 attempts, even for send.
                XCTAssertEqual(cell.outcome, "NETWORK", label)
                XCTAssertEqual(cell.attempts, 4, label)
            case let s?:
                XCTAssertTrue(Self.mayHaveArrived.contains(s))
                if idempotent {
                    XCTAssertEqual(cell.outcome, "ok", "a read is asked again: \(label)")
                    XCTAssertEqual(cell.attempts, 2, label)
                } else {
                    XCTAssertNotEqual(cell.outcome, "ok", label)
                    XCTAssertEqual(cell.attempts, 1, "\(cell.operation.rawValue) may have arrived: never repeated: \(label)")
                }
            }
            if cell.operation == .send, script == "" || script == "429" || script == "429-no-retry-after" {
                XCTAssertEqual(cell.applied, 1, label)
            }
        }
        try checkDocument(Self.document(cells))
    }

    // MARK: - One cell

    private func measure(_ fault: Fault, _ operation: APIOperation) throws -> Cell {
        try sim.admin("POST", "/_sim/reset", .object([:]))
        let setupClient = sim.client()
        var uuid = ""
        switch operation {
        case .message, .recipients:
            uuid = try XCTUnwrap(setupClient.send(SendRequest(sender: "SMSHDEMO", content: "matrix", msisdns: MSISDNList(numbers))).uuid)
        case .cancel:
            uuid = try XCTUnwrap(setupClient.send(SendRequest(
                sender: "SMSHDEMO", content: "matrix", msisdns: MSISDNList(numbers),
                scheduledTime: .epochSeconds(sim.clock.now() + 86_400))).uuid)
        default: break
        }
        let acceptedBefore = sim.engine.acceptedSendCount
        let transport: CountingTransport
        var refused: HTTPTransport?
        if let script = fault.script {
            if !script.isEmpty { try sim.admin("POST", "/_sim/faults", ["script": .array([.string(script)]), "slowSeconds": .double(Self.slowSeconds)]) }
            transport = CountingTransport(sim.transport)
        } else {
            let t = HTTPTransport(baseURL: refusedURL, connectTimeout: 2, readTimeout: Self.readTimeout)
            refused = t
            transport = CountingTransport(t)
        }
        defer { refused?.shutdown() }
        let client = SMSClient(
            transport: transport, apiKey: LoopbackSimulator.demoKey, clock: sim.clock,
            retry: RetryPolicy(jitter: Jitter(seed: 3)))
        let started = sim.clock.now()
        var outcome = "ok"
        do {
            switch operation {
            case .send: _ = try client.send(SendRequest(sender: "SMSHDEMO", content: "matrix", msisdns: MSISDNList(numbers)))
            case .preview: _ = try client.preview(PreviewRequest(content: "matrix", msisdns: MSISDNList(numbers)))
            case .cancel: _ = try client.cancel(uuid: uuid)
            case .messages: _ = try client.messages(limit: 10)
            case .message: _ = try client.message(uuid: uuid)
            case .recipients: _ = try client.recipients(uuid: uuid, after: 0, limit: 10)
            case .credit: _ = try client.credit()
            case .senders: _ = try client.senders()
            }
        } catch let error as SMSError {
            outcome = error.status.map { "\(error.code) (\($0))" } ?? error.code
        }
        let waited = sim.clock.now() - started
        var applied: Int?
        switch operation {
        case .send: applied = sim.engine.acceptedSendCount - acceptedBefore
        case .cancel:
            // The script is used up by now, so this read sees no fault.
            applied = try setupClient.message(uuid: uuid).status == "cancelled" ? 1 : 0
        default: break
        }
        return Cell(fault: fault, operation: operation, attempts: transport.attempts, outcome: outcome, waited: waited, applied: applied)
    }

    // MARK: - docs/reliability.md

    static func document(_ cells: [Cell]) -> String {
        var out = """
            # Reliability: the fault matrix

            Generated by `FaultMatrixTests` (Tests/SMSClientTests/FaultMatrixTests.swift): every fault the
            simulator injects, crossed with every operation, through the real `HTTPTransport` over loopback
            to a real `SimulatorServer` (read timeout \(format(readTimeout)) s; the slow fault answers after \(format(slowSeconds)) s).
            Regenerate with `SMSH_REGENERATE_DOCS=1 swift test --skip-build --filter FaultMatrixTests`;
            the test fails when this file differs from what it measures.

            ## The retry policy

            - At most 4 attempts, exponential backoff with full jitter (0.5 s base, factor 2, at most 8 s
              per wait, 30 s in all); a 429's `Retry-After` is waited as given.
            - **Reads** (preview, messages, message, recipients, credit, senders) change nothing, so they are
              asked again after any failure: 429, 5xx, a timeout, a dropped connection, a truncated or
              non-JSON body.
            - **send and cancel** change state. The API has no idempotency key (API.md), so the client cannot
              make a repeat safe: it repeats them only when the server provably did not act: a 429 (the
              rate limiter refused the request) or a connection that was never made (`connection refused`,
              nothing written). After a 5xx, a timeout, a dropped connection or an unreadable 2xx the
              request may have been applied (the simulator's slow, drop-after, truncated and non-JSON faults
              did apply it), so the error is returned to the script instead: at most one message per
              `sms.send`. Use `once` keys ([safety.md](safety.md)) to make a re-run of the whole
              script safe.
            - "server applied" counts the sends the simulator accepted during the cell (send), or whether
              the message ended cancelled (cancel). "duplicate sends" is accepted sends beyond the first.

            ## Summary: outcome (attempts) per fault and operation

            \(grid(cells))
            ## Every cell

            | fault | operation | retried | attempts | waited (virtual s) | outcome | server applied | duplicate sends |
            |---|---|---|---|---|---|---|---|

            """
        for cell in cells {
            let applied = cell.applied.map(String.init) ?? "—"
            out += "| \(cell.fault.name) | \(cell.operation.rawValue) | \(cell.retried ? "yes" : "no") | \(cell.attempts) "
                + "| \(format(cell.waited)) | \(cell.outcome) | \(applied) | \(cell.duplicateSends) |\n"
        }
        let duplicates = cells.reduce(0) { $0 + $1.duplicateSends }
        out += "\n\(cells.count) cells; duplicate sends in all: \(duplicates).\n"
        return out + journalSection + checksSection
    }

    /// The compact table: one row per fault, one column per operation.
    static func grid(_ cells: [Cell]) -> String {
        let operations = APIOperation.allCases
        var out = "| fault | " + operations.map(\.rawValue).joined(separator: " | ") + " |\n"
        out += "|---|" + String(repeating: "---|", count: operations.count) + "\n"
        for fault in faults {
            let row = operations.map { op -> String in
                guard let cell = cells.first(where: { $0.fault.name == fault.name && $0.operation == op }) else { return "" }
                return "\(cell.outcome.split(separator: " ").first ?? "") (\(cell.attempts))"
            }
            out += "| \(fault.name) | " + row.joined(separator: " | ") + " |\n"
        }
        return out
    }

    private static func format(_ seconds: Double) -> String { String(format: "%.2f", seconds) }

    static var documentURL: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("docs/reliability.md")
    }

    private func checkDocument(_ generated: String) throws {
        let url = Self.documentURL
        if ProcessInfo.processInfo.environment["SMSH_REGENERATE_DOCS"] == "1" {
            try generated.write(to: url, atomically: true, encoding: .utf8)
            return
        }
        let committed = try? String(contentsOf: url, encoding: .utf8)
        XCTAssertEqual(
            committed, generated,
            "docs/reliability.md differs from the measured matrix; re-generate it with "
                + "SMSH_REGENERATE_DOCS=1 swift test --skip-build --filter FaultMatrixTests and review the diff")
    }
}
