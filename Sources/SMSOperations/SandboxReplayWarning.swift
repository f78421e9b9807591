import SMSState
import Synchronization

/// The one warning a run gets when a send-once key replays in the sandbox scope with a uuid
/// this run's sandbox does not know. The journal keeps sandbox keys across runs (deliberately:
/// a rehearsal behaves like the real thing), but every `--sandbox` run starts an empty
/// simulator account with uuids of its own, so a uuid from an earlier run is unknown to it:
/// reading or waiting on it gets NOT_FOUND from this run's sandbox. A key sent earlier in the
/// same run (a campaign resumed twice in one script) replays a uuid the sandbox knows, and is
/// not warned of. Said once, with the command that starts over.
public enum SandboxReplayWarning {
    /// - Parameters:
    ///   - key: the replayed once key.
    ///   - forgetPrefix: the prefix that forgets the key's group (a campaign's `CAMPAIGN/`), if any.
    public static func text(key: String, uuid: String?, forgetPrefix: String?) -> String {
        let what = forgetPrefix.map { "campaign '\(String($0.dropLast()))' resumed" } ?? "once key '\(key)' replayed"
        let forget = forgetPrefix.map { "smsh journal forget --scope sandbox --prefix \(shellQuoted($0))" }
            ?? "smsh journal forget --scope sandbox \(shellQuoted(key)) (`smsh journal list` shows every key)"
        return "\(what) with uuid \(uuid ?? "?") from an earlier sandbox run, which this run's sandbox does not know "
            + "(it started empty): nothing was sent again, and sms.message or sms.wait on that uuid gets NOT_FOUND here; "
            + "to send again: \(forget), or rehearse re-runs against `smsh serve`"
    }

    /// `'text'`, with each `'` written as `'\''`: the command can be pasted into a shell as it is.
    static func shellQuoted(_ s: String) -> String {
        "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }

    /// The uuids this run's sends got (so this run's sandbox knows them), and whether the run
    /// was warned already. Safe to use from several threads.
    public final class Tracker: Sendable {
        private let state = Mutex((sent: Set<String>(), warned: false))

        public init() {}

        /// Notes a uuid a send of this run got.
        public func sent(_ uuid: String?) {
            guard let uuid else { return }
            state.withLock { _ = $0.sent.insert(uuid) }
        }

        /// True the first time a replayed uuid is one this run did not hand out.
        public func shouldWarn(replayed uuid: String?) -> Bool {
            state.withLock { s in
                if s.warned { return false }
                if let uuid, s.sent.contains(uuid) { return false }
                s.warned = true
                return true
            }
        }
    }
}
