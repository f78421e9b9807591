import ArgumentParser
import CLuaShim
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import LuaHost
import SMSConfig
import SMSFixtures
import SMSLua
import SMSOperations


struct RunCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Run a Lua script (or -e code, or - for standard input).",
        discussion: HelpText.sentences("""
            Behaves like lua5.4: the global `arg` holds the script name at arg[0] and its
            arguments from arg[1]; the chunk also receives them as `...`. A first line starting
            with # is skipped. An uncaught error prints `smsh: FILE:LINE: message` and a stack
            traceback to stderr and exits with 1; os.exit(n) exits with n.

            Examples:
              smsh run report.lua 2026-11-01
              smsh report.lua 2026-11-01          (same)
              smsh -e 'print(sms.credit().balance)'
              echo 'print(1+1)' | smsh -
            """)
    )

    @OptionGroup var session: SessionOptions

    @Flag(help: "Turn every send into a preview (nothing sent, no credit used) and print the plan at the end.")
    var dryRun = false

    @Option(help: ArgumentHelp("Refuse (exit 3, nothing sent) any send that would take the run's total above this many credits (default: the profile's max_credits).", valueName: "credits"))
    var maxCredits: Double?

    @Option(help: ArgumentHelp("Hold this named lock for the run; exit 4 if another run holds it (stale locks of dead runs are taken over).", valueName: "name"))
    var lock: String?

    @Option(help: ArgumentHelp("Record the run's API traffic into this cassette (JSON), from the API, smsh serve or --sandbox.", valueName: "file"), completion: .file(extensions: ["json"]))
    var record: String?

    @Option(help: ArgumentHelp("Replay the API traffic from this cassette: nothing reaches the network, time is virtual from the recording's start.", valueName: "file"), completion: .file(extensions: ["json"]))
    var replay: String?

    @Option(help: ArgumentHelp("With --record: all (re-record, the default), once (only if the file is missing), new (replay what matches, record the rest), none (replay only).", valueName: "mode"))
    var recordMode: RecordMode?

    @Option(help: ArgumentHelp("Append every API request the run makes to this file, one JSON object per line (no headers).", valueName: "file"), completion: .file())
    var requestsLog: String?

    @Option(help: ArgumentHelp("At exit (also on error and os.exit), write a JSON summary of the run to this file, atomically: script, start, end, exit code, sends with uuids, recipients, credits, API calls, retries, errors by code, journal replays.", valueName: "file"), completion: .file())
    var summary: String?

    @OptionGroup var metricsOptions: MetricsOptions

    @Option(name: .customShort("e"), help: ArgumentHelp("Run this Lua code first (repeatable).", valueName: "code"))
    var code: [String] = []

    @Argument(parsing: .captureForPassthrough, help: ArgumentHelp("The script (- for stdin) and its arguments.", valueName: "script [args...]"), completion: .file(extensions: ["lua"]))
    var scriptAndArguments: [String] = []

    /// The script and its arguments without a leading `--`.
    private var script: [String] {
        scriptAndArguments.first == "--" ? Array(scriptAndArguments.dropFirst()) : scriptAndArguments
    }

    func validate() throws {
        if record != nil && replay != nil { throw ValidationError("Use either --record or --replay, not both.") }
        if recordMode != nil && record == nil { throw ValidationError("--record-mode needs --record FILE.") }
        if let maxCredits, !(maxCredits >= 0 && maxCredits.isFinite) { throw ValidationError("--max-credits must be a number >= 0 (got \(maxCredits))") }
        // The passthrough argument also captures a leading --help.
        if let first = scriptAndArguments.first, first == "--help" || first == "-h" {
            throw CleanExit.helpRequest(self)
        }
        // The passthrough argument also captures options it does not know: a leading one is a
        // usage mistake (`smsh run --bogus x.lua`), not a script; `--` marks a script named -x.
        if let first = scriptAndArguments.first, first.hasPrefix("-"), first != "-", first != "--" {
            throw ValidationError("Unknown option '\(first)'. A script whose name starts with - goes after --: smsh run -- \(first)")
        }
        if code.isEmpty && script.isEmpty && LuaStyleArguments.extracted.isEmpty {
            throw ValidationError("Give a script, - for standard input, or -e CODE.")
        }
    }

    func run() throws {
        var lua = LuaStyleArguments.extracted
        lua.actions += code.map { .code($0) }
        try ScriptRun(
            settings: session.settings, lua: lua, scriptAndArguments: script, dryRun: dryRun,
            maxCredits: maxCredits, lock: lock, record: record, replay: replay, recordMode: recordMode,
            requestsLog: requestsLog, summary: summary, metrics: metricsOptions.metrics, metricsPush: metricsOptions.metricsPush
        ).run()
    }
}

/// What `smsh run` does, from plain values: `RunCommand` fills it from its parsed options,
/// and `main.swift` fills it directly for a plain lua-style command line (`smsh -e CODE`,
/// `smsh FILE ARGS…`), which then starts without ArgumentParser's reflection.
struct ScriptRun {
    var settings = SessionSettings()
    /// lua5.4's options: -e and -l in order, -i, -v, -E, -W.
    var lua = LuaOptions()
    var scriptAndArguments: [String] = []
    var dryRun = false
    var maxCredits: Double?
    var lock: String?
    var record: String?
    var replay: String?
    var recordMode: RecordMode?
    var requestsLog: String?
    var summary: String?
    /// `--metrics FILE.prom`, `--metrics-push URL` (else the profile's `metrics_file`, `metrics_push`).
    var metrics: String?
    var metricsPush: String?

    func run() throws {
        StderrMessages.format = settings.logFormat
        // The metrics targets first: every later exit, a usage error included, writes them.
        let report = RunSummaryFile(path: nil, script: scriptAndArguments.first ?? (lua.hasCode ? "-e" : nil))
        let config = MetricsTargets.config(settings, maxCredits: maxCredits, file: metrics, push: metricsPush)
        report.metrics = try MetricsTargets.resolve(config: config, file: metrics, push: metricsPush)
        do {
            if let script = scriptAndArguments.first, let typo = CommandTypos.scriptTypo(script, commands: commandNames) {
                StderrMessages.error(typo, code: "USAGE")
                throw ExitCode(ExitCodes.usage)
            }
            // As lua5.4: the version first (-v, -i), and -E before the state reads LUA_PATH.
            if lua.version { print(luaStyleVersion) }
            if lua.ignoreEnvironment {
                for name in ["LUA_INIT", "LUA_INIT_5_4", "LUA_PATH", "LUA_PATH_5_4", "LUA_CPATH", "LUA_CPATH_5_4"] { unsetenv(name) }
            }
            if let summary, let problem = RunSummaryFile.problem(writing: summary) {
                StderrMessages.error("--summary \(summary): cannot write the run summary there: \(problem); nothing was run", code: "SUMMARY_IO")
                report.error(code: "SUMMARY_IO")
                throw ExitCode(ExitCodes.usage)
            }
            report.path = summary
            try runWithSummary(report, config: config)
            report.write(exitCode: 0)
        } catch let exit as ExitCode {
            report.write(exitCode: exit.rawValue)
            throw exit
        } catch {
            report.write(exitCode: ExitCodes.scriptError)
            throw error
        }
    }

    private func runWithSummary(_ report: RunSummaryFile, config: EffectiveConfig?) throws {
        var runLock: AnyObject?
        if let lock {
            let held: (pid: Int32?, host: String?)?
            if let url = try ScriptSession.orExit(report: report, { try StateStores.url(options: settings) }) {
                // The state is shared by hosts: so is the lock.
                let l = try StateStores.runLock(name: lock, url: url, report: report)
                runLock = l.lock
                held = l.held
            } else {
                let l = RunLock(name: lock)
                if case .heldBy(let pid) = try l.acquire() { held = (pid, nil) } else { held = nil }
                runLock = l
            }
            if let held {
                report.error(code: "LOCK_HELD")
                let who = held.pid.map { " (pid \($0)\(held.host.map { " on \($0)" } ?? ""))" } ?? ""
                StderrMessages.error("lock '\(lock)' is held by another run\(who); not starting",
                                     code: "LOCK_HELD", fields: held.pid.map { ["pid": .int(Int64($0))] } ?? [:])
                throw ExitCode(ExitCodes.lockHeld)
            }
        }
        defer { withExtendedLifetime(runLock) {} }
        var fixture: FixtureOptions?
        if let record { fixture = FixtureOptions(path: record, mode: recordMode ?? .all) }
        if let replay { fixture = FixtureOptions(path: replay, mode: .none) }
        let session = try ScriptSession.orExit(report: report) {
            // The budget (--max-credits, else the profile's max_credits) is set up by the session.
            try ScriptSession(options: settings, dryRun: dryRun, requestsLog: requestsLog, fixture: fixture, maxCredits: maxCredits,
                              config: config)
        }
        defer { try? session.finish() }
        report.session = (session.environment.gate.summary, session.counters)
        report.limiter = session.limiter
        let lua = session.lua
        // What must happen however the script ends (normally, by error, or by os.exit, which
        // leaves the process without unwinding): the dry-run plan and the summary.
        var printed = false
        let printPlan = {
            if !printed, let plan = session.environment.dryRunPlan {
                // The plan against the account's real balance (a read; nothing is sent).
                plan.balance = try? session.environment.client().credit().balance
                StderrMessages.info("dry run: nothing was sent", text: plan.render(), field: "plan")
            }
            printed = true
        }
        defer { printPlan() }
        guard session.environment.dryRunPlan != nil || report.writesAtExit else {
            try runChunks(lua, report: report, environment: session.environment)
            try enterREPL(session, report: report)
            return
        }
        lua.stack.push { s in
            try? session.finish()
            printPlan()
            report.write(exitCode: RunSummaryFile.osExitCode(s))
            return 0
        }
        lua.setGlobalFromTop("__smsh_at_exit")
        try lua.run("local p, exit = __smsh_at_exit, os.exit; __smsh_at_exit = nil; os.exit = function(...) p(...); return exit(...) end")
        try runChunks(lua, report: report, environment: session.environment)
        try enterREPL(session, report: report)
    }

    /// As lua5.4: with no script and no -e or -v, the REPL on a terminal, else standard input
    /// as a script; -i: the REPL after the script.
    private var wantsREPL: Bool {
        lua.interactive || (scriptAndArguments.isEmpty && !lua.hasCode && !lua.version && isatty(0) != 0)
    }

    /// -i (or no script, -e or -v on a terminal): the REPL in the same session; with piped
    /// input, the input runs as a script (as `smsh repl` does).
    private func enterREPL(_ session: ScriptSession, report: RunSummaryFile) throws {
        guard wantsREPL else { return }
        if isatty(0) == 0 {
            try ScriptSession.runOrExit(report: report) {
                try session.lua.loadFile(nil)
                try session.lua.stack.call(nargs: 0, nresults: 0)
            }
            return
        }
        var loop = try ReplLoop(options: settings, session: session)
        loop.run()
    }

    /// The script: the one named, or standard input when lua5.4 would read it.
    private var script: String? {
        if let first = scriptAndArguments.first { return first }
        return !lua.hasCode && !lua.version && !lua.interactive && isatty(0) == 0 ? "-" : nil
    }

    /// The -e and -l actions in order, then the script with its arguments, then the REPL (-i).
    private func runChunks(_ lua: LuaState, report: RunSummaryFile, environment: SMSEnvironment) throws {
        // Ctrl-C while Lua runs raises "interrupted!" (catchable by pcall) as under lua5.4,
        // and stops waits and paging, instead of killing the process mid-send. SIGTERM
        // (cron, systemd) does the same: tasks stop, sends on the wire finish.
        smsh_sigint_install()
        smsh_sigterm_install()
        smsh_sigint_watch(lua.L)
        defer {
            smsh_sigint_watch(nil)
            signal(SIGINT, SIG_DFL)
            signal(SIGTERM, SIG_DFL)
        }
        // A script ends when its main chunk and all its tasks have ended.
        defer { if environment.tasks?.hasUnfinishedTasks == true { try? environment.tasks?.runUntilAllEnded() } }
        let script = self.script
        let scriptArgs = Array(scriptAndArguments.dropFirst())
        // `arg` exactly as lua5.4 lays it out: the script at arg[0], its arguments from arg[1],
        // argv[0] as invoked and every option before the script at negative indices; with no
        // script, argv[0] at arg[0] and the options from arg[1]. Bytes as the kernel passed
        // them: a Latin-1 file name or TIS-620 text reaches the script as lua5.4 gives it.
        let argc = Int(CommandLine.argc)
        let argv = (0..<argc).map(CommandLineBytes.argument)
        lua.setLuaArgTable(argv: argv, script: scriptAndArguments.isEmpty ? 0 : argc - scriptAndArguments.count)
        let rawArgs = CommandLineBytes.tail(scriptArgs)

        for action in self.lua.actions {
            try ScriptSession.runOrExit(report: report) {
                switch action {
                case .code(let chunk):
                    try lua.load(chunk, chunkName: "=(command line)")
                    try lua.stack.call(nargs: 0, nresults: 0)
                case .library(let spec):
                    // -l G=MOD: G = require(MOD); -l MOD: MOD = require(MOD).
                    let parts = spec.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                    let (global, module) = parts.count == 2 ? (String(parts[0]), String(parts[1])) : (spec, spec)
                    try lua.load("local g, m = ...; _G[g] = require(m)", chunkName: "=(command line)")
                    lua.stack.push(global)
                    lua.stack.push(module)
                    try lua.stack.call(nargs: 2, nresults: 0)
                case .warningsOn:
                    lua_warning(lua.L, "@on", 0)
                }
            }
        }
        guard let script else { return }
        try ScriptSession.runOrExit(report: report) {
            try lua.loadFile(script == "-" ? nil : script)
            lua.stack.ensure(Int32(scriptArgs.count) + 1)
            for a in rawArgs { lua.stack.push(bytes: a) }
            try lua.stack.call(nargs: Int32(scriptArgs.count), nresults: 0)
        }
        try ScriptSession.finishTasks(environment, report: report)
    }
}

/// `smsh -v`: lua5.4's version line, and smsh's.
let luaStyleVersion = String(cString: smsh_lua_copyright()) + " (smsh \(smshVersion))"

extension LuaState {
    /// The global `arg` as lua5.4's `createargtable` makes it: `argv[i]` at `arg[i - script]`
    /// (`script` 0 when there is none).
    func setLuaArgTable(argv: [[UInt8]], script: Int) {
        let script = script >= argv.count ? 0 : script
        stack.newTable(arrayCount: max(0, argv.count - script - 1), fieldCount: script + 1)
        for (i, a) in argv.enumerated() {
            stack.push(bytes: a)
            stack.setIndex(Int64(i - script), in: -2)
        }
        setGlobalFromTop("arg")
    }
}


extension RecordMode: ExpressibleByArgument {}
