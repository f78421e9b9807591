/// The account every simulator starts with (and returns to on `/_sim/reset`).
enum DemoData {
    struct Sender {
        let name: String
        let status: String
        let shared: Bool
    }

    struct APIKey {
        /// Whether the key may call send (scope `sms:send` or `*`).
        let canSend: Bool
    }

    static let senders: [Sender] = [
        Sender(name: "SMSHDEMO", status: "approved", shared: false),
        Sender(name: "INFO", status: "approved", shared: true),
        Sender(name: "NEWBRAND", status: "pending", shared: false),
        Sender(name: "SPAMMY", status: "rejected", shared: false),
    ]

    static let sendOnlyKey = "sk_test_smsh_sendonly"
    static let readOnlyKey = "sk_test_smsh_readonly"

    static func apiKeys(allScopesKey: String) -> [String: APIKey] {
        [sendOnlyKey: APIKey(canSend: true), readOnlyKey: APIKey(canSend: false), allScopesKey: APIKey(canSend: true)]
    }

    static let templates: [Int64: String] = [
        1: "Hello {{name}}, your code is {{code}}",
        2: "สวัสดีค่ะ คุณ{{name}}",
    ]

    /// Group 1: 66812345600…66812345609. Group 2: 66900000000…66900000999.
    static let contactGroups: [Int64: [UInt64]] = [
        1: (0..<10).map { 66_812_345_600 + UInt64($0) },
        2: (0..<1000).map { 66_900_000_000 + UInt64($0) },
    ]

    /// Numbers on the account's blocklist: their recipients are `blocked` at once.
    static let blocklist: Set<UInt64> = [66_899_999_999, 66_800_000_000]
}
