import NIOConcurrencyHelpers
import SMSClient
import SMSState

/// The gates every send passes, in one place below the Lua module and the one-off commands:
/// the send-once journal (`once`), the run's credit budget, the confirmation of large
/// interactive sends, and under `--dry-run` a preview recorded in the plan instead of a send.
/// The client and clock are passed in (closures, so a test's fixture can swap them).
///
/// Sends may pass the gates from many threads at once (tasks, the campaign engine): the
/// budget, the plan, the summary and the confirmation are kept under one lock, and a send's
/// estimated cost is reserved against the budget until its answer says what it cost.
public final class SendGate: @unchecked Sendable {
    private let lock = NIOLock()
    private let confirmLock = NIOLock()
    /// Estimated credits of sends that passed the budget and have not been answered yet.
    private var reserved = 0.0
    private let client: () throws -> SMSClient
    private let clock: () -> SMSClock
    /// Non-nil under `--dry-run`: sends become previews and are recorded here.
    public let dryRunPlan: DryRunPlan?
    /// The run's credit cap (`--max-credits`, `max_credits`, `sms.budget`); nil = none.
    public var budget: Budget? {
        didSet { dryRunPlan?.budget = budget }
    }
    /// Where `once = "key"` sends are recorded (the session's scope); swapped by test fixtures.
    public var journal: SendOnceJournal
    /// Asked before a large interactive send (the REPL sets it; scripts never prompt).
    public var confirmLargeSend: ((SendEstimate) -> Bool)?
    public var confirmThreshold = SendEstimate(recipients: 1_000, parts: 0, credits: 1_000)
    /// Under `--dry-run`, the client's transport answers sends with a simulator (dry-run
    /// uuids that later calls accept); false keeps dry-run sends as previews only.
    public var dryRunAnswers = false
    /// What the run did, for `--summary`.
    public let summary = RunSummary()
    public let progress: ProgressSink
    /// Gets `SandboxReplayWarning`'s line the first time a key replays in the sandbox scope
    /// (the session writes it on stderr); nil says nothing.
    public var warn: ((String) -> Void)?
    private let sandboxReplays = SandboxReplayWarning.Tracker()

    public init(client: @escaping () throws -> SMSClient, clock: @escaping () -> SMSClock, journal: SendOnceJournal,
                dryRun: Bool, progress: ProgressSink) {
        self.client = client
        self.clock = clock
        self.journal = journal
        self.dryRunPlan = dryRun ? DryRunPlan() : nil
        self.progress = progress
    }

    /// A send through every gate. With `once`, a key already sent in this scope returns its
    /// recorded result with `replayed = true` and sends nothing.
    /// - Parameters:
    ///   - function: the operation the send is made for (`sms.send`, `sms.retry`,
    ///     `smsh send`), named in its errors.
    ///   - forgetPrefix: the journal prefix that forgets `once` with its group (a campaign's
    ///     `CAMPAIGN/`), for the sandbox replay warning.
    public func send(_ request: SendRequest, once: String? = nil, function: String = "sms.send",
                     forgetPrefix: String? = nil) throws -> [String: JSONValue] {
        guard let key = once, dryRunPlan == nil, !request.dryRun else {
            let prepared = try prepare(request, function: function)
            return try prepared.result ?? deliver(prepared, function: function)
        }
        // Encoded once: the digest that binds the key to this request, then the send itself.
        let encoded = try request.encoded()
        let (result, replayed) = try journal.once(
            key: key, now: clock().now(), function: function, request: RequestDigest(encoded: encoded),
            prepare: { try prepare(request, encoded: encoded, function: function) },
            send: { try $0.result ?? deliver($0, function: function) })
        var r = result
        r["replayed"] = .bool(replayed)
        r["once"] = .string(key)
        if replayed {
            let warnNow: Bool = lock.withLock {
                summary.replayed(key: key, result: result)
                return journal.scope.isSandbox && warn != nil && sandboxReplays.shouldWarn(replayed: result["uuid"]?.stringValue)
            }
            if warnNow, let warn {
                warn(SandboxReplayWarning.text(key: key, uuid: result["uuid"]?.stringValue, forgetPrefix: forgetPrefix))
            }
        } else {
            sandboxReplays.sent(result["uuid"]?.stringValue)
        }
        return r
    }

    /// A checked send, ready to go out; `result` is set when nothing needs sending (dry run).
    struct Prepared {
        let encoded: EncodedRequest
        let estimate: PreviewResult?
        let dryRun: Bool
        var result: [String: JSONValue]?
        /// Credits reserved against the budget for this send until it is answered.
        var reserved = 0.0
    }

    /// Everything before the request: validation (exactly as the send will encode it), then
    /// the estimate the budget, confirmation and dry-run plan need.
    private func prepare(_ request: SendRequest, encoded: EncodedRequest? = nil, function: String) throws -> Prepared {
        defer { progress.finish() }
        let client = try self.client()
        let encoded = try encoded ?? request.encoded()
        let needsEstimate = dryRunPlan != nil || budget != nil || confirmLargeSend != nil
        guard needsEstimate && !request.dryRun else {
            return Prepared(encoded: encoded, estimate: nil, dryRun: request.dryRun)
        }
        let preview = try client.preview(encoded: encoded.preview)
        let cost = preview.credits ?? 0
        try checkBudget(cost, function: function)
        if let plan = dryRunPlan {
            let scheduled = try request.scheduledTime.map { try $0.wireValue() }
            lock.withLock {
                plan.add(.init(sender: request.sender, recipients: preview.recipients ?? 0, parts: preview.parts ?? 0,
                               credits: cost, scheduledTime: scheduled))
                budget?.spent += cost
            }
            var result = preview.json
            if dryRunAnswers, let answered = try? client.send(encoded: encoded).json {
                // A `dryrun-` uuid from the simulator: wait, recipients, retry and report accept it.
                result = answered.merging(result) { simulated, _ in simulated }
            }
            result["dryRun"] = .bool(true)
            return Prepared(encoded: encoded, estimate: preview, dryRun: true, result: result)
        }
        let e = SendEstimate(recipients: preview.recipients ?? 0, parts: preview.parts ?? 0, credits: cost)
        if let confirm = confirmLargeSend,
           e.recipients > confirmThreshold.recipients || e.credits > confirmThreshold.credits,
           !confirmLock.withLock({ confirm(e) }) {
            throw SMSError(status: nil, code: "CANCELLED", message: "\(function): not confirmed; nothing was sent",
                           retryable: false, notSent: true)
        }
        // Checked again and reserved together: sends in flight at once cannot overspend.
        try checkBudget(cost, function: function, reserve: true)
        return Prepared(encoded: encoded, estimate: preview, dryRun: false, reserved: budget == nil ? 0 : cost)
    }

    /// Refuses a send whose cost would take the run past its budget (counting the estimates
    /// of sends still in flight); with `reserve`, holds the cost until the send is answered.
    private func checkBudget(_ cost: Double, function: String, reserve: Bool = false) throws {
        try lock.withLock {
            guard let budget else { return }
            if budget.spent + reserved + cost > budget.cap + 1e-9 {
                let remaining = max(budget.cap - budget.spent - reserved, 0)
                throw SMSError(status: nil, code: "BUDGET_EXCEEDED",
                               message: "\(function): this send needs \(creditsPhrase(cost)) but only \(groupedCredits(remaining)) "
                                   + "of the run's budget of \(creditsPhrase(budget.cap)) remain; nothing was sent",
                               retryable: false, notSent: true)
            }
            if reserve { reserved += cost }
        }
    }

    /// The request itself.
    private func deliver(_ p: Prepared, function: String) throws -> [String: JSONValue] {
        defer { progress.finish() }
        if let count = p.encoded.recipientCount, count >= 65_536 {
            let megabytes = max(1, (count * 14 + 524_288) / 1_048_576)
            progress.update("\(function): sending \(count) numbers (\(megabytes) MB)…", force: true)
        }
        let result: SendResult
        do {
            result = try client().send(encoded: p.encoded)
        } catch let e as SMSError {
            lock.withLock {
                reserved -= p.reserved
                if let sent = e.sentResult, !p.dryRun {
                    summary.sent(sent, estimate: p.estimate)
                    budget?.spent += SendResult(json: sent).credits ?? p.estimate?.credits ?? 0
                }
            }
            throw e
        } catch {
            lock.withLock { reserved -= p.reserved }
            throw error
        }
        if !p.dryRun {
            lock.withLock {
                reserved -= p.reserved
                budget?.spent += result.credits ?? p.estimate?.credits ?? 0
                summary.sent(result.json, estimate: p.estimate)
            }
        }
        return result.json
    }

    /// `sms.cancel` and `smsh cancel`. Under `--dry-run` a real message is only read: the
    /// answer is the one the cancel would give (with `dryRun = true`, or its error) and
    /// nothing changes on the account; a dry run's own `dryrun-` messages are cancelled in its
    /// simulator (`DryRunTransport`).
    public func cancel(uuid: String) throws -> [String: JSONValue] {
        let client = try client()
        guard dryRunPlan != nil, !uuid.hasPrefix("dryrun-") else { return try client.cancel(uuid: uuid).json }
        let message = try client.message(uuid: uuid).json
        switch message["status"]?.stringValue {
        case "scheduled":
            return ["uuid": .string(uuid), "status": .string("cancelled"), "refunded": message["credits"] ?? .int(0),
                    "dryRun": .bool(true)]
        case "cancelled":
            throw SMSError(status: 409, code: "ALREADY_CANCELLED",
                           message: "Message \(uuid) is already cancelled (dry run: nothing was changed)", retryable: false)
        default:
            throw SMSError(status: 400, code: "NOT_SCHEDULED",
                           message: "Message \(uuid) was not scheduled (dry run: nothing was changed)", retryable: false)
        }
    }
}

