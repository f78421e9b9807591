#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSClient

/// The hours a campaign may send in (`window = {from = "09:00", to = "20:00", tz = "Asia/Bangkok"}`),
/// judged on the session clock in a system (tzdata) time zone. `from` after `to` spans midnight.
public struct SendWindow: Equatable, Sendable {
    /// Minutes after local midnight.
    public let from: Int
    public let to: Int
    public let timeZone: SystemTimeZone

    public init(from: String, to: String, tz: String?) throws {
        self.from = try Self.minutes(from, field: "window.from")
        self.to = try Self.minutes(to, field: "window.to")
        guard self.from != self.to else {
            throw SMSError.invalidArgument("window", "sms.campaign: 'window.from' and 'window.to' are both \(from): the window would be empty")
        }
        if let tz {
            guard let zone = SystemTimeZone(identifier: tz) else {
                throw SMSError.invalidArgument("window.tz", "sms.campaign: 'window.tz' \(SMSError.quoted(tz, limit: .max)) is not a time zone identifier (e.g. \"Asia/Bangkok\")")
            }
            timeZone = zone
        } else {
            timeZone = SystemTimeZone(identifier: "UTC")!
        }
    }

    /// "HH:MM" as minutes after midnight.
    static func minutes(_ text: String, field: String) throws -> Int {
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts.allSatisfy({ (1...2).contains($0.count) && $0.allSatisfy(\.isASCII) }),
              let h = Int(parts[0]), let m = Int(parts[1]), (0...24).contains(h), (0..<60).contains(m), h * 60 + m <= 1440 else {
            throw SMSError.invalidArgument(field, "sms.campaign: '\(field)' must be a time \"HH:MM\" (got \(SMSError.quoted(text, limit: .max)))")
        }
        return h * 60 + m
    }

    /// Seconds until the window opens at `now` (epoch seconds); 0 when it is open.
    public func secondsUntilOpen(at now: Double) -> Double {
        let offset = Double(timeZone.secondsFromGMT(at: now))
        var sinceMidnight = (now + offset).truncatingRemainder(dividingBy: 86_400)
        if sinceMidnight < 0 { sinceMidnight += 86_400 }
        let f = Double(from * 60), t = Double(to * 60)
        let open = from < to ? (sinceMidnight >= f && sinceMidnight < t) : (sinceMidnight >= f || sinceMidnight < t)
        if open { return 0 }
        var wait = f - sinceMidnight
        if wait < 0 { wait += 86_400 }
        return wait
    }

    /// "09:00-20:00 Asia/Bangkok", for progress lines and the plan.
    public var description: String {
        func hhmm(_ m: Int) -> String { (m / 60 < 10 ? "0" : "") + "\(m / 60):" + (m % 60 < 10 ? "0" : "") + "\(m % 60)" }
        return "\(hhmm(from))-\(hhmm(to)) \(timeZone.identifier)"
    }
}

/// At most `rate` sends a second on the session clock: each send waits until 1/rate seconds
/// after the previous one started.
public struct SendPacer {
    let rate: Double?
    private var last: Double?

    public init(rate: Double?) { self.rate = rate }

    public mutating func waitForTurn(clock: SMSClock) throws {
        guard let rate else { return }
        let now = clock.now()
        if let last {
            let due = last + 1 / rate
            if due > now { try clock.sleep(seconds: due - now) }
        }
        last = max(now, clock.now())
    }
}
