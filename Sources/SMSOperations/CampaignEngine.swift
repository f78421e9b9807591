import SMSClient
import Synchronization

/// The campaign engine shared by `sms.campaign` and `smsh campaign`: the planned sends go out
/// through the gates (`SendGate`: send-once journal, budget, dry run) up to `concurrency` at
/// once, paced by `rate` and held to `window` on the session clock, and the results come back
/// in row order. A key the journal already holds is answered from it (a resumed campaign) and
/// takes neither a turn of the rate nor the window.
///
/// A row whose earlier send is uncertain (`JOURNAL_UNCERTAIN`) stops the campaign before any
/// row is sent. The first failure stops new sends; sends already on the wire finish and are journaled, and
/// the failure of the earliest row is thrown. Where the transport cannot overlap requests
/// (cassettes, the in-process simulator) the sends go one at a time, in row order, so a
/// recording is the same every run.
public struct CampaignEngine {
    public struct Send: Sendable {
        public let key: String
        public let request: SendRequest
        public let recipients: Int
        public init(key: String, request: SendRequest, recipients: Int) {
            self.key = key
            self.request = request
            self.recipients = recipients
        }
    }

    public struct Options: Sendable {
        public var key: String
        public var rate: Double?
        public var window: SendWindow?
        public var waitForWindow: Bool
        public var concurrency: Int
        public init(key: String, rate: Double?, window: SendWindow?, waitForWindow: Bool, concurrency: Int) {
            self.key = key
            self.rate = rate
            self.window = window
            self.waitForWindow = waitForWindow
            self.concurrency = concurrency
        }
    }

    public struct Outcome {
        /// Each send's result, in row order (`replayed = true` for a resumed one).
        public var results: [[String: JSONValue]]
        public var sends = 0
        public var resumed = 0
        public var credits = 0.0
        public var parts: Int64 = 0
        public var recipients: Int64 = 0
        public var uuids: [String] = []
    }

    public let gate: SendGate
    public let clock: SMSClock
    public let concurrentTransport: Bool
    public let function: String
    /// Polled between sends (Ctrl-C, SIGTERM).
    public let interrupted: @Sendable () -> Bool
    /// The error for a closed window when the campaign must not wait (`wait = false`), given
    /// how many were sent before it.
    public let outsideWindow: @Sendable (Int) -> Error

    public init(gate: SendGate, clock: SMSClock, concurrentTransport: Bool, function: String,
                interrupted: @escaping @Sendable () -> Bool, outsideWindow: @escaping @Sendable (Int) -> Error) {
        self.gate = gate
        self.clock = clock
        self.concurrentTransport = concurrentTransport
        self.function = function
        self.interrupted = interrupted
        self.outsideWindow = outsideWindow
    }

    public func run(_ sends: [Send], _ o: Options) throws -> Outcome {
        if let window = o.window, !o.waitForWindow, window.secondsUntilOpen(at: clock.now()) > 0 {
            throw outsideWindow(0)
        }
        let dryRun = gate.dryRunPlan != nil
        // Rows go out many at once: an uncertain row found mid-run would come after others
        // were sent, so the journal is asked before the first.
        if !dryRun { try gate.journal.refuseUncertain(sends.map(\.key), function: function) }
        let results = Mutex([Result<[String: JSONValue], Error>?](repeating: nil, count: sends.count))
        let pacer = Mutex(SendPacer(rate: o.rate))
        let started = Mutex(0)
        let pace = Self.describePace(o)
        let unchecked = UncheckedSendable((self, sends))
        let width = concurrentTransport ? o.concurrency : 1
        ParallelWork.forEach(count: sends.count, width: width) { i in
            let (engine, sends) = unchecked.value
            let send = sends[i]
            let outcome: Result<[String: JSONValue], Error> = Result {
                if engine.interrupted() { throw ClockInterrupted() }
                // A key already sent needs neither the window nor a turn of the rate.
                let done = dryRun ? nil : try engine.gate.journal.recorded(key: send.key)
                if done == nil {
                    if let window = o.window {
                        let wait = window.secondsUntilOpen(at: engine.clock.now())
                        if wait > 0 {
                            guard o.waitForWindow else { throw engine.outsideWindow(results.withLock { $0.count { r in r != nil } }) }
                            engine.gate.progress.update("\(engine.function) \(o.key): waiting \(Int(wait)) s for the window \(window.description)", force: true)
                            try engine.clock.sleep(seconds: wait)
                        }
                    }
                    try pacer.withLock { try $0.waitForTurn(clock: engine.clock) }
                }
                let n = started.withLock { $0 += 1; return $0 }
                engine.gate.progress.update("\(engine.function) \(o.key): send \(n) of \(sends.count) (\(send.recipients) recipient(s))\(pace)", force: false)
                return try engine.gate.send(send.request, once: send.key, function: engine.function, forgetPrefix: o.key + "/")
            }
            results.withLock { $0[i] = outcome }
            if case .failure = outcome { return false }
            return true
        }
        gate.progress.finish()
        let all = results.withLock { $0 }
        var out = Outcome(results: [])
        out.results.reserveCapacity(sends.count)
        // The earliest row's failure is the campaign's; the rows after it that went out are
        // journaled, so a re-run resumes them.
        for (i, r) in all.enumerated() {
            guard let r else { continue }
            switch r {
            case .failure(let error): throw error
            case .success(let result):
                if result["replayed"]?.boolValue == true { out.resumed += 1 } else { out.sends += 1 }
                out.credits += result["credits"]?.doubleValue ?? 0
                out.parts += result["parts"]?.intValue ?? 0
                out.recipients += result["recipients"]?.intValue ?? Int64(sends[i].recipients)
                if let uuid = result["uuid"]?.stringValue { out.uuids.append(uuid) }
                out.results.append(result)
            }
        }
        if let plan = gate.dryRunPlan {
            plan.addCampaign(.init(key: o.key, sends: sends.count, recipients: out.recipients, parts: out.parts,
                                   credits: out.credits, rate: o.rate, window: o.window?.description))
        }
        return out
    }

    public static func describePace(_ o: Options) -> String {
        var s = ""
        if let rate = o.rate { s += ", rate \(formatRate(rate))/s" }
        if let w = o.window { s += ", window \(w.description)" }
        if o.concurrency > 1 { s += ", \(o.concurrency) at once" }
        return s
    }

    public static func formatRate(_ r: Double) -> String { r == r.rounded() ? String(Int64(r)) : String(r) }
}

/// Hands values the engine shares read-only (the gate, the plan) to its worker threads.
struct UncheckedSendable<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
