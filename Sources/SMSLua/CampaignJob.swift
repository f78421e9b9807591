import SMSClient
import SMSOperations

/// A campaign planned from a CSV file outside Lua (`smsh campaign`): the same reading
/// (`Campaign.readCSV`), plan (`CampaignPlan`), checks (`Campaign.checkedSends`) and engine run
/// (`Campaign.execute`) as `sms.campaign{rows = "file.csv", ...}`, so both make the same sends
/// under the same send-once keys and one resumes what the other started.
public struct CampaignJob {
    /// What the command line gives (the fields of `sms.campaign`).
    public struct Spec {
        public var key: String
        public var csv: String
        public var phone: String
        public var content: String?
        public var templateId: Int64?
        public var variables: [String: String]?
        public var sender: String
        public init(key: String, csv: String, phone: String, content: String?, templateId: Int64?,
                    variables: [String: String]?, sender: String) {
            self.key = key
            self.csv = csv
            self.phone = phone
            self.content = content
            self.templateId = templateId
            self.variables = variables
            self.sender = sender
        }
    }

    let plan: CampaignPlan
    let sends: [CampaignEngine.Send]

    /// Reads and checks the whole file and plans every send; nothing is sent.
    public init(_ spec: Spec) throws {
        let used = try CampaignPlan.columnsUsed(phone: spec.phone, content: spec.content, variables: spec.variables)
        let rows = try Campaign.readCSV(spec.csv, checking: used)
        guard !rows.isEmpty else {
            throw SMSError.invalidArgument("csv", "\(spec.csv) has no data rows; nothing was sent")
        }
        plan = try CampaignPlan(key: spec.key, rows: rows, phone: spec.phone, content: spec.content,
                                templateId: spec.templateId, variables: spec.variables)
        sends = try Campaign.checkedSends(plan, sender: spec.sender)
    }

    /// Sends in the plan, and recipients across them.
    public var sendCount: Int { sends.count }
    public var recipients: Int { plan.recipients }

    /// Sends it through the session's gates and engine; the summary `sms.campaign` returns
    /// (`key`, `sends`, `resumed`, `recipients`, `credits`, `duplicates`, `uuids`, `invalid`).
    public func run(_ options: CampaignEngine.Options, env: SMSEnvironment, function: String) throws -> [String: JSONValue] {
        let client = try env.client()
        return try Campaign.execute(plan, sends, options, env: env, concurrentTransport: client.transport.allowsConcurrentRequests,
                                    function: function)
    }
}
