import ArgumentParser
import CLuaShim
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import LuaHost
import SMSClient
import SMSConfig
import SMSFixtures
import SMSLua
import SMSOperations
#if canImport(Glibc)
import Glibc
#endif

/// Options every one-off command (`smsh credit`, `smsh send`, ...) takes: the session's, as
/// for `smsh run`, plus the output format.
struct OneOffOptions: ParsableArguments {
    @OptionGroup var session: SessionOptions

    @Option(name: [.customShort("o"), .customLong("output")],
            help: ArgumentHelp("Output format: table (aligned columns), json (one document), jsonl (one object per line), csv (header row, RFC 4180).",
                               valueName: "format"))
    var output: OutputFormat = .table

    @Flag(help: "As for smsh run: a send becomes a preview (nothing sent, no credit used) and the plan is printed on stderr.")
    var dryRun = false

    @Option(help: ArgumentHelp("Refuse (exit 3, nothing sent) a send that needs more than this many credits (default: the profile's max_credits).", valueName: "credits"))
    var maxCredits: Double?

    @Option(help: ArgumentHelp("As for smsh run: record the command's API traffic into this cassette (JSON).", valueName: "file"))
    var record: String?

    @Option(help: ArgumentHelp("As for smsh run: answer from this cassette; nothing reaches the network.", valueName: "file"))
    var replay: String?

    @Option(help: ArgumentHelp("With --record: all (the default), once, new or none, as for smsh run.", valueName: "mode"))
    var recordMode: RecordMode?

    @OptionGroup var metrics: MetricsOptions

    /// The cassette to record to or replay from, as `smsh run` builds it.
    var fixture: FixtureOptions? {
        if let record { return FixtureOptions(path: record, mode: recordMode ?? .all) }
        return replay.map { FixtureOptions(path: $0, mode: .none) }
    }

    func validate() throws {
        if record != nil && replay != nil { throw ValidationError("Use either --record or --replay, not both.") }
        if recordMode != nil && record == nil { throw ValidationError("--record-mode needs --record FILE.") }
        if let maxCredits, !(maxCredits >= 0 && maxCredits.isFinite) { throw ValidationError("--max-credits must be a number >= 0 (got \(maxCredits))") }
    }
}

/// What every one-off command does around its operation: builds the connection exactly as a
/// script run does (`SessionConnection`: profile, --sandbox, --base-url, journal scope,
/// budget, dry run), then reports a failure on stderr and exits as an uncaught error in a
/// script would (same message, same exit code: 7 for 401/403, 8 for JOURNAL_UNCERTAIN, ...).
enum OneOff {
    static func run(_ options: OneOffOptions, command: String, _ body: (SessionConnection, ResultPrinter) throws -> Void) throws {
        StderrMessages.format = options.session.logFormat
        // --metrics/--metrics-push (or the profile's): written however the command ends.
        let report = RunSummaryFile(path: nil, script: command)
        let (file, push) = (options.metrics.metrics, options.metrics.metricsPush)
        let config = MetricsTargets.config(options.session.settings, maxCredits: options.maxCredits, file: file, push: push)
        report.metrics = try MetricsTargets.resolve(config: config, file: file, push: push)
        do {
            try run(options, report: report, config: config, body)
            report.write(exitCode: 0)
        } catch let exit as ExitCode {
            report.write(exitCode: exit.rawValue)
            throw exit
        } catch {
            // A usage error found after parsing (ValidationError) exits 2, as main reports it.
            let code = SMSH.exitCode(for: error)
            report.write(exitCode: code == .validationFailure ? ExitCodes.usage : code.rawValue)
            throw error
        }
    }

    private static func run(_ options: OneOffOptions, report: RunSummaryFile, config: EffectiveConfig?,
                            _ body: (SessionConnection, ResultPrinter) throws -> Void) throws {
        let connection = try ScriptSession.orExit(report: report) {
            try SessionConnection(options: options.session.settings, dryRun: options.dryRun, fixture: options.fixture,
                                  maxCredits: options.maxCredits, config: config)
        }
        // A recording is saved however the command ends, as for a script.
        defer { try? connection.fixture?.save() }
        // Ctrl-C and SIGTERM (cron, systemd) as in a script: waits and paging stop (exit 130,
        // 143) and a send under way is finished and printed instead of being cut off between
        // its request and its answer; the metrics are written as for any other exit.
        smsh_sigint_install()
        smsh_sigterm_install()
        defer {
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        StandardOutput.ignoreBrokenPipe()
        let env = connection.environment
        report.session = (env.gate.summary, connection.counters)
        report.limiter = connection.limiter
        if !options.session.yes, isatty(0) == 1, isatty(2) == 1 {
            // As in the REPL: a large send typed by a person asks first; cron never does.
            env.confirmLargeSend = { e in
                writeToStandardError(confirmationQuestion(e))
                guard let answer = readLine() else { return false }
                return ["y", "yes"].contains(answer.filter { $0 != " " && $0 != "\t" }.lowercased())
            }
        }
        do {
            try body(connection, ResultPrinter(format: options.output, maskNumbers: env.maskNumbers))
            try printPlan(env)
        } catch let e as SMSError {
            flushStandardOutput()
            try? printPlan(env)
            var e = e
            report.uncaught(code: e.code, message: e.message)
            if env.maskNumbers { e.message = NumberMasking.mask(e.message) }
            StderrMessages.error(e.description, code: e.code, status: e.status.map(Int64.init))
            // `smsh wait` giving up is not the provider failing (6): it has its own code.
            if e.code == SMSError.Code.timeout, e.status == nil, e.message.hasPrefix(WaitCommand.function + ": message ") {
                throw ExitCode(ExitCodes.waitTimedOut)
            }
            throw ExitCode(ExitCodes.forError(code: e.code, status: e.status.map(Int64.init)))
        } catch is ClockInterrupted {
            report.uncaught(code: "INTERRUPTED", message: "interrupted")
            StderrMessages.error("interrupted", code: "INTERRUPTED")
            throw ExitCode(ExitCodes.interruptedBySignal ?? 130)
        }
    }

    /// Under --dry-run, what the command would have sent (as `smsh run --dry-run` prints it).
    private static func printPlan(_ env: SMSEnvironment) throws {
        guard let plan = env.dryRunPlan, !plan.entries.isEmpty else { return }
        plan.balance = try? env.client().credit().balance
        flushStandardOutput()
        StderrMessages.info("dry run: nothing was sent", text: plan.render(), field: "plan")
    }

    /// A uuid argument: an empty one (`smsh message "$UUID"` with UUID unset) is a usage error.
    static func checkUUID(_ uuid: String) throws {
        if uuid.allSatisfy(\.isWhitespace) {
            throw ValidationError("<uuid> is empty: give a message's uuid (from smsh send or smsh messages).")
        }
    }

    /// A usage error found after parsing (a file that cannot be read, a field the API
    /// refuses): printed as ArgumentParser prints its own, exit 2.
    static func usageError(_ command: String, _ message: String) -> ExitCode {
        StderrMessages.error("\(command): \(message)", code: "USAGE")
        return ExitCode(ExitCodes.usage)
    }
}
