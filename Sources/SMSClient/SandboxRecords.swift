/// The persistent sandbox's records, shared by the simulator (SMSSimulator's
/// `SandboxStorage`, which works on them) and the state store (SMSState's `SandboxStore`,
/// which keeps them in SQLite): neither imports the other, both import SMSClient.

/// The account's settings, credit, message counter and clock.
public struct SandboxAccount: Equatable, Sendable {
    public var seed: UInt64
    public var uuidSeed: UInt64
    public var startingCredit: Double
    public var balance: Double
    public var nextMessageNumber: UInt64
    /// The sandbox clock when last saved, and the real (wall) time then.
    public var virtualTime: Double
    public var savedAt: Double
    public init(seed: UInt64, uuidSeed: UInt64, startingCredit: Double, balance: Double, nextMessageNumber: UInt64,
                virtualTime: Double, savedAt: Double) {
        self.seed = seed
        self.uuidSeed = uuidSeed
        self.startingCredit = startingCredit
        self.balance = balance
        self.nextMessageNumber = nextMessageNumber
        self.virtualTime = virtualTime
        self.savedAt = savedAt
    }

    /// The sandbox clock at real time `real`: where it was saved plus the real time since; never backwards.
    public func clock(atReal real: Double) -> Double { virtualTime + max(0, real - savedAt) }
}

/// One stored message: what it was sent with (recipients' statuses are recomputed from the seed).
public struct SandboxMessage: Sendable {
    public var number: UInt64
    public var uuid: String
    public var sender: String
    public var content: String
    public var parts: Int
    public var createdAt: Double
    public var scheduledTime: Double?
    public var msisdns: [UInt64]
    public var cancelled: Bool
    public var templateId: Int64?
    /// The template's variables as a JSON object text.
    public var variables: String?
    public init(number: UInt64, uuid: String, sender: String, content: String, parts: Int, createdAt: Double,
                scheduledTime: Double?, msisdns: [UInt64], cancelled: Bool, templateId: Int64?, variables: String?) {
        self.number = number
        self.uuid = uuid
        self.sender = sender
        self.content = content
        self.parts = parts
        self.createdAt = createdAt
        self.scheduledTime = scheduledTime
        self.msisdns = msisdns
        self.cancelled = cancelled
        self.templateId = templateId
        self.variables = variables
    }
}
