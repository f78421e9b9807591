/// The doc registry of the `sms` module's workflow helpers (waiting, reports, campaigns,
/// retries, numbers, the clock).
public extension SMSDocs {
    static let eachRecipient = FunctionDoc(
        "sms.each_recipient", params: [DocParam("uuid", "string"), DocParam("options", table: eachRecipientOptions, optional: true)],
        returns: [DocReturn("iterator", "fun(): sms.Recipient?")], """
        Iterates over every recipient (optionally only those with the given statuses),
        fetching pages with the cursor as it goes: memory stays constant whatever the count.
        Each item: {msisdn=, status=, updatedAt=}.
        Example: for r in sms.each_recipient(uuid, {status="failed"}) do print(r.msisdn) end
        """)

    static let wait = FunctionDoc(
        "sms.wait", params: [DocParam("uuid", "string"), DocParam("options", table: waitOptions, optional: true)],
        returns: [DocReturn("message", table: messageClass)], """
        Polls sms.message until no recipient is pending, then returns the message (with its
        final drSummary). Waits through the session clock: instant in the sandbox and in replay.
        Errors: TIMEOUT when the deadline passes (err.message says how many are pending).
        Example: local m = sms.wait(r.uuid, {timeout=3600}); print(m.drSummary.success)
        """)

    static let waitAll = FunctionDoc(
        "sms.wait_all", params: [DocParam("uuids", "string[]|string", "a list (e.g. c.uuids of a campaign) or one uuid"),
                                 DocParam("options", table: waitOptions, optional: true)],
        returns: [DocReturn("messages", messagesByUUID, "each message by its uuid")], """
        Waits for many messages in one loop: a round every interval seconds asks
        sms.message once for every message still pending (session clock: instant in the
        sandbox and in replay) until none is pending. Ctrl-C stops it.
        Errors: TIMEOUT (retryable) when the deadline passes, saying how many messages and
        recipients are still pending.
        Example: local msgs = sms.wait_all(c.uuids, {timeout=3600, interval=30})
        """)

    static let report = FunctionDoc(
        "sms.report", params: [DocParam("uuids", "string|string[]", "one uuid or many")],
        returns: [DocReturn("report", table: reportClass)], """
        Sums the delivery summaries (drSummary) of one or many messages: {total=, pending=,
        success=, failed=, invalid=, blocked=, expired=, timeout=, deliveryRate=, messages=}.
        total counts every recipient; deliveryRate = success / (total - pending): the share
        delivered among the recipients with a final status (0 while none has one).
        Example: local r = sms.report(c.uuids); print(r.success, r.failed, r.deliveryRate)
        """)

    static let campaign = FunctionDoc(
        "sms.campaign", params: [DocParam("request", table: campaignRequest)],
        returns: [DocReturn("campaign", table: campaignResult)], """
        A personalised, resumable campaign; returns {key=, sends=, resumed=, recipients=,
        credits=, duplicates=, invalid=, uuids=}. Each row's text is content with {{column}}
        filled in (or the template's variables, each value with {{column}}s); rows with the
        same text share one send (split at 2,000,000 numbers). A number on a second row counts
        as a duplicate and is not sent again; rows without a valid number are listed in
        invalid {line=, value=, reason=} and never sent. Everything (rows, texts, numbers) is
        checked before the first send; a row lacking a {{column}} is an error naming its line.
        Each send is journaled under "<key>/<digest of its text>/<chunk>": a re-run with the
        same key sends only what is not yet sent (resumed counts the rest); a send a killed
        run left uncertain stops the campaign with JOURNAL_UNCERTAIN naming its key. To start
        a campaign over, forget its keys: smsh journal forget --prefix '<key>/' (--scope
        sandbox for a --sandbox try: every sandbox run starts empty, so a resumed campaign's
        uuids are unknown to it and a second run warns, then fails on them with NOT_FOUND).
        rate and window use the session clock; outside the window, nothing is sent while
        waiting (wait=true) and OUTSIDE_WINDOW is raised with wait=false. Under --dry-run the
        plan shows the campaign.
        Example: local c = sms.campaign{key="spring", sender="SMSHDEMO", content="Hi {{name}}",
                   rows={{phone="0812345678", name="Ann"}, {phone="0898765432", name="Bo"}}}
        """)

    static let retry = FunctionDoc(
        "sms.retry", params: [DocParam("uuid", "string"), DocParam("options", table: retryRequest, optional: true)],
        returns: [DocReturn("result", "sms.SendResult?", "nil when nobody needs a retry")], """
        Resends to the recipients whose delivery status is retry-worthy (default failed,
        expired, timeout; invalid and blocked are never retried), with the original sender
        and content (or template and variables) unless given.
        Send-once by itself: the retry is journaled under "retry:<uuid>@<createdAt>:<statuses>" (or
        once=KEY), so retrying the same message again, in this run or any later one against
        the same API and account, returns the recorded result with replayed=true and sends
        nothing. force=true retries again.
        Example: local r2 = sms.retry(r.uuid); if r2 then print("retried", r2.recipients) end
        """)

    static let normalize = FunctionDoc(
        "sms.normalize", params: [DocParam("number", "string|integer")],
        returns: [DocReturn("normal", "string?", "\"66XXXXXXXXX\""), DocReturn("err", "string?", "why it is not one")], """
        The normal form of a Thai mobile number ("081-234-5678" -> "66812345678"), or nil and
        the reason it is not one. Takes +66, 0066 or 66 in front, a (0) trunk digit
        ("+66 (0) 81 234 5678"), any spaces, dots, dashes and brackets, Thai digits, and a
        9-digit mobile number whose leading 0 was lost (812345678).
        Example: local n, err = sms.normalize(row.phone); if not n then print(err) end
        """)

    static let parts = FunctionDoc(
        "sms.parts", params: [DocParam("text", "string")],
        returns: [DocReturn("parts", "integer"), DocReturn("encoding", "string", "\"gsm7\" or \"ucs2\""), DocReturn("characters", "integer")], """
        SMS parts a text takes: GSM-7 160 per part (153 when split; ^{}\\[~]|€ count 2),
        otherwise UCS-2 (Thai, emoji) 70 per part (67 when split).
        Example: local p, enc = sms.parts("สวัสดี")  --> 1, "ucs2"
        """)

    static let now = FunctionDoc("sms.now", returns: [DocReturn("seconds", "number", "since the epoch (float)")], """
        The session clock: real time normally, virtual time in the sandbox and under replay.
        """)

    static let sleep = FunctionDoc("sms.sleep", params: [DocParam("seconds", "number", ">= 0")], """
        Waits on the session clock (instant in the sandbox and under replay). In a task only
        that task waits; at the top level the other tasks run meanwhile.
        """)

    static let spawn = FunctionDoc(
        "sms.spawn", params: [DocParam("fn", "function"), DocParam("...", "any", "fn's arguments")],
        returns: [DocReturn("task", "sms.task")], """
        Starts fn(...) as a task and returns it (it runs at once, until its first request).
        In a task every sms.* call that talks to the API (send, preview, cancel, messages,
        message, recipients, credit, senders, wait, wait_all, retry, campaign, each_recipient's
        pages) and sms.sleep suspend only that task, so many requests are in flight; the
        run's cap (--concurrency, default 64) bounds them. Works inside pcall, iterators and
        coroutine.wrap. Where Lua cannot suspend (a table.sort comparator, a gsub callback,
        a metamethod, a required chunk) the call blocks, as at the top level. A script ends
        when its main chunk and all its tasks have ended; a task that failed and was never
        joined fails the run. Ctrl-C/SIGTERM: sends on the wire finish, nothing new starts.
        Example: local t = sms.spawn(sms.credit); local ok, c = sms.join(t)
        """)

    static let join = FunctionDoc(
        "sms.join", params: [DocParam("task", "sms.task|sms.task[]"), DocParam("...", "sms.task", "more tasks")],
        returns: [DocReturn("ok", "boolean|table[]"), DocReturn("results", "any", "results..., or the error")], """
        Waits for tasks. sms.join(t) returns true, t's results... or false, err (one task's
        error never stops the others); sms.join(t1, t2) returns those per task in order;
        sms.join{t1, t2} returns a list of {ok=true, n=, results...} / {ok=false, err=}.
        Each task can be joined once. In a task only that task waits.
        Example: local ok, r = sms.join(sms.spawn(sms.message, uuid))
        """)

    static let map = FunctionDoc(
        "sms.map", params: [DocParam("list", "table"), DocParam("fn", "function", "fn(item, i)"),
                            DocParam("options", "table", optional: true, "{concurrency = 8}")],
        returns: [DocReturn("results", "table", "in list order")], """
        Runs fn(item, i) over a list, `concurrency` at a time (default 8, at most the run's
        --concurrency cap), and returns fn's first results in list order; an item whose fn
        failed gets {ok = false, err = e} and the others go on.
        Example: local msgs = sms.map(uuids, function(u) return sms.message(u) end, {concurrency = 32})
        """)
}
