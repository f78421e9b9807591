import SMSClient
import SMSState

/// `smsh journal reconcile`: finds, among the account's recent messages, the send of each
/// uncertain key (an intent whose run died without an outcome) by what its intent recorded:
/// same sender, same text (or template and variables), same recipient count, created at or
/// after the intent (less `clockSkew`). A message is matched to one key at most.
public enum JournalReconciler {
    /// How much earlier than the intent (by this machine's clock) the server may date the
    /// message: the two clocks differ a little.
    public static let clockSkew: Double = 120

    public struct Outcome {
        /// Keys whose message was found, oldest key first.
        public var matched: [(entry: JournalEntry, message: Message)] = []
        /// Keys no message matches, with why.
        public var unmatched: [(entry: JournalEntry, reason: String)] = []
    }

    /// The intents in `entries` whose run has ended without an outcome (this host's runs that
    /// are no longer alive; another host's runs cannot be checked and count as ended).
    public static func uncertain(_ entries: [JournalEntry]) -> [JournalEntry] {
        entries.filter { $0.state == .intent && SendOnceJournal.runHasEnded($0) }
    }

    /// Matches `keys` (uncertain entries) to `messages` (any order). Keys are taken oldest
    /// first, each getting the earliest unused message that fits it.
    public static func match(_ keys: [JournalEntry], messages: [Message]) -> Outcome {
        var out = Outcome()
        var used = Set<Int>()
        let created = messages.map { $0.createdAt.flatMap(ISO8601Time.parse).map(Double.init) }
        for entry in keys.sorted(by: { $0.recordedAt < $1.recordedAt }) {
            guard let request = entry.request else {
                out.unmatched.append((entry, "recorded by an older smsh without what the send was: check by hand"))
                continue
            }
            var best: Int?
            for (i, m) in messages.enumerated() where !used.contains(i) {
                guard let t = created[i], t >= entry.recordedAt - clockSkew, fits(m, request) else { continue }
                if best == nil || t < created[best!]! { best = i }
            }
            if let best {
                used.insert(best)
                out.matched.append((entry, messages[best]))
            } else {
                out.unmatched.append((entry, "no message from \(request.sender) with its text and \(request.recipients) recipient(s) created since "
                    + ISO8601Time.formatUTC(epochSeconds: entry.recordedAt - clockSkew)))
            }
        }
        return out
    }

    /// Whether `m` is the send `request` describes (the recipients by count: the API does not
    /// return the numbers with the message).
    static func fits(_ m: Message, _ request: RequestDigest) -> Bool {
        guard m.sender == request.sender else { return false }
        if let id = request.templateId {
            guard m.json["templateId"]?.intValue == id else { return false }
            if let recorded = request.variables, let variables = m.json["variables"]?.objectValue,
               RequestDigest.digest(variables: variables) != recorded { return false }
        } else {
            guard let content = m.content, RequestDigest.digest(text: content) == request.text else { return false }
        }
        // A contact group's size is not known to the intent.
        if !request.recipientsDigest.hasPrefix("group:") {
            guard m.recipients == Int64(request.recipients) else { return false }
        }
        return true
    }

    /// The account's messages from the most recent back to `since` (seconds since 1970),
    /// page by page (at most `maxPages` of 100).
    public static func recentMessages(_ client: SMSClient, since: Double, maxPages: Int = 1_000) throws -> [Message] {
        var out: [Message] = []
        for page in 1...maxPages {
            let list = try client.messages(page: page, limit: 100)
            let data = list.data
            out += data
            let oldest = data.last?.createdAt.flatMap(ISO8601Time.parse).map(Double.init)
            if data.count < 100 || (oldest.map { $0 < since } ?? true) { break }
            if let total = list.total, Int64(out.count) >= total { break }
        }
        return out
    }
}
