import SMSClient

/// What a `--dry-run` would have sent: each send turned into a preview, then a summary.
public final class DryRunPlan {
    public struct Entry {
        public let sender: String
        public let recipients: Int64
        public let parts: Int64
        public let credits: Double
        public let scheduledTime: String?

        public init(sender: String, recipients: Int64, parts: Int64, credits: Double, scheduledTime: String?) {
            self.sender = sender
            self.recipients = recipients
            self.parts = parts
            self.credits = credits
            self.scheduledTime = scheduledTime
        }
    }

    /// One `sms.campaign` of the run: its sends in total, and how they would be paced.
    public struct CampaignSummary {
        public let key: String
        public let sends: Int
        public let recipients: Int64
        public let parts: Int64
        public let credits: Double
        /// Sends per second at most, and the send window ("09:00-20:00 Asia/Bangkok"), if set.
        public let rate: Double?
        public let window: String?

        public init(key: String, sends: Int, recipients: Int64, parts: Int64, credits: Double, rate: Double?, window: String?) {
            self.key = key
            self.sends = sends
            self.recipients = recipients
            self.parts = parts
            self.credits = credits
            self.rate = rate
            self.window = window
        }
    }

    public private(set) var entries: [Entry] = []
    public private(set) var campaigns: [CampaignSummary] = []
    /// The run's budget when one is set, to show the cap and what would remain.
    public var budget: Budget?
    /// The account's real balance, read when the plan is printed (nil if it could not be).
    public var balance: Double?

    public init() {}

    public func add(_ entry: Entry) { entries.append(entry) }
    public func addCampaign(_ campaign: CampaignSummary) { campaigns.append(campaign) }

    public var totalRecipients: Int64 { entries.reduce(0) { $0 + $1.recipients } }
    public var totalCredits: Double { entries.reduce(0) { $0 + $1.credits } }

    /// The printed plan: one line per would-be send, then the totals.
    public func render() -> String {
        var lines = ["dry run: \(entries.count) send(s) would have been made, nothing was sent"]
        for (i, e) in entries.enumerated() {
            var line = "  \(i + 1). sender \(e.sender): \(groupedCredits(Double(e.recipients))) recipient(s) × \(e.parts) part(s) = \(creditsPhrase(e.credits))"
            if let t = e.scheduledTime { line += ", scheduled \(t)" }
            lines.append(line)
        }
        for c in campaigns {
            var line = "  campaign \(c.key): \(c.sends) send(s), \(groupedCredits(Double(c.recipients))) recipient(s), \(c.parts) part(s), \(creditsPhrase(c.credits))"
            if let r = c.rate { line += ", at most \(formatCredits(r)) send(s)/s" }
            if let w = c.window { line += ", window \(w)" }
            lines.append(line)
        }
        lines.append("  total: \(groupedCredits(Double(totalRecipients))) recipient(s), \(creditsPhrase(totalCredits))")
        if let budget {
            lines.append("  budget: \(creditsPhrase(budget.cap)), \(groupedCredits(budget.remaining)) would remain")
        }
        if let balance {
            let short = totalCredits - balance
            let (b, t) = (groupedCredits(balance), groupedCredits(totalCredits))
            lines.append(short > 1e-9
                ? "  balance \(b) does NOT cover \(t) \(creditWord(totalCredits)) (\(groupedCredits(short)) short)"
                : "  balance \(b) covers \(t) \(creditWord(totalCredits)) (\(groupedCredits(balance - totalCredits)) would remain)")
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

public func formatCredits(_ c: Double) -> String {
    c == c.rounded() && abs(c) < 1e15 ? String(Int64(c)) : String(c)
}

/// Credits as people write them, for human output: `1 credit`, `2 credits`, `10,000 credits`,
/// `1.5 credits` (values in Lua, JSON and CSV stay plain numbers).
public func creditsPhrase(_ c: Double) -> String {
    groupedCredits(c) + " " + creditWord(c)
}

/// A count and its noun as people write them: `1 recipient`, `2 recipients`, `1,000 recipients`.
public func counted(_ n: Int64, _ noun: String) -> String {
    groupedCredits(Double(n)) + " " + noun + (n == 1 ? "" : "s")
}

/// The question asked before a large send: `send to 1,000 recipients, 1 part, 1,000 credits?`.
public func confirmationQuestion(_ e: SendEstimate) -> String {
    "send to \(counted(e.recipients, "recipient")), \(counted(e.parts, "part")), \(creditsPhrase(e.credits))? [y/N] "
}

/// `credit` for exactly 1, else `credits`.
public func creditWord(_ c: Double) -> String { c == 1 ? "credit" : "credits" }

/// Credits with thousands separators (`9,000`, `2,000,000.5`), for the balance line where
/// large sums are compared at a glance.
public func groupedCredits(_ c: Double) -> String {
    let plain = formatCredits(abs(c))
    let dot = plain.firstIndex(of: ".") ?? plain.endIndex
    let whole = plain[..<dot]
    guard whole.allSatisfy(\.isNumber) else { return formatCredits(c) }
    var out = ""
    for (i, ch) in whole.enumerated() {
        if i > 0 && (whole.count - i) % 3 == 0 { out.append(",") }
        out.append(ch)
    }
    return (c < 0 ? "-" : "") + out + plain[dot...]
}
