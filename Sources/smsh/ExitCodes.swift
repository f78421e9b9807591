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

    static let table = """
        EXIT CODES:
          0  success
          1  script error (uncaught error, traceback on stderr)
          2  usage error
          3  budget exceeded (--max-credits / sms.budget): nothing was sent
          4  lock held by another run (--lock)
          5  insufficient credits (402)
          6  provider unavailable after retries (network, timeout, 5xx, rate limit)
          os.exit(n) in a script exits with n.
        """

    /// The exit code of an uncaught error, by its `code` field.
    static func forError(code: String?, status: Int64? = nil) -> Int32 {
        if let status, status >= 500 { return unavailable }
        switch code {
        case "BUDGET_EXCEEDED": return budgetExceeded
        case "INSUFFICIENT_CREDITS": return insufficientCredits
        case "NETWORK", "TIMEOUT", "SERVER_ERROR", "RATE_LIMITED", "SERVICE_UNAVAILABLE": return unavailable
        default: return scriptError
        }
    }
}
