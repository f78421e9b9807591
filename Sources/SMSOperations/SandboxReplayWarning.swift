import SMSState

/// The one warning a run gets when a send-once key replays in the sandbox scope. The journal
/// keeps sandbox keys across runs (deliberately: a rehearsal behaves like the real thing),
/// but every `--sandbox` run starts an empty simulator account, so the replayed uuid is
/// unknown to it and the next `sms.wait_all` / `sms.message` on it fails with NOT_FOUND. Said
/// once, before that happens, with the command that starts over.
public enum SandboxReplayWarning {
    /// - Parameters:
    ///   - key: the replayed once key.
    ///   - forgetPrefix: the prefix that forgets the key's group (a campaign's `CAMPAIGN/`), if any.
    public static func text(key: String, uuid: String?, forgetPrefix: String?) -> String {
        let what = forgetPrefix.map { "campaign '\(String($0.dropLast()))' resumed" } ?? "once key '\(key)' replayed"
        let forget = forgetPrefix.map { "smsh journal forget --scope sandbox --prefix \(shellQuoted($0))" }
            ?? "smsh journal forget --scope sandbox \(shellQuoted(key)) (`smsh journal list` shows every key)"
        return "\(what) with uuid \(uuid ?? "?") from an earlier sandbox run: this run's sandbox started empty and does not "
            + "know it, so waiting on it or reading it fails with NOT_FOUND; to send again: \(forget), or rehearse re-runs against `smsh serve`"
    }

    /// `'text'`, with each `'` written as `'\''`: the command can be pasted into a shell as it is.
    static func shellQuoted(_ s: String) -> String {
        "'" + s.split(separator: "'", omittingEmptySubsequences: false).joined(separator: #"'\''"#) + "'"
    }
}
