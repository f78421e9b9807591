/// A recipient's delivery status, in the order the API's `drSummary` lists them.
enum RecipientStatus: String, CaseIterable {
    case pending, success, failed, invalid, blocked, expired, timeout

    var index: Int {
        switch self {
        case .pending: return 0
        case .success: return 1
        case .failed: return 2
        case .invalid: return 3
        case .blocked: return 4
        case .expired: return 5
        case .timeout: return 6
        }
    }

    static let count = 7
    static let all: [RecipientStatus] = [.pending, .success, .failed, .invalid, .blocked, .expired, .timeout]

    /// Comma-separated statuses (`failed,timeout`), as a filter set; nil when one is unknown.
    static func filter(_ text: String) -> Set<RecipientStatus>? {
        var set = Set<RecipientStatus>()
        for name in text.split(separator: ",") {
            guard let s = RecipientStatus(rawValue: String(name)) else { return nil }
            set.insert(s)
        }
        return set.isEmpty ? nil : set
    }
}
