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

    /// The rest of docs/reliability.md: the checks outside the matrix, and fuzzing.
    static let checksSection = """

        ## Other reliability checks

        - `scripts/soak [iterations]`: 10,000 hourly cron runs (a daily `once` send plus dr_retry-style
          resends) on virtual time against the simulator with seeded faults; prints duplicate sends and
          lost retries (both must be 0), the worst retry lag and RSS first/last. `scripts/test` runs it
          with 400 runs.
        - `scripts/bench/serve_load`: `wrk` against `smsh serve` (release): requests/s and p99 for
          credit, recipients paging and 1,000-number sends, with and without `--rate-limit`
          ([benchmarks.md](benchmarks.md)).
        - `SecretsAuditTests` runs record, replay, the REPL with history, `--log-format json`,
          `--verbose` tracing and error paths with a known key, then searches every file written and all
          output for it (and its base64 and last 8 characters): none.
        - `smsh run --verbose` (and the REPL) trace each API request on stderr: method, URL, status,
          duration, headers with the key shown as `[redacted]`.
        - `scripts/check-memory` (in `scripts/test`): 100,000 Swift-backed calls under valgrind, half
          failing: no invalid access, no leak growth.

        ## Fuzzing

        <!-- check-docs: skip (fuzzing takes minutes and builds sanitizer modules) -->
        ```sh
        scripts/fuzz                 # every target 60 s, then the binding fuzz; prints executions, exec/s, coverage
        scripts/fuzz 600 json_lua    # one target, 10 minutes
        scripts/fuzz --smoke         # 15 s each (what scripts/test runs)
        ```

        | target | what it feeds | what must hold |
        |---|---|---|
        | `msisdn_parts` | any text to `MSISDN.normalize`/`mask` and `MessageParts.of` | normal form `66`+9 digits and idempotent; part counts match the encoding's units and never shrink when text grows |
        | `cassette` | any bytes to the cassette loader | refusal is `CASSETTE_INVALID` naming the file; a loaded cassette survives save → load |
        | `json_lua` | any bytes to the JSON codec, then into Lua and back (`LuaJSONBridge`) | serialise → parse is the identity; JSON → Lua → JSON too, up to the depth limit; the Lua stack stays balanced |
        | `lua_value` | a byte program building Lua values (cycles, 256 KiB and invalid UTF-8 strings, 300-deep nesting, throwing metatables, NaN) | `LuaStack.value` copies or throws `LuaValueError`, the copy pushes back equal, the stack stays balanced |
        | `bindings` | `Tests/Fuzz/bindings.lua` under `smsh run --sandbox`: random argument shapes for every `sms.*` function | every error is a string naming the function or an sms error value; RSS flat; credit = start − charges + refunds |

        The whole package is not built with sanitizers: each harness (`Tests/Fuzz/*Fuzz.swift`) is
        compiled with `swiftc -sanitize=fuzzer,address` together with only the sources it needs, as small
        static modules under `.build/fuzz/`. Seeds are in `Tests/Fuzz/corpus/<target>/`; what a run
        discovers stays in `.build/fuzz/corpus/` (not committed), crashes go to `.build/fuzz/artifacts/`
        (replay one with `.build/fuzz/<target> <file>`) and fail the script. Every crash found so far has
        a regression test in the module's test target. `Tests/LuaSemantics/*.lua` are stress scripts
        (recursion to the stack limits, nested coroutines, error tables, finalizers, `string.dump`,
        `io`/`os`) that `LuaSemanticsTests` runs under both `smsh run` and `lua5.4`, comparing output and
        exit code; there as under `lua5.4`, Ctrl-C (SIGINT) in a running script raises a catchable
        `interrupted!` and leaves no debug hook installed.

        """
}
