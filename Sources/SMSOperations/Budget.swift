/// A run's credit cap and what the run has spent so far.
public struct Budget: Equatable {
    public var cap: Double
    public var spent: Double = 0
    public init(cap: Double) { self.cap = cap }
    public var remaining: Double { max(cap - spent, 0) }
}

/// What a send would take, as a preview says.
public struct SendEstimate: Equatable {
    public var recipients: Int64
    public var parts: Int64
    public var credits: Double
    public init(recipients: Int64, parts: Int64, credits: Double) {
        self.recipients = recipients
        self.parts = parts
        self.credits = credits
    }
}

/// A one-line progress display the gates draw on (the terminal's, or none).
public protocol ProgressSink: AnyObject {
    func update(_ text: @autoclosure () -> String, force: Bool)
    func finish()
}
