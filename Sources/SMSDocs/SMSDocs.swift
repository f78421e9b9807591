/// The doc registry of the `sms` module's API operations, shown by `help(sms.send)` /
/// `help("sms.send")` and written as LuaLS definitions: parameters, request fields, returns,
/// then what it does, errors, an example. The helpers are in SMSDocs+Helpers.swift, the
/// table shapes in SMSDocs+Classes.swift.
public enum SMSDocs {
    public static let module = """
        sms — the SMS provider API. Operations: send, preview, cancel, messages, message,
        recipients, credit, senders. Helpers: each_recipient, wait, wait_all, report, campaign, retry, normalize, parts,
        now, sleep, budget. Tasks (many requests in flight): spawn, join, map. Files: csv, numbers. Failures raise an error table {status, code, message, retryable, field}
        whose tostring is "CODE (status): message"; catch with pcall and branch on err.code.
        Sandbox (--sandbox): 10,000 credits (--sandbox-credit N), seed 1 (--sandbox-seed N), sender
        SMSHDEMO; 66899999999 and 66800000000 are on its blocklist (status "blocked" at once);
        numbers 060... and landlines (not 06/08/09...) are "invalid"; the rest deliver 90% success, 5% failed,
        2% expired, 3% timeout.
        """

    /// Every function of the module, as registered (SMSModule.open looks its docs up here).
    public static let moduleDoc = ModuleDoc("sms", doc: module, functions: [
        send, budget, preview, cancel, messages, message, recipients, credit, senders,
        eachRecipient, wait, waitAll, report, campaign, retry, normalize, parts, now, sleep, csv, numbers,
        spawn, join, map,
    ], nestedClasses: [drSummary, sendWindow, recipient, sender, invalidRow, numberList])

    public static let send = FunctionDoc("sms.send", params: [DocParam("request", table: sendRequest)],
                                  returns: [DocReturn("result", table: sendResult)], """
        Sends (or schedules) one message to up to 2,000,000 numbers.
        Returns {uuid=, status="pending"|"scheduled", recipients=, parts=, credits=,
        duplicatesRemoved=, ...every field the API returned}.
        Errors: INVALID_ARGUMENT / INVALID_MSISDN (before anything is sent, naming the field,
        e.g. 'msisdns[3]' = "12ab"), INSUFFICIENT_CREDITS (402), SENDER_NOT_APPROVED (400),
        UNAUTHORIZED (401), FORBIDDEN (403), RATE_LIMITED (429), NETWORK, TIMEOUT.
        Never retried once the request may have reached the server (no double sends).
        Under `smsh run --dry-run` it previews instead and adds the send to the plan.
        Example: local r = sms.send{sender="SMSHDEMO", content="Hi", msisdns={"0812345678"}}
        """)

    public static let budget = FunctionDoc("sms.budget", params: [DocParam("credits", "number", optional: true, "the cap, >= 0")],
                                    returns: [DocReturn("remaining", "number?"), DocReturn("spent", "number?")], """
        Caps what this run may spend: every later send previews its cost first and raises
        BUDGET_EXCEEDED (before sending) if the run's total would go above the cap. Without an
        argument it reports the current budget (nil when none). `smsh run --max-credits N` sets
        the same cap from the command line.
        Example: sms.budget(500); sms.send{...}   -- refuses sends beyond 500 credits in total
        """)

    public static let preview = FunctionDoc("sms.preview", params: [DocParam("request", table: previewRequest)],
                                     returns: [DocReturn("estimate", table: estimate)], """
        What a send would cost; consumes nothing, sends nothing.
        Returns {recipients=, parts=, credits=, encoding="gsm7"|"ucs2", characters=}.
        Errors: as sms.send (argument errors name the field).
        Example: if sms.preview{content=txt, msisdns=nums}.credits > 500 then return end
        """)

    public static let cancel = FunctionDoc("sms.cancel", params: [DocParam("uuid", "string")],
                                    returns: [DocReturn("result", table: cancelResult)], """
        Cancels a scheduled send that has not started; held credits are refunded.
        Returns {uuid=, status="cancelled", refunded=}.
        Errors: NOT_SCHEDULED (400), ALREADY_CANCELLED / ALREADY_PROCESSING (409), NOT_FOUND (404).
        Example: sms.cancel(r.uuid)
        """)

    public static let messages = FunctionDoc("sms.messages", params: [DocParam("query", table: messagesQuery, optional: true)],
                                      returns: [DocReturn("page", table: messagePage)], """
        Sent messages, most recent first: {data={message...}, page=, limit=, total=}.
        Example: for _, m in ipairs(sms.messages{status="scheduled"}.data) do print(m.uuid) end
        """)

    public static let message = FunctionDoc("sms.message", params: [DocParam("uuid", "string")],
                                     returns: [DocReturn("message", table: SMSDocs.messageClass)], """
        One message with its delivery-report summary: {uuid=, sender=, content=, status=,
        recipients=, parts=, credits=, createdAt=, scheduledTime=, drSummary={pending=,
        success=, failed=, invalid=, blocked=, expired=, timeout=}}.
        Errors: NOT_FOUND (404).
        Example: print(sms.message(uuid).drSummary.failed)
        """)

    public static let recipients = FunctionDoc("sms.recipients", params: [DocParam("uuid", "string"), DocParam("query", table: recipientsQuery, optional: true)],
                                        returns: [DocReturn("page", table: recipientPage)], """
        One page of per-recipient delivery statuses. With after (0, then nextCursor):
        {data={{msisdn=, status=, updatedAt=}...}, nextCursor=, hasMore=, summary={...}};
        with page: {data=..., total=}.
        Prefer sms.each_recipient to walk all pages.
        Example: local p = sms.recipients(uuid, {status="failed", after=0, limit=1000})
        """)

    public static let credit = FunctionDoc("sms.credit", returns: [DocReturn("credit", table: creditClass)], """
        The account's credit balance: {balance=, currency=}.
        Example: if sms.credit().balance < 100 then log.warn("low credit") end
        """)

    public static let senders = FunctionDoc("sms.senders", returns: [DocReturn("senders", table: senderList)], """
        Sender names the account may use: {data={{name=, status="approved"|"pending"|"rejected",
        shared=}...}}; only approved ones can send.
        Example: for _, s in ipairs(sms.senders().data) do print(s.name, s.status) end
        """)
}
