import Dispatch
import LuaHost
import NIOConcurrencyHelpers
import SMSOperations

/// A one-line progress display on stderr for long work (paging, waiting, big sends), shown
/// only when stderr is a terminal and not `--quiet`; redrawn at most ten times a second.
/// Safe to call from the campaign engine's and tasks' threads (one lock around the line).
public final class ProgressReporter: @unchecked Sendable {
    public let enabled: Bool
    private let lock = NIOLock()
    private var lastDraw: Double = 0
    private var shown = false

    public init(enabled: Bool) { self.enabled = enabled }

    public static var silent: ProgressReporter { ProgressReporter(enabled: false) }

    /// Enabled when stderr is a TTY and `quiet` is false.
    public static func forTerminal(quiet: Bool) -> ProgressReporter {
        ProgressReporter(enabled: !quiet && standardErrorIsTerminal)
    }

    /// Redraws the line. Throttled on real time, not the session clock: in the sandbox the
    /// clock is virtual and may not move at all while work goes on.
    public func update(_ text: @autoclosure () -> String, force: Bool = false) {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        let now = ProgressReporter.monotonicSeconds()
        guard force || now - lastDraw >= 0.1 else { return }
        lastDraw = now
        writeToStandardError("\r\u{1B}[K" + text())
        shown = true
    }

    public func finish() {
        guard enabled else { return }
        lock.lock()
        defer { lock.unlock() }
        guard shown else { return }
        writeToStandardError("\r\u{1B}[K")
        shown = false
    }

    /// Seconds from an arbitrary start, never going back: for rates shown in progress lines.
    public static func monotonicSeconds() -> Double {
        Double(DispatchTime.now().uptimeNanoseconds) / 1e9
    }
}

/// The gates draw their progress (big sends) on the terminal line.
extension ProgressReporter: ProgressSink {}
