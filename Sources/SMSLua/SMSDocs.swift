/// Doc strings of the `sms` module, shown by `help(sms.send)` / `help("sms.send")`.
/// Each: signature, what it does, parameters, returns, errors, an example.
enum SMSDocs {
    static let module = """
        sms — the SMS provider API. Operations: send, preview, cancel, messages, message,
        recipients, credit, senders. Helpers: each_recipient, wait, wait_all, report, campaign, retry, normalize, parts,
        now, sleep, budget. Files: csv, numbers. Failures raise an error table {status, code, message, retryable, field}
        whose tostring is "CODE (status): message"; catch with pcall and branch on err.code.
        Sandbox (--sandbox): 10,000 credits (--sandbox-credit N), seed 1 (--sandbox-seed N), sender
        SMSHDEMO; 66899999999 and 66800000000 are on its blocklist (status "blocked" at once);
        numbers 060... and landlines (not 06/08/09...) are "invalid"; the rest deliver 90% success, 5% failed,
        2% expired, 3% timeout.
        """

    static let send = """
        sms.send{sender=, content= | templateId=, variables=, msisdns= | contactGroupId=,
                 scheduledTime=, dryRun=, dedupe=} -> result
          Sends (or schedules) one message to up to 2,000,000 numbers.
          sender          approved sender name, 1-11 characters
          content         text, up to 1,000 characters (or templateId + variables)
          msisdns         list of Thai mobile numbers, any common form ("081-234-5678",
                          "+66812345678"); normalised and de-duplicated (or contactGroupId)
          scheduledTime   ISO 8601 with offset, or epoch seconds (os.time{...})
          dryRun          true: estimate only, nothing charged or sent
          dedupe          false keeps duplicate numbers (default true)
          once            a key: the first send with it is recorded in the state store
                          (scoped by API and account: the sandbox never answers for the real
                          API); later sends with the same key return that result with
                          replayed=true and send nothing (safe cron re-runs). A send that may
                          have reached the API with no answer leaves the key uncertain:
                          JOURNAL_UNCERTAIN (exit 8) until `smsh journal forget KEY`
          Returns {uuid=, status="pending"|"scheduled", recipients=, parts=, credits=,
          duplicatesRemoved=, ...every field the API returned}.
          Errors: INVALID_ARGUMENT / INVALID_MSISDN (before anything is sent, naming the field,
          e.g. 'msisdns[3]' = "12ab"), INSUFFICIENT_CREDITS (402), SENDER_NOT_APPROVED (400),
          UNAUTHORIZED (401), FORBIDDEN (403), RATE_LIMITED (429), NETWORK, TIMEOUT.
          Never retried once the request may have reached the server (no double sends).
          Under `smsh run --dry-run` it previews instead and adds the send to the plan.
          Example: local r = sms.send{sender="SMSHDEMO", content="Hi", msisdns={"0812345678"}}
        """

    static let budget = """
        sms.budget([credits]) -> remaining, spent
          Caps what this run may spend: every later send previews its cost first and raises
          BUDGET_EXCEEDED (before sending) if the run's total would go above the cap. Without an
          argument it reports the current budget (nil when none). `smsh run --max-credits N` sets
          the same cap from the command line.
          Example: sms.budget(500); sms.send{...}   -- refuses sends beyond 500 credits in total
        """

    static let preview = """
        sms.preview{msisdns= | contactGroupId=, content= | templateId=, variables=} -> estimate
          What a send would cost; consumes nothing, sends nothing.
          Returns {recipients=, parts=, credits=, encoding="gsm7"|"ucs2", characters=}.
          Errors: as sms.send (argument errors name the field).
          Example: if sms.preview{content=txt, msisdns=nums}.credits > 500 then return end
        """

    static let cancel = """
        sms.cancel(uuid) -> {uuid=, status="cancelled", refunded=}
          Cancels a scheduled send that has not started; held credits are refunded.
          Errors: NOT_SCHEDULED (400), ALREADY_CANCELLED / ALREADY_PROCESSING (409), NOT_FOUND (404).
          Example: sms.cancel(r.uuid)
        """

    static let messages = """
        sms.messages{status=, page=, limit=} -> {data={message...}, page=, limit=, total=}
          Sent messages, most recent first. status: sent|failed|pending|scheduled|cancelled;
          page from 1; limit up to 100 (default 20).
          Example: for _, m in ipairs(sms.messages{status="scheduled"}.data) do print(m.uuid) end
        """

    static let message = """
        sms.message(uuid) -> {uuid=, sender=, content=, status=, recipients=, parts=, credits=,
                              createdAt=, scheduledTime=, drSummary={pending=, success=, failed=,
                              invalid=, blocked=, expired=, timeout=}}
          One message with its delivery-report summary. Errors: NOT_FOUND (404).
          Example: print(sms.message(uuid).drSummary.failed)
        """

    static let recipients = """
        sms.recipients(uuid, {status=, after=, page=, limit=}) -> page
          One page of per-recipient delivery statuses. With after (0, then nextCursor):
          {data={{msisdn=, status=, updatedAt=}...}, nextCursor=, hasMore=, summary={...}};
          with page: {data=..., total=}. limit up to 1000 (default 100).
          Prefer sms.each_recipient to walk all pages.
          Example: local p = sms.recipients(uuid, {status="failed", after=0, limit=1000})
        """

    static let credit = """
        sms.credit() -> {balance=, currency=}
          The account's credit balance.
          Example: if sms.credit().balance < 100 then log.warn("low credit") end
        """

    static let senders = """
        sms.senders() -> {data={{name=, status="approved"|"pending"|"rejected", shared=}...}}
          Sender names the account may use; only approved ones can send.
          Example: for _, s in ipairs(sms.senders().data) do print(s.name, s.status) end
        """

    static let eachRecipient = """
        sms.each_recipient(uuid, {status= "failed" | {"failed","timeout"}, limit=}) -> iterator
          Iterates over every recipient (optionally only those with the given statuses),
          fetching pages with the cursor as it goes: memory stays constant whatever the count.
          Each item: {msisdn=, status=, updatedAt=}.
          Example: for r in sms.each_recipient(uuid, {status="failed"}) do print(r.msisdn) end
        """

    static let wait = """
        sms.wait(uuid, {timeout=900, interval=15}) -> message
          Polls sms.message until no recipient is pending, then returns the message (with its
          final drSummary). Waits through the session clock: instant in the sandbox and in replay.
          timeout >= 0 and interval >= 1 (seconds).
          Errors: TIMEOUT when the deadline passes (err.message says how many are pending).
          Example: local m = sms.wait(r.uuid, {timeout=3600}); print(m.drSummary.success)
        """

    static let waitAll = """
        sms.wait_all(uuids, {timeout=900, interval=15}) -> {[uuid] = message}
          Waits for many messages in one loop: each round asks sms.message once for every
          message still pending, then sleeps interval seconds (session clock: instant in the
          sandbox and in replay) until none is pending. uuids: a list (e.g. c.uuids of a
          campaign) or one uuid. Ctrl-C stops it.
          Errors: TIMEOUT (retryable) when the deadline passes, saying how many messages and
          recipients are still pending.
          Example: local msgs = sms.wait_all(c.uuids, {timeout=3600, interval=30})
        """

    static let report = """
        sms.report(uuid or uuids) -> {total=, pending=, success=, failed=, invalid=, blocked=,
                                      expired=, timeout=, deliveryRate=, messages=}
          Sums the delivery summaries (drSummary) of one or many messages. total counts every
          recipient; deliveryRate = success / (total - pending): the share delivered among the
          recipients with a final status (0 while none has one).
          Example: local r = sms.report(c.uuids); print(r.success, r.failed, r.deliveryRate)
        """

    static let campaign = """
        sms.campaign{key=, sender=, rows=, phone="phone", content= | templateId= + variables=,
                     rate=, window={from="09:00", to="20:00", tz="Asia/Bangkok"}, wait=true}
            -> {key=, sends=, resumed=, recipients=, credits=, duplicates=, invalid=, uuids=}
          A personalised, resumable campaign. rows: an array of row tables {phone=, name=, ...}
          (a row's line is its index). Each row's text is content with {{column}} filled in
          (or the template's variables, each value with {{column}}s); rows with the same text
          share one send (split at 2,000,000 numbers). A number on a second row counts as a
          duplicate and is not sent again; rows without a valid number are listed in invalid
          {line=, value=, reason=} and never sent. Everything (rows, texts, numbers) is checked
          before the first send; a row lacking a {{column}} is an error naming its line.
          Each send is journaled under "<key>/<digest of its text>/<chunk>": a re-run with the
          same key sends only what is not yet sent (resumed counts the rest); a send a killed
          run left uncertain stops the campaign with JOURNAL_UNCERTAIN naming its key.
          rate: at most that many sends per second. window: sends only between from and to
          (local time in tz, a time zone identifier; default UTC; from > to spans midnight);
          outside it, waits until it opens (wait=true) or raises OUTSIDE_WINDOW, nothing sent
          (wait=false). Both use the session clock. Under --dry-run the plan shows the campaign.
          Example: local c = sms.campaign{key="spring", sender="SMSHDEMO", content="Hi {{name}}",
                     rows={{phone="0812345678", name="Ann"}, {phone="0898765432", name="Bo"}}}
        """

    static let retry = """
        sms.retry(uuid, {statuses={"failed","expired","timeout"}, sender=, content= | templateId=,
                         variables=, dryRun=, force=, once=})
            -> send result, or nil when nobody needs a retry
          Resends to the recipients whose delivery status is retry-worthy (default failed,
          expired, timeout; invalid and blocked are never retried), with the original sender
          and content (or template and variables) unless given.
          Send-once by itself: the retry is journaled under "retry:<uuid>@<createdAt>:<statuses>" (or
          once=KEY), so retrying the same message again, in this run or any later one against
          the same API and account, returns the recorded result with replayed=true and sends
          nothing. force=true retries again.
          Example: local r2 = sms.retry(r.uuid); if r2 then print("retried", r2.recipients) end
        """

    static let normalize = """
        sms.normalize(number) -> "66XXXXXXXXX" | nil, err
          The normal form of a Thai mobile number ("081-234-5678" -> "66812345678"), or nil and
          the reason it is not one.
          Example: local n, err = sms.normalize(row.phone); if not n then print(err) end
        """

    static let parts = """
        sms.parts(text) -> parts, encoding, characters
          SMS parts a text takes: GSM-7 160 per part (153 when split; ^{}\\[~]|€ count 2),
          otherwise UCS-2 (Thai, emoji) 70 per part (67 when split).
          Example: local p, enc = sms.parts("สวัสดี")  --> 1, "ucs2"
        """

    static let now = """
        sms.now() -> seconds since the epoch (float)
          The session clock: real time normally, virtual time in the sandbox and under replay.
        """

    static let sleep = """
        sms.sleep(seconds)
          Waits on the session clock (instant in the sandbox and under replay).
        """
}
