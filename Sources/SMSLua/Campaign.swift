import CLua
import CLuaShim
import LuaHost
import SMSClient
import SMSOperations

/// `sms.campaign{...}`: a personalised, resumable campaign. Everything is checked and planned
/// (`CampaignPlan`) before the first send; each send then goes through the session's gates
/// (`SendGate`: send-once journal, budget, confirmation, dry run) under its own key, paced by
/// `rate` and held to `window` on the session clock.
enum Campaign {
    static let fields: Set<String> = ["key", "sender", "rows", "phone", "content", "templateId", "variables", "rate", "window", "wait",
                                      "concurrency"]
    static let windowFields: Set<String> = ["from", "to", "tz"]
    static let function = "sms.campaign"

    typealias Options = CampaignEngine.Options

    /// Reads and plans the campaign (Lua thread), then returns the work that sends it.
    static func prepare(_ s: LuaStack, env: SMSEnvironment) throws -> () throws -> [String: JSONValue] {
        let f = try LuaTableFields(s, at: 1, function: function)
        try f.checkKnown(fields)
        guard let key = try f.string("key"), !key.isEmpty else {
            throw f.fieldError("key", "'key' is required: a name for this campaign's progress (a re-run with it resumes)")
        }
        guard let sender = try f.text("sender") ?? env.defaultSender else {
            throw f.fieldError("sender", "'sender' is required (or set sender in the profile)")
        }
        let phone = try f.string("phone") ?? "phone"
        let content = try f.text("content")
        let templateId = try f.integer("templateId")
        switch (content, templateId) {
        case (nil, nil): throw f.fieldError("content", "give 'content' (with {{column}}s) or 'templateId' + 'variables'")
        case (.some, .some): throw f.fieldError("templateId", "give 'content' or 'templateId', not both")
        default: break
        }
        let variables = try stringTable(s, f, "variables")
        if content != nil, variables != nil { throw f.fieldError("variables", "'variables' go with 'templateId', not 'content'") }
        let rate = try f.number("rate")
        if let rate, !(rate > 0 && rate.isFinite) { throw f.fieldError("rate", "'rate' must be a number of sends per second > 0") }
        let concurrency = try f.integer("concurrency") ?? Int64(SMSEnvironment.defaultCallConcurrency)
        guard concurrency >= 1 else { throw f.fieldError("concurrency", "'concurrency' must be an integer >= 1") }
        guard concurrency <= env.concurrency else {
            throw f.fieldError("concurrency", "'concurrency' \(concurrency) is above the run's cap of \(env.concurrency) requests in flight (--concurrency)")
        }
        let window = try readWindow(s, f)
        let options = Options(key: key, rate: rate, window: window, waitForWindow: try f.bool("wait") ?? true,
                              concurrency: Int(concurrency))
        let used = try CampaignPlan.columnsUsed(phone: phone, content: content, variables: variables)
        let rows = try readRows(s, f, checking: used)
        let plan = try CampaignPlan(key: key, rows: rows, phone: phone, content: content, templateId: templateId, variables: variables)
        let sends = try checkedSends(plan, sender: sender)
        let client = try env.client()
        return { try execute(plan, sends, options, env: env, concurrentTransport: client.transport.allowsConcurrentRequests) }
    }

    /// Validates every send exactly as it will be encoded, before the first goes out.
    static func checkedSends(_ plan: CampaignPlan, sender: String) throws -> [CampaignEngine.Send] {
        try plan.sends.map { send -> CampaignEngine.Send in
            let request: SendRequest
            switch send.message {
            case .content(let text):
                request = SendRequest(sender: sender, content: text, msisdns: MSISDNList(send.numbers))
            case .template(let id, let variables):
                request = SendRequest(sender: sender, templateId: id, variables: variables.mapValues { .string($0) }, msisdns: MSISDNList(send.numbers))
            }
            do {
                _ = try request.encoded()
            } catch var e as SMSError {
                e.message = "\(function): the send for key '\(send.onceKey)' is invalid: \(e.message); nothing was sent"
                throw e
            }
            return CampaignEngine.Send(key: send.onceKey, request: request, recipients: send.numbers.count)
        }
    }

    /// Sends the planned campaign through the engine (`SMSOperations.CampaignEngine`).
    static func execute(_ plan: CampaignPlan, _ sends: [CampaignEngine.Send], _ o: Options, env: SMSEnvironment,
                        concurrentTransport: Bool, function: String = Campaign.function) throws -> [String: JSONValue] {
        let clock = env.clock
        let engine = CampaignEngine(
            gate: env.gate, clock: clock, concurrentTransport: concurrentTransport, function: function,
            interrupted: { smsh_sigint_pending() != 0 },
            outsideWindow: { sent in outsideWindow(o.window!, o, clock: clock, sent: sent, function: function) })
        let outcome = try engine.run(sends, o)
        var out: [String: JSONValue] = [
            "key": .string(o.key), "sends": .int(Int64(outcome.sends)), "resumed": .int(Int64(outcome.resumed)),
            "recipients": .int(Int64(plan.recipients)), "credits": .double(outcome.credits),
            "duplicates": .int(Int64(plan.duplicates)), "uuids": .array(outcome.uuids.map { .string($0) }),
            "invalid": .array(plan.invalid.map {
                .object(["line": .int(Int64($0.line)), "value": .string($0.value), "reason": .string($0.reason)])
            }),
        ]
        if env.dryRunPlan != nil { out["dryRun"] = .bool(true) }
        return out
    }

    static func outsideWindow(_ w: SendWindow, _ o: Options, clock: SMSClock, sent: Int, function: String = Campaign.function) -> SMSError {
        let opens = Int(w.secondsUntilOpen(at: clock.now()))
        let what = sent == 0 ? "nothing was sent" : "\(sent) send(s) went out before it closed; run again to resume"
        return SMSError(status: nil, code: "OUTSIDE_WINDOW",
                        message: "\(function) \(o.key): outside the send window \(w.description) (opens in \(opens) s) and wait = false; \(what)",
                        retryable: true, notSent: true)
    }

    /// `window = {from = "09:00", to = "20:00", tz = "Asia/Bangkok"}`.
    static func readWindow(_ s: LuaStack, _ f: LuaTableFields) throws -> SendWindow? {
        s.getField("window", in: f.index)
        defer { s.pop() }
        guard s.type(at: -1) != LUA_TNIL else { return nil }
        let w = try LuaTableFields(s, at: -1, function: "\(function) window")
        try w.checkKnown(windowFields)
        guard let from = try w.string("from"), let to = try w.string("to") else {
            throw f.fieldError("window", "'window' needs 'from' and 'to' (\"HH:MM\")")
        }
        return try SendWindow(from: from, to: to, tz: try w.string("tz"))
    }

    /// `variables = {name = "{{column}}"}`: names to strings (numbers written in decimal).
    static func stringTable(_ s: LuaStack, _ f: LuaTableFields, _ name: String) throws -> [String: String]? {
        s.getField(name, in: f.index)
        defer { s.pop() }
        guard s.type(at: -1) != LUA_TNIL else { return nil }
        guard s.type(at: -1) == LUA_TTABLE else { throw f.fieldError(name, "'\(name)' must be a table of name = \"{{column}}\" pairs") }
        return try fields(of: -1, s, path: name)
    }

    /// The rows: a CSV path, or an array of tables of column = value. `used` are the columns
    /// the campaign reads (the phone column and every `{{column}}`): in a CSV file each of
    /// their fields must be UTF-8, checked for every row before anything is sent.
    static func readRows(_ s: LuaStack, _ f: LuaTableFields, checking used: [String]) throws -> [CampaignPlan.Row] {
        s.getField("rows", in: f.index)
        defer { s.pop() }
        if s.type(at: -1) == LUA_TSTRING, let path = s.string(at: -1) {
            let rows = try readCSV(path, checking: used)
            guard !rows.isEmpty else { throw f.fieldError("rows", "'rows': \(path) has no data rows") }
            return rows
        }
        guard s.type(at: -1) == LUA_TTABLE else {
            throw f.fieldError("rows", "'rows' is required: an array of row tables ({phone = ..., name = ...})")
        }
        let n = s.rawLength(at: -1)
        guard n > 0 else { throw f.fieldError("rows", "'rows' is empty") }
        var rows: [CampaignPlan.Row] = []
        rows.reserveCapacity(n)
        s.ensure(4)
        for i in 1...n {
            s.getIndex(Int64(i), in: -1)
            defer { s.pop() }
            guard s.type(at: -1) == LUA_TTABLE else {
                throw f.fieldError("rows[\(i)]", "'rows[\(i)]' is a \(s.typeName(at: -1)), not a row table")
            }
            rows.append(CampaignPlan.Row(line: i, fields: try fields(of: -1, s, path: "rows[\(i)]")))
        }
        return rows
    }

    /// A CSV file's rows keyed by its header, each with the file line it starts on. A field of
    /// a used column that is not UTF-8 is `CSV_INVALID` naming file:line and the column (a
    /// lossy decoding would send U+FFFD to a customer); other columns are decoded leniently.
    static func readCSV(_ path: String, checking used: [String]) throws -> [CampaignPlan.Row] {
        let csv = try CSVRows(path: path)
        defer { csv.close() }
        let names = csv.header
        try CampaignPlan.checkColumns(used, phone: used[0], header: names, file: path)
        let checked = Set(used.compactMap { csv.columns.position(of: $0) })
        var rows: [CampaignPlan.Row] = []
        while try csv.advance() {
            let line = csv.line
            let fields = try csv.withCurrentRow { row -> [String: String] in
                var out: [String: String] = [:]
                out.reserveCapacity(row.count)
                for i in 0..<row.count {
                    let bytes = row[i]
                    if let text = String(validating: bytes, as: UTF8.self) {
                        out[names[i]] = text
                    } else if checked.contains(i) {
                        throw SMSError(status: nil, code: SMSError.Code.csvInvalid,
                                       message: "\(path):\(line): column \(SMSError.quoted(names[i])) is not valid UTF-8 (byte offset \(invalidUTF8Offset(bytes))); nothing was sent",
                                       retryable: false, field: "rows", notSent: true)
                    } else {
                        out[names[i]] = String(decoding: bytes, as: UTF8.self)
                    }
                }
                return out
            }
            rows.append(CampaignPlan.Row(line: line, fields: fields))
        }
        return rows
    }

    /// A table's string keys with string or number values (raw access), each checked to be UTF-8.
    static func fields(of index: Int32, _ s: LuaStack, path: String) throws -> [String: String] {
        let t = s.absolute(index)
        var out: [String: String] = [:]
        s.pushNil()
        while lua_next(s.L, t) != 0 {
            defer { s.pop() }
            guard s.type(at: -2) == LUA_TSTRING, let name = s.string(at: -2) else {
                s.pop()
                throw SMSError.invalidArgument(path, "\(function): '\(path)' must have column names as keys (got a \(s.typeName(at: -1)) key)")
            }
            let field = "\(path).\(name)"
            if let v = s.integer(at: -1) {
                out[name] = String(v)
            } else if s.type(at: -1) == LUA_TNUMBER, let d = s.number(at: -1) {
                out[name] = String(d)
            } else if let bytes = s.bytes(at: -1) {
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    let offset = invalidUTF8Offset(bytes)
                    s.pop()
                    throw SMSError.invalidArgument(field, "\(function): '\(field)' is not valid UTF-8 (byte offset \(offset))")
                }
                out[name] = text
            } else {
                let type = s.typeName(at: -1)
                s.pop()
                throw SMSError.invalidArgument(field, "\(function): '\(field)' is a \(type), not a string or number")
            }
        }
        return out
    }
}
