import CLuaShim

/// Exit codes, for cron and monitoring. Documented in the README and `smsh --help`.
enum ExitCodes {
    static let ok: Int32 = 0
    /// An uncaught error in the script (traceback on stderr).
    static let scriptError: Int32 = 1
    /// Wrong command-line usage; also a once key reused for another request (`ONCE_KEY_REUSED`:
    /// nothing was sent, the command must change).
    static let usage: Int32 = 2
    /// A send would have gone over the run's credit budget (nothing was sent).
    static let budgetExceeded: Int32 = 3
    /// Another run holds the `--lock`.
    static let lockHeld: Int32 = 4
    /// The provider refused a send for lack of credit (402).
    static let insufficientCredits: Int32 = 5
    /// The provider could not be reached or kept failing after retries (network, timeout, 5xx, 429).
    static let unavailable: Int32 = 6
    /// The provider rejected the API key or its permissions (401/403): a configuration problem, not a script bug.
    static let unauthorized: Int32 = 7
    /// The send-once journal cannot tell whether an earlier send went out (`JOURNAL_UNCERTAIN`): needs an operator.
    static let journalUncertain: Int32 = 8
    /// The HTTP proxy is unreachable, refused authentication, would not open the tunnel, or is
    /// not a usable URL (`PROXY`): nothing reached the provider. (9 is left for another use.)
    static let proxy: Int32 = 10
    /// `smsh wait` gave up (`--max-wait`): the message still has pending recipients. Not 6:
    /// the provider answered every poll.
    static let waitTimedOut: Int32 = 9
    /// The shared state store (`state_url`, PostgreSQL) is unreachable or refusing
    /// (`STATE_STORE`): before a send nothing was sent; after one, its uuid is on stderr and
    /// in the `--summary` file and its key stays uncertain for `smsh journal reconcile`.
    static let stateStore: Int32 = 11

    static let table = """
        EXIT CODES:
          0  success
          1  script error (uncaught error, traceback on stderr)
          2  usage or configuration error (a bad option, base URL or config file; also ONCE_KEY_REUSED: nothing sent)
          3  budget exceeded (--max-credits / sms.budget): nothing was sent
          4  lock held by another run (--lock)
          5  insufficient credits (402)
          6  provider unavailable after retries (network, timeout, 5xx, rate limit)
          7  authentication/authorisation refused (401/403: wrong API key or scope)
          8  send-once journal uncertain (JOURNAL_UNCERTAIN: smsh journal)
          9  smsh wait gave up (--max-wait): recipients still pending
         10  HTTP proxy failed (PROXY): nothing was sent
         11  state store (state_url, PostgreSQL) unreachable or refusing (STATE_STORE)
        130  interrupted by Ctrl-C (143: SIGTERM); sends on the wire were journaled
          os.exit(n) in a script exits with n.
        """

    /// 128 + the signal when Ctrl-C (SIGINT) or SIGTERM stopped the run, as shells report it.
    static var interruptedBySignal: Int32? {
        let signal = smsh_signal_received()
        return signal > 0 ? 128 + signal : nil
    }

    /// The exit code of an uncaught error, by its `code` field.
    static func forError(code: String?, status: Int64? = nil) -> Int32 {
        if let interrupted = interruptedBySignal, code == nil || code == "INTERRUPTED" { return interrupted }
        if let status, status >= 500 { return unavailable }
        if status == 401 || status == 403 { return unauthorized }
        switch code {
        case "BUDGET_EXCEEDED": return budgetExceeded
        case "INSUFFICIENT_CREDITS": return insufficientCredits
        case "UNAUTHORIZED", "FORBIDDEN": return unauthorized
        case "JOURNAL_UNCERTAIN": return journalUncertain
        case "ONCE_KEY_REUSED": return usage
        case "PROXY": return proxy
        case "STATE_STORE": return stateStore
        case "NETWORK", "TIMEOUT", "SERVER_ERROR", "RATE_LIMITED", "SERVICE_UNAVAILABLE": return unavailable
        default: return scriptError
        }
    }
}
