#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOConcurrencyHelpers
#if canImport(Glibc)
import Glibc
#endif

/// Time for everything that waits: the client's backoff, `sms.now`/`sms.sleep`/`sms.wait`,
/// and the simulator's delivery lifecycle. Real in production, virtual in the sandbox and
/// under replay, so waiting for delivery reports takes no wall time in tests.
public protocol SMSClock: AnyObject, Sendable {
    /// Seconds since the Unix epoch.
    func now() -> Double
    /// Waits (really or virtually). Throws `ClockInterrupted` when the wait was interrupted.
    func sleep(seconds: Double) throws
}

public struct ClockInterrupted: Error, Sendable {
    public init() {}
}

/// Wall-clock time. `sleep` wakes every 50 ms to check `interruptRequested`, so Ctrl-C in the
/// REPL can stop a long `sms.wait`.
public final class SystemClock: SMSClock, @unchecked Sendable {
    public let interruptRequested: @Sendable () -> Bool

    public init(interruptRequested: @escaping @Sendable () -> Bool = { false }) {
        self.interruptRequested = interruptRequested
    }

    public func now() -> Double { Date().timeIntervalSince1970 }

    public func sleep(seconds: Double) throws {
        var remaining = seconds
        while remaining > 0 {
            if interruptRequested() { throw ClockInterrupted() }
            let step = min(remaining, 0.05)
            usleep(UInt32(step * 1_000_000))
            remaining -= step
        }
    }
}

/// Time that only moves when told: `sleep` and `advance` move it forward instantly.
/// Observers (the simulator) are told of every move so they can run what became due.
public final class VirtualClock: SMSClock, @unchecked Sendable {
    private let lock = NIOLock()
    private var current: Double

    public init(start: Double) { current = start }

    /// Starts at the current wall-clock second.
    public convenience init() { self.init(start: Date().timeIntervalSince1970.rounded(.down)) }

    public func now() -> Double {
        lock.lock()
        defer { lock.unlock() }
        return current
    }

    public func sleep(seconds: Double) throws { advance(by: seconds) }

    public func advance(by seconds: Double) {
        guard seconds > 0 else { return }
        lock.lock()
        current += seconds
        lock.unlock()
    }

    public func set(to time: Double) {
        lock.lock()
        current = time
        lock.unlock()
    }
}
