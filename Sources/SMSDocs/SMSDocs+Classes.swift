/// The table shapes of the `sms` module: the request tables its functions read (each field
/// list must equal what the parser accepts; a test compares them) and the results they return.
public extension SMSDocs {
    static let numbersType = "(string|integer)[]|sms.NumberList"
    static let scheduleType = "string|number"

    // MARK: requests

    static let sendRequest = DocClass("sms.SendRequest", "The fields of sms.send{...}.", fields: [
        DocField("sender", "string", "approved sender name, 1-11 characters (default: the profile's sender)"),
        DocField("content", "string", "text, up to 1,000 characters (or templateId + variables)"),
        DocField("templateId", "integer", "an approved template's id, instead of content"),
        DocField("variables", "table<string, string|number>", "the template's variables"),
        DocField("msisdns", numbersType,
                 "list of Thai mobile numbers, any common form (\"081-234-5678\", \"+66812345678\");\nnormalised and de-duplicated (or contactGroupId)"),
        DocField("contactGroupId", "integer", "a contact group instead of msisdns"),
        DocField("scheduledTime", scheduleType, "ISO 8601 with offset, or epoch seconds (os.time{...})"),
        DocField("dryRun", "boolean", "true: estimate only, nothing charged or sent"),
        DocField("dedupe", "boolean", "false keeps duplicate numbers (default true)"),
        DocField("once", "string", """
            a key: the first send with it is recorded in the state store (scoped by API and
            account: the sandbox never answers for the real API); later sends with the same
            key and the same request return that result with replayed=true and send nothing
            (safe cron re-runs); with another request (text, sender, numbers, schedule) they
            send nothing and fail with ONCE_KEY_REUSED (exit 2) naming what differs.
            A send that may have reached the API with no answer leaves the key uncertain:
            JOURNAL_UNCERTAIN (exit 8) until `smsh journal reconcile` or `smsh journal forget KEY`
            """),
    ])

    static let previewRequest = DocClass("sms.PreviewRequest", "The fields of sms.preview{...}.", fields: [
        DocField("msisdns", numbersType, "the numbers, as for sms.send (or contactGroupId)"),
        DocField("contactGroupId", "integer", "a contact group instead of msisdns"),
        DocField("content", "string", "the text (or templateId + variables)"),
        DocField("templateId", "integer", "an approved template's id"),
        DocField("variables", "table<string, string|number>", "the template's variables"),
        DocField("dedupe", "boolean", "false counts duplicate numbers (default true)"),
    ])

    static let messagesQuery = DocClass("sms.MessagesQuery", "The fields of sms.messages{...}.", fields: [
        DocField("status", "string", "sent|failed|pending|scheduled|cancelled"),
        DocField("page", "integer", "from 1"),
        DocField("limit", "integer", "up to 100 (default 20)"),
    ])

    static let recipientsQuery = DocClass("sms.RecipientsQuery", "The options of sms.recipients(uuid, {...}).", fields: [
        DocField("status", "string", "only recipients with this delivery status"),
        DocField("after", "integer", "cursor paging: 0, then the page's nextCursor"),
        DocField("page", "integer", "page paging, from 1"),
        DocField("limit", "integer", "up to 1000 (default 100)"),
    ])

    static let eachRecipientOptions = DocClass("sms.EachRecipientOptions", "The options of sms.each_recipient(uuid, {...}).", fields: [
        DocField("status", "string|string[]", "only these delivery statuses: \"failed\" or {\"failed\", \"timeout\"}"),
        DocField("limit", "integer", "recipients per page fetched (default 1000)"),
    ])

    static let waitOptions = DocClass("sms.WaitOptions", "The options of sms.wait and sms.wait_all.", fields: [
        DocField("timeout", "number", "seconds before TIMEOUT, >= 0 (default 900)"),
        DocField("interval", "number", "seconds from one poll's start to the next, >= 1 (default 15)"),
        DocField("concurrency", "integer", "wait_all: messages polled at once (default 8, at most the run's --concurrency cap)"),
    ])

    static let campaignRequest = DocClass("sms.CampaignRequest", "The fields of sms.campaign{...}.", fields: [
        DocField("key", "string", "the campaign's name; a re-run with the same key resumes (required)"),
        DocField("sender", "string", "approved sender name (default: the profile's sender)"),
        DocField("rows", "table[]", "an array of row tables {phone=, name=, ...} (a row's line is its index)"),
        DocField("phone", "string", "the column holding the number (default \"phone\")"),
        DocField("content", "string", "text with {{column}} placeholders (or templateId + variables)"),
        DocField("templateId", "integer", "an approved template's id"),
        DocField("variables", "table<string, string>", "the template's variables, each value with {{column}}s"),
        DocField("rate", "number", "at most that many sends per second"),
        DocField("concurrency", "integer", "sends in flight at once (default 8, at most the run's --concurrency cap)"),
        DocField("window", "sms.SendWindow", "send only between from and to: {from=\"09:00\", to=\"20:00\", tz=\"Asia/Bangkok\"}\n(local time in tz, a time zone identifier, default UTC; from > to spans midnight)"),
        DocField("wait", "boolean", "outside the window: wait until it opens (true, default) or raise OUTSIDE_WINDOW"),
    ])

    static let sendWindow = DocClass("sms.SendWindow", "The window of sms.campaign: local times in a time zone.", fields: [
        DocField("from", "string", "\"HH:MM\", when sending may start"),
        DocField("to", "string", "\"HH:MM\", when it stops (from > to spans midnight)"),
        DocField("tz", "string", "a time zone identifier such as \"Asia/Bangkok\" (default UTC)"),
    ])

    static let retryRequest = DocClass("sms.RetryOptions", "The options of sms.retry(uuid, {...}).", fields: [
        DocField("statuses", "string[]", "the retry-worthy statuses (default {\"failed\", \"expired\", \"timeout\"})"),
        DocField("sender", "string", "default: the original message's sender"),
        DocField("content", "string", "default: the original content"),
        DocField("templateId", "integer", "instead of content"),
        DocField("variables", "table<string, string|number>", "the template's variables"),
        DocField("dryRun", "boolean", "estimate only"),
        DocField("force", "boolean", "retry again although this retry is journaled"),
        DocField("once", "string", "the journal key (default \"retry:<uuid>@<createdAt>:<statuses>\")"),
    ])

    static let csvOptions = DocClass("sms.CSVOptions", "The options of sms.csv(path, {...}).", fields: [
        DocField("separator", "string", "one character, e.g. \";\" (default \",\")"),
    ])

    static let numbersOptions = DocClass("sms.NumbersOptions", "The options of sms.numbers(path, {...}).", fields: [
        DocField("column", "string", "read this CSV column (by header name) instead of one number per line"),
        DocField("separator", "string", "the CSV separator (default \",\")"),
    ])

    // MARK: results

    static let sendResult = DocClass("sms.SendResult", "What sms.send returns (and every field the API returned).", open: true, fields: [
        DocField("uuid", "string", "the message's id"),
        DocField("status", "string", "\"pending\" or \"scheduled\""),
        DocField("recipients", "integer", "numbers sent to"),
        DocField("parts", "integer", "SMS parts per recipient"),
        DocField("credits", "number", "credits charged"),
        DocField("duplicatesRemoved", "integer", "repeated numbers dropped"),
        DocField("replayed", "boolean?", "true when a once key answered from the journal"),
    ])

    static let estimate = DocClass("sms.Estimate", "What sms.preview returns.", open: true, fields: [
        DocField("recipients", "integer", ""),
        DocField("parts", "integer", ""),
        DocField("credits", "number", ""),
        DocField("encoding", "string", "\"gsm7\" or \"ucs2\""),
        DocField("characters", "integer", ""),
    ])

    static let cancelResult = DocClass("sms.CancelResult", "What sms.cancel returns.", open: true, fields: [
        DocField("uuid", "string", ""),
        DocField("status", "string", "\"cancelled\""),
        DocField("refunded", "number", "credits refunded"),
    ])

    static let drSummary = DocClass("sms.DRSummary", "Delivery-report counts of a message.", fields: [
        "pending", "success", "failed", "invalid", "blocked", "expired", "timeout",
    ].map { DocField($0, "integer", "") })

    static let messageClass = DocClass("sms.Message", "One sent message (sms.message, sms.wait, sms.messages' data).", open: true, fields: [
        DocField("uuid", "string", ""),
        DocField("sender", "string", ""),
        DocField("content", "string", ""),
        DocField("status", "string", "sent|failed|pending|scheduled|cancelled"),
        DocField("recipients", "integer", ""),
        DocField("parts", "integer", ""),
        DocField("credits", "number", ""),
        DocField("createdAt", "string", "ISO 8601"),
        DocField("scheduledTime", "string?", "ISO 8601"),
        DocField("drSummary", "sms.DRSummary", "delivery-report counts"),
    ])

    static let messagePage = DocClass("sms.MessagePage", "What sms.messages returns.", open: true, fields: [
        DocField("data", "sms.Message[]", "most recent first"),
        DocField("page", "integer", ""),
        DocField("limit", "integer", ""),
        DocField("total", "integer", ""),
    ])

    static let recipient = DocClass("sms.Recipient", "One recipient's delivery status.", open: true, fields: [
        DocField("msisdn", "string", "66XXXXXXXXX"),
        DocField("status", "string", "pending|success|failed|invalid|blocked|expired|timeout"),
        DocField("updatedAt", "string", "ISO 8601"),
    ])

    static let recipientPage = DocClass("sms.RecipientPage", "What sms.recipients returns.", open: true, fields: [
        DocField("data", "sms.Recipient[]", ""),
        DocField("nextCursor", "integer?", "with after: the next page's cursor"),
        DocField("hasMore", "boolean?", "with after: whether another page follows"),
        DocField("summary", "table?", "with after: counts by status"),
        DocField("total", "integer?", "with page: how many recipients match"),
    ])

    static let creditClass = DocClass("sms.Credit", "What sms.credit returns.", open: true, fields: [
        DocField("balance", "number", ""),
        DocField("currency", "string", ""),
    ])

    static let sender = DocClass("sms.Sender", "One sender name.", open: true, fields: [
        DocField("name", "string", ""),
        DocField("status", "string", "\"approved\", \"pending\" or \"rejected\""),
        DocField("shared", "boolean", ""),
    ])

    static let senderList = DocClass("sms.SenderList", "What sms.senders returns.", open: true, fields: [
        DocField("data", "sms.Sender[]", ""),
    ])

    static let reportClass = DocClass("sms.Report", "What sms.report returns: summed delivery summaries.", fields: [
        "total", "pending", "success", "failed", "invalid", "blocked", "expired", "timeout",
    ].map { DocField($0, "integer", "") } + [
        DocField("deliveryRate", "number", "success / (total - pending)"),
        DocField("messages", "integer", "how many messages were summed"),
    ])

    static let invalidRow = DocClass("sms.InvalidRow", "A row or line without a valid number.", fields: [
        DocField("line", "integer", ""),
        DocField("value", "string", ""),
        DocField("reason", "string", ""),
    ])

    static let campaignResult = DocClass("sms.CampaignResult", "What sms.campaign returns.", fields: [
        DocField("key", "string", ""),
        DocField("sends", "integer", "sends made by this run"),
        DocField("resumed", "integer", "sends an earlier run had made"),
        DocField("recipients", "integer", ""),
        DocField("credits", "number", ""),
        DocField("duplicates", "integer", "numbers on a second row, not sent again"),
        DocField("invalid", "sms.InvalidRow[]", "rows never sent"),
        DocField("uuids", "string[]", "the messages' ids (for sms.wait_all, sms.report)"),
    ])

    static let numberList = DocClass("sms.NumberList", "What sms.numbers returns: #list valid distinct numbers, accepted as msisdns.", fields: [
        DocField("duplicates", "integer", "repeats removed"),
        DocField("invalid", "sms.InvalidRow[]", "file lines without a valid number"),
    ])

    static let messagesByUUID = "table<string, sms.Message>"
}
