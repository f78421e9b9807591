/// One recipient's delivery state: `{"msisdn","status","updatedAt"}`.
public struct Recipient: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    public var msisdn: String? { string("msisdn") }
    public var status: String? { string("status") }
    public var updatedAt: String? { string("updatedAt") }
}

/// One page of `recipients`. With `after` (cursor paging) it carries `nextCursor` and
/// `hasMore`; without, `total` (offset paging). `summary` gives per-status totals.
public struct RecipientPage: APIObject {
    public let json: [String: JSONValue]

    public init(json: [String: JSONValue]) { self.json = json }

    public var data: [Recipient] { objects("data") }
    /// Pass as `after` to get the next page.
    public var nextCursor: Int64? { int("nextCursor") }
    public var hasMore: Bool? { bool("hasMore") }
    public var total: Int64? { int("total") }

    /// `summary: [{"status","count"}]` as a dictionary; malformed entries are skipped.
    public var summary: [String: Int64] {
        guard let entries = json["summary"]?.arrayValue else { return [:] }
        var out: [String: Int64] = [:]
        for entry in entries {
            if let status = entry["status"]?.stringValue, let count = entry["count"]?.intValue {
                out[status] = count
            }
        }
        return out
    }
}
