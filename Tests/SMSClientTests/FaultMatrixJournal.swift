/// The part of docs/reliability.md about the send-once journal after each kind of failure. Not
/// measured by the matrix (the journal sits above the client); each row names the tests that
/// prove it.
extension FaultMatrixTests {
    static let journalSection = """

        ## The send-once journal after a failed send

        A send with `once = KEY` (and every `sms.retry`) records an intent before the request leaves;
        what the failure says decides whether the key is free again or stays uncertain
        (`JOURNAL_UNCERTAIN`, exit 8, until `smsh journal forget KEY`). Keys are scoped by API base
        URL and account digest; replays journal in memory.

        | failure | reached the server? | the key afterwards | proved by |
        |---|---|---|---|
        | connection refused | no | free | SendOnceJournalTests, JournalScopeTests.testFailuresThatNeverLeftLeaveNoIntent |
        | DNS failure | no | free | JournalScopeTests.testFailuresThatNeverLeftLeaveNoIntent |
        | TLS handshake failure (untrusted certificate; never retried) | no | free | TLSEndToEndTests.testUntrustedCertificateFailsOnceClearlyAndLeavesNoIntent, TLSTests |
        | no API key | no | free | JournalScopeTests.testFailuresThatNeverLeftLeaveNoIntent |
        | bad argument, invalid number, invalid UTF-8 | no | free | SendOnceJournalTests |
        | budget exceeded, confirmation declined | no | free | SendGateTests |
        | unusable `--record` path | no (checked before the first request) | free | JournalScopeTests.testAnUnusableCassettePathIsRefusedBeforeAnythingIsSent |
        | 4xx answer (401, 402, 429, …) | refused by the server | free | SendOnceJournalTests |
        | timeout after the request went out | maybe | uncertain | SendOnceJournalTests.testFailuresThatMayHaveReachedTheServerKeepTheKeyUncertain |
        | connection lost mid-exchange | maybe | uncertain | SendOnceJournalTests |
        | 5xx | maybe | uncertain | SendOnceJournalTests |
        | unreadable 2xx (truncated, not JSON) | yes | uncertain | SendOnceJournalTests |
        | run killed (kill -9) between intent and answer | maybe | uncertain | OperatorSafetyTests.testKillBetweenIntentAndSendNeverDoubleSendsAndTellsTheOperator |
        | accepted, then the cassette could not be written | yes | done (the error names the uuid) | JournalScopeTests.testAFailureAfterARealSendIsReportedAsSent |
        | another live run on this host holds the key | — | waited for, then its outcome | SendOnceJournalTests.testAnIntentOfADeadProcessIsUncertainAndOfALiveOneIsWaitedFor |

        """
}
