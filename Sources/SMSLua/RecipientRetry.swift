import CLua
import CLuaShim
import LuaHost
import SMSClient
import SMSOperations
import SMSState

/// `sms.retry`: resending to the recipients whose delivery failed.
enum RecipientRetry {
    static let retryWorthy = ["failed", "expired", "timeout"]
    static let neverRetried: Set<String> = ["invalid", "blocked"]
    static let recipientStatuses: Set<String> = ["pending", "success", "failed", "invalid", "blocked", "expired", "timeout"]
    static let fields: Set<String> = ["statuses", "sender", "content", "templateId", "variables", "dryRun", "force", "once"]

    /// `sms.retry`: resend to the retry-worthy recipients, once per message and statuses
    /// (journaled under `retry:<uuid>@<createdAt>:<statuses>` unless `force = true`).
    static func retry(_ s: LuaStack, env: SMSEnvironment) throws -> () throws -> [String: JSONValue]? {
        let uuid = try SMSModule.uuid(s, "sms.retry")
        var statuses = retryWorthy
        var sender: String?, content: String?, templateId: Int64?, variables: [String: JSONValue]?
        var dryRun = false, force = false, once: String?
        if s.type(at: 2) > LUA_TNIL {
            let f = try LuaTableFields(s, at: 2, function: "sms.retry")
            try f.checkKnown(fields)
            if let given = try f.stringList("statuses") {
                for st in given where neverRetried.contains(st) || !recipientStatuses.contains(st) {
                    throw f.fieldError("statuses", neverRetried.contains(st)
                        ? "'\(st)' recipients are never retried (the number is invalid or blocked)"
                        : "'\(st)' is not a recipient status")
                }
                statuses = given
            }
            sender = try f.text("sender")
            content = try f.text("content")
            templateId = try f.integer("templateId")
            variables = try f.object("variables")
            dryRun = try f.bool("dryRun") ?? false
            force = try f.bool("force") ?? false
            once = try f.string("once")
            if content != nil && templateId != nil {
                throw f.fieldError("templateId", "give 'content' or 'templateId', not both")
            }
        }
        let client = try env.client()
        return { [statuses] in
            try retry(uuid: uuid, statuses: statuses, sender: sender, content: content, templateId: templateId, variables: variables,
                      dryRun: dryRun, force: force, once: once, client: client, env: env)
        }
    }

    /// The retry itself (off the Lua thread in a task): the original, its recipients, the send.
    static func retry(uuid: String, statuses: [String], sender: String?, content: String?, templateId: Int64?,
                      variables: [String: JSONValue]?, dryRun: Bool, force: Bool, once: String?, client: SMSClient,
                      env: SMSEnvironment) throws -> [String: JSONValue]? {
        var content = content, templateId = templateId, variables = variables
        let original = try client.message(uuid: uuid)
        // The message is named by its uuid and creation time: the sandbox's seeded uuids repeat
        // from run to run, its messages do not.
        let created = original.json["createdAt"]?.stringValue.map { "@" + $0 } ?? ""
        let key = force ? nil : once ?? "retry:\(uuid)\(created):\(statuses.sorted().joined(separator: ","))"
        // The text: what the caller gives, else the original's content, else its template
        // (a template send is retried as one: its content is the rendered text).
        let useSender = sender ?? original.sender
        if content == nil && templateId == nil {
            if let t = original.json["templateId"]?.intValue {
                templateId = t
                variables = variables ?? original.json["variables"]?.objectValue
            } else {
                content = original.content
            }
        }
        // A retry already made (in any earlier run, same API and account) is answered from the
        // journal before paging through the recipients again; a key recorded for another
        // message is ONCE_KEY_REUSED.
        let message = useSender.map {
            RequestDigest(sender: $0, text: content.map(RequestDigest.digest(text:)), templateId: templateId,
                          variables: variables.map(RequestDigest.digest(variables:)), recipients: 0, recipientsDigest: "", schedule: nil)
        }
        if let key, !dryRun, env.dryRunPlan == nil,
           var recorded = try env.journal.recorded(key: key, message: message, function: "sms.retry") {
            env.gate.summary.replayed(key: key, result: recorded)
            recorded["replayed"] = .bool(true)
            recorded["once"] = .string(key)
            recorded["retryOf"] = .string(uuid)
            return recorded
        }
        var numbers: [String] = []
        for status in statuses {
            var after: Int64 = 0
            while true {
                try MessageWaiting.checkInterrupt()
                let page = try client.recipients(uuid: uuid, status: status, after: after, limit: 1000)
                for r in page.data { if let n = r.msisdn, r.status == nil || r.status == status { numbers.append(n) } }
                guard page.hasMore == true, let next = page.nextCursor, next > after, !page.data.isEmpty else { break }
                after = next
            }
        }
        guard !numbers.isEmpty else { return nil }
        guard let useSender else {
            throw SMSError.invalidArgument("sender", "sms.retry: the original message has no sender; pass sender=")
        }
        if content == nil && templateId == nil {
            throw SMSError.invalidArgument("content", "sms.retry: the original message has neither content nor templateId; pass content= or templateId=")
        }
        let request = SendRequest(sender: useSender, content: content, templateId: templateId, variables: variables,
                                  msisdns: MSISDNList(numbers), dryRun: dryRun)
        var result = try env.gate.send(request, once: key, function: "sms.retry")
        result["retryOf"] = .string(uuid)
        if result["replayed"] == nil { result["replayed"] = .bool(false) }
        return result
    }
}
