import CLua
import CLuaShim
import LuaHost
import SMSClient
import SMSDocs
import SMSOperations

/// The `sms` module: one binding per API operation plus the workflow helpers. Arguments are
/// Lua tables with the API's field names; results are Lua tables with every field the
/// server returned. The client and clock come from the `SMSEnvironment`, never a global.
public struct SMSModule: LuaModule {
    public let name = "sms"
    let environment: SMSEnvironment

    public init(environment: SMSEnvironment) { self.environment = environment }

    static let sendFields: Set<String> = [
        "sender", "content", "templateId", "variables", "msisdns", "contactGroupId", "scheduledTime",
        "dryRun", "dedupe", "once",
    ]
    static let previewFields: Set<String> = ["content", "templateId", "variables", "msisdns", "contactGroupId", "dedupe"]
    static let messagesFields: Set<String> = ["status", "page", "limit"]
    static let recipientsFields: Set<String> = ["status", "after", "page", "limit"]

    public func open(_ stack: LuaStack) throws {
        let env = environment
        // The error values' metatable now, not at the first error: making it calls Lua (a
        // protected push), where an armed Ctrl-C hook would fire and leave it without its
        // __tostring for the rest of the session.
        SMSErrorValue.pushMetatable(stack)
        stack.pop()
        stack.pushLibrary("sms", doc: { SMSDocs.module }, functions: [
            binding("send", SMSDocs.send) { s in
                let (request, once) = try SMSModule.sendRequest(s, function: "sms.send", env: env)
                let client = try env.client()
                return try SMSModule.io(s, env, "send", client, { try SMSModule.send(request, once: once, env: env) }, push: SMSModule.pushObject)
            },
            binding("budget", SMSDocs.budget) { s in
                if s.type(at: 1) > LUA_TNIL {
                    guard let cap = s.number(at: 1), cap >= 0, cap.isFinite else {
                        throw SMSError.invalidArgument("credits", "sms.budget: expected a number of credits >= 0")
                    }
                    let spent = env.budget?.spent ?? 0
                    env.budget = Budget(cap: cap)
                    env.budget?.spent = spent
                }
                if let b = env.budget {
                    s.push(b.remaining)
                    s.push(b.spent)
                    return 2
                }
                s.pushNil()
                return 1
            },
            binding("preview", SMSDocs.preview) { s in
                let f = try LuaTableFields(s, at: 1, function: "sms.preview")
                try f.checkKnown(SMSModule.previewFields)
                let request = PreviewRequest(
                    content: try f.text("content"), templateId: try f.integer("templateId"),
                    variables: try f.object("variables"),
                    msisdns: try f.numbers("msisdns", progress: SMSModule.checkingProgress("sms.preview", env)),
                    contactGroupId: try f.integer("contactGroupId"), dedupe: try f.bool("dedupe") ?? true)
                defer { env.progress.finish() }
                let client = try env.client()
                return try SMSModule.io(s, env, "preview", client, { try client.preview(request).json }, push: SMSModule.pushObject)
            },
            binding("cancel", SMSDocs.cancel) { s in
                let uuid = try SMSModule.uuid(s, "sms.cancel")
                let client = try env.client()
                return try SMSModule.io(s, env, "cancel", client, { try env.gate.cancel(uuid: uuid) }, push: SMSModule.pushObject)
            },
            binding("messages", SMSDocs.messages) { s in
                var status: String?, page: Int64?, limit: Int64?
                if s.type(at: 1) > LUA_TNIL {
                    let f = try LuaTableFields(s, at: 1, function: "sms.messages")
                    try f.checkKnown(SMSModule.messagesFields)
                    (status, page, limit) = (try f.string("status"), try f.integer("page"), try f.integer("limit"))
                }
                let client = try env.client()
                return try SMSModule.io(s, env, "messages", client, {
                    try client.messages(status: status, page: page.map(Int.init), limit: limit.map(Int.init)).json
                }, push: SMSModule.pushObject)
            },
            binding("message", SMSDocs.message) { s in
                let uuid = try SMSModule.uuid(s, "sms.message")
                let client = try env.client()
                return try SMSModule.io(s, env, "message", client, { try client.message(uuid: uuid).json }, push: SMSModule.pushObject)
            },
            binding("recipients", SMSDocs.recipients) { s in
                let uuid = try SMSModule.uuid(s, "sms.recipients")
                var status: String?, after: Int64?, page: Int64?, limit: Int64?
                if s.type(at: 2) > LUA_TNIL {
                    let f = try LuaTableFields(s, at: 2, function: "sms.recipients")
                    try f.checkKnown(SMSModule.recipientsFields)
                    (status, after, page, limit) = (try f.string("status"), try f.integer("after"), try f.integer("page"), try f.integer("limit"))
                }
                let client = try env.client()
                return try SMSModule.io(s, env, "recipients", client, {
                    try client.recipients(uuid: uuid, status: status, after: after, page: page.map(Int.init), limit: limit.map(Int.init)).json
                }, push: SMSModule.pushObject)
            },
            binding("credit", SMSDocs.credit) { s in
                let client = try env.client()
                return try SMSModule.io(s, env, "credit", client, { try client.credit().json }, push: SMSModule.pushObject)
            },
            binding("senders", SMSDocs.senders) { s in
                let client = try env.client()
                return try SMSModule.io(s, env, "senders", client, { try client.senders().json }, push: SMSModule.pushObject)
            },
            binding("csv", SMSDocs.csv) { s in try CSVBinding.iterate(s, env: env) },
            binding("each_recipient", SMSDocs.eachRecipient) { s in
                let cursor = try RecipientCursor(s, env: env)
                s.push(function: SMSModule.namingErrors("each_recipient", env) { s in try cursor.nextPage(s) })
                smsh_push_rows_iterator(s.L)
                return 1
            },
            binding("wait", SMSDocs.wait) { s in
                let work = try MessageWaiting.wait(s, env: env)
                return try SMSModule.io(s, env, "wait", try env.client(), work, push: SMSModule.pushObject)
            },
            binding("wait_all", SMSDocs.waitAll) { s in
                let work = try MessageWaiting.waitAll(s, env: env)
                return try SMSModule.io(s, env, "wait_all", try env.client(), work, push: SMSModule.pushObject)
            },
            binding("report", SMSDocs.report) { s in
                let work = try MessageWaiting.report(s, env: env)
                return try SMSModule.io(s, env, "report", try env.client(), work, push: SMSModule.pushObject)
            },
            binding("campaign", SMSDocs.campaign) { s in
                let send = try Campaign.prepare(s, env: env)
                return try SMSModule.io(s, env, "campaign", try env.client(), send, push: SMSModule.pushObject)
            },
            binding("retry", SMSDocs.retry) { s in
                let work = try RecipientRetry.retry(s, env: env)
                return try SMSModule.io(s, env, "retry", try env.client(), work) { s, result in
                    if let result { s.push(apiObject: result) } else { s.pushNil() }
                    return 1
                }
            },
            binding("normalize", SMSDocs.normalize) { s in
                let raw: String
                if let str = s.string(at: 1) {
                    raw = str
                } else if let i = s.integer(at: 1) {
                    raw = String(i)
                } else {
                    throw SMSError.invalidArgument("number", "sms.normalize: expected a phone number string, got \(s.typeName(at: 1))")
                }
                switch MSISDN.normalize(raw) {
                case .success(let n):
                    s.push(n)
                    return 1
                case .failure(let reason):
                    s.pushNil()
                    s.push("\(SMSError.quotedForLua(raw)) is not a Thai mobile number (\(reason))")
                    return 2
                }
            },
            binding("parts", SMSDocs.parts) { s in
                guard let text = s.string(at: 1) else {
                    throw SMSError.invalidArgument("text", "sms.parts: expected a string, got \(s.typeName(at: 1))")
                }
                let p = MessageParts.of(text)
                s.push(p.parts)
                s.push(p.encoding.rawValue)
                s.push(p.characters)
                return 3
            },
            binding("numbers", SMSDocs.numbers) { s in try NumberListBinding.read(s) },
            binding("now", SMSDocs.now) { s in
                s.push(env.clock.now())
                return 1
            },
            binding("sleep", SMSDocs.sleep) { s in
                guard let seconds = s.number(at: 1), seconds >= 0, seconds.isFinite else {
                    throw SMSError.invalidArgument("seconds", "sms.sleep: expected a number of seconds >= 0")
                }
                guard let tasks = env.tasks else {
                    try env.clock.sleep(seconds: seconds)
                    return 0
                }
                return try tasks.sleep(s, seconds: seconds)
            },
        ])
        try TaskBindings.install(stack, table: -1, env: env)
    }

    static func pushObject(_ s: LuaStack, _ object: [String: JSONValue]) throws -> Int32 {
        s.push(apiObject: object)
        return 1
    }

    /// A binding's I/O: inside a task it runs while only that task waits (off the Lua thread
    /// when the transport allows requests to overlap, inline when the order must stay fixed:
    /// cassettes and the in-process simulator); elsewhere it blocks as it always did.
    static func io<T>(_ s: LuaStack, _ env: SMSEnvironment, _ name: String, _ client: SMSClient,
                      _ work: @escaping () throws -> T, push: @escaping (LuaStack, T) throws -> Int32) throws -> Int32 {
        guard let tasks = env.tasks, tasks.canSuspend(s.L) else { return try push(s, try work()) }
        return try tasks.perform(s, concurrent: client.transport.allowsConcurrentRequests, work) { s, value in
            try renamingErrors(name, env, s.L) { try push(s, value) }
        }
    }

    /// Wraps a binding so argument errors name the Lua function and an interrupted wait
    /// reads as such.
    private func binding(_ name: String, _ doc: @autoclosure @escaping () -> FunctionDoc, _ body: @escaping LuaRawFunction) -> LuaLibraryFunction {
        LuaLibraryFunction(name, doc: doc().helpText, SMSModule.namingErrors(name, environment, body))
    }

    /// `body` with its errors named after `sms.<name>` (also used for the iterator that
    /// `each_recipient` returns, whose first call validates the uuid).
    static func namingErrors(_ name: String, _ env: SMSEnvironment, _ body: @escaping LuaRawFunction) -> LuaRawFunction {
        return { stack in try renamingErrors(name, env, stack.L) { try body(stack) } }
    }

    /// Runs `body`, turning its SMS errors into `sms.<name>`'s error values.
    static func renamingErrors(_ name: String, _ env: SMSEnvironment, _ L: OpaquePointer, _ body: () throws -> Int32) throws -> Int32 {
        do {
            return try body()
        } catch let e as SMSError {
            // Interrupted by Ctrl-C (the limiter or the journal saw it first): the hook has
            // done its job, and must not fire while the error value is made and shown.
            if e.code == "INTERRUPTED" { smsh_clear_interrupt(L) }
            env.gate.summary.failed(e)
            var error = SMSErrorValue.prefixed(e, function: "sms.\(name)")
            if env.maskNumbers { error.message = NumberMasking.mask(error.message) }
            throw error
        } catch is ClockInterrupted {
            // The Ctrl-C hook has done its job: without it the error's __tostring runs cleanly.
            smsh_clear_interrupt(L)
            throw SMSError(status: nil, code: "INTERRUPTED", message: "sms.\(name): interrupted", retryable: false)
        } catch is LuaTaskScheduler.Interrupted {
            smsh_clear_interrupt(L)
            throw SMSError(status: nil, code: "INTERRUPTED", message: "sms.\(name): interrupted", retryable: false)
        }
    }

    static func uuid(_ s: LuaStack, _ function: String) throws -> String {
        guard let u = s.string(at: 1) else {
            throw SMSError.invalidArgument("uuid", "\(function): expected a message uuid (string), got \(s.type(at: 1) == LUA_TNONE ? "no value" : s.typeName(at: 1))")
        }
        return u
    }

    /// The send's arguments, and its `once` key if any.
    static func sendRequest(_ s: LuaStack, function: String, env: SMSEnvironment) throws -> (SendRequest, once: String?) {
        let defaultSender = env.defaultSender
        let f = try LuaTableFields(s, at: 1, function: function)
        try f.checkKnown(sendFields)
        guard let sender = try f.text("sender") ?? defaultSender else {
            throw f.fieldError("sender", "'sender' is required (or set sender in the profile)")
        }
        let request = SendRequest(
            sender: sender, content: try f.text("content"), templateId: try f.integer("templateId"),
            variables: try f.object("variables"), msisdns: try f.numbers("msisdns", progress: checkingProgress(function, env)),
            contactGroupId: try f.integer("contactGroupId"), scheduledTime: try f.scheduledTime("scheduledTime"),
            dryRun: try f.bool("dryRun") ?? false, dedupe: try f.bool("dedupe") ?? true)
        return (request, try f.string("once"))
    }

    /// Shows how far the check of a big `msisdns` list has got (on a terminal only).
    static func checkingProgress(_ function: String, _ env: SMSEnvironment) -> (Int, Int) -> Void {
        { done, total in env.progress.update("\(function): checked \(done) of \(total) numbers") }
    }

    /// A send through the session's gates (send-once journal, budget, confirmation, dry run):
    /// `SendGate`, the layer the one-off commands share.
    /// - Parameter function: the Lua function the send is made for, named in its errors.
    static func send(_ request: SendRequest, once: String? = nil, env: SMSEnvironment, function: String = "sms.send") throws -> [String: JSONValue] {
        try env.gate.send(request, once: once, function: function)
    }
}

extension SMSError {
    /// A value quoted for a message, as the client quotes numbers (escaped, not cut).
    static func quotedForLua(_ value: String) -> String { quoted(value, limit: .max) }
}
