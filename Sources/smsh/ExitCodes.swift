/// Exit codes, for cron and monitoring. Documented in the README and `smsh --help`.
enum ExitCodes {
    static let ok: Int32 = 0
    /// An uncaught error in the script (traceback on stderr).
    static let scriptError: Int32 = 1
    /// Wrong command-line usage.
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
    /// `smsh wait` gave up (`--max-wait`): the message still has pending recipients. Not 6:
    /// the provider answered every poll.
    static let waitTimedOut: Int32 = 9

    static let table = """
        EXIT CODES:
          0  success
          1  script error (uncaught error, traceback on stderr)
          2  usage or configuration error (a bad option, base URL or config file)
          3  budget exceeded (--max-credits / sms.budget): nothing was sent
          4  lock held by another run (--lock)
          5  insufficient credits (402)
          6  provider unavailable after retries (network, timeout, 5xx, rate limit)
          7  authentication/authorisation refused (401/403: wrong API key or scope)
          8  send-once journal uncertain (JOURNAL_UNCERTAIN: see smsh journal)
          9  smsh wait gave up (--max-wait): recipients still pending
          os.exit(n) in a script exits with n.
        """

    /// The exit code of an uncaught error, by its `code` field.
    static func forError(code: String?, status: Int64? = nil) -> Int32 {
        if let status, status >= 500 { return unavailable }
        if status == 401 || status == 403 { return unauthorized }
        switch code {
        case "BUDGET_EXCEEDED": return budgetExceeded
        case "INSUFFICIENT_CREDITS": return insufficientCredits
        case "UNAUTHORIZED", "FORBIDDEN": return unauthorized
        case "JOURNAL_UNCERTAIN": return journalUncertain
        case "NETWORK", "TIMEOUT", "SERVER_ERROR", "RATE_LIMITED", "SERVICE_UNAVAILABLE": return unavailable
        default: return scriptError
        }
    }
}
