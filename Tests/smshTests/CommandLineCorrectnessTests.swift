import Foundation
import XCTest

/// Issue 22's command-line points, end to end with the built binary: command typos (5),
/// exit codes of configuration mistakes (6), lua5.4's options and `arg` (12), smsh's one
/// voice (13), help that reads well and `smsh test --filter` (14), scripts/test's summary (15).
final class CommandLineCorrectnessTests: XCTestCase {
    var home: ScratchHome!

    override func setUpWithError() throws {
        home = try ScratchHome(tag: "cli")
    }

    override func tearDown() {
        home.remove()
    }

    func smsh(_ args: [String], stdin: String? = nil, env: [String: String] = [:], cwd: URL? = nil) throws -> SmshProcess.Result {
        try SmshProcess.run(args, stdin: stdin, env: home.env(api: [:], env), cwd: cwd ?? URL(fileURLWithPath: home.path))
    }

    static var repository: URL { URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../..").standardized }

    // MARK: options before the command

    func testOptionsBeforeAGroupsSubcommandBelongToTheSubcommand() throws {
        let config = home.path + "/.config/smsh/config.toml"
        try "[profiles.corp]\nbase_url = \"http://127.0.0.1:1\"\nproxy = \"http://ann:pw@proxy.corp:8080\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        XCTAssertEqual(chmod(config, 0o600), 0)
        let before = try smsh(["--profile", "corp", "config", "show"])
        XCTAssertEqual(before.status, 0, before.stderr)
        XCTAssertEqual(before.stdout, try smsh(["config", "show", "--profile", "corp"]).stdout)
        XCTAssertTrue(before.stdout.contains("http://ann:***@proxy.corp:8080"), before.stdout)
        let journal = try smsh(["--profile", "corp", "journal", "path"])
        XCTAssertEqual(journal.status, 0, journal.stderr)
        XCTAssertEqual(journal.stdout, home.path + "/state/smsh/state.sqlite3\n")
        let unknown = try smsh(["--profile", "nope", "journal", "list"])
        XCTAssertEqual(unknown.status, 2, unknown.stderr)
        XCTAssertTrue(unknown.stderr.contains("unknown profile 'nope' (from --profile)"), unknown.stderr)
    }

    // MARK: 5 — command typos

    func testCommandTypoIsAUsageErrorNamingTheNearestCommand() throws {
        for (typed, meant) in [("sned", "send"), ("credits", "credit"), ("recipeints", "recipients"), ("confg", "config")] {
            let r = try smsh([typed, "--text", "hi"])
            XCTAssertEqual(r.status, 2, "\(typed): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("smsh: '\(typed)' is not a smsh command"), r.stderr)
            XCTAssertTrue(r.stderr.contains("did you mean '\(meant)'?"), r.stderr)
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 1, r.stderr)
        }
        // With smsh options before it too.
        let after = try smsh(["--sandbox", "sned"])
        XCTAssertEqual(after.status, 2, after.stderr)
        XCTAssertTrue(after.stderr.contains("did you mean 'send'?"), after.stderr)
        // A name far from every command is still a script that cannot be opened (as lua5.4).
        let far = try smsh(["nightly_report"])
        XCTAssertEqual(far.status, 1, far.stderr)
        XCTAssertTrue(far.stderr.contains("cannot open nightly_report"), far.stderr)
    }

    func testARealFileNamedLikeATypoStillRuns() throws {
        try "print('ran ' .. arg[0])\n".write(toFile: home.path + "/sned", atomically: true, encoding: .utf8)
        let r = try smsh(["sned"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "ran sned\n")
    }

    func testSubcommandAndHelpTyposNameTheNearest() throws {
        let config = try smsh(["config", "shwo"])
        XCTAssertEqual(config.status, 2, config.stderr)
        XCTAssertTrue(config.stderr.hasPrefix("smsh: 'shwo' is not a subcommand of smsh config (show, path); did you mean 'show'? See smsh config --help."), config.stderr)
        let journal = try smsh(["journal", "lsit"])
        XCTAssertEqual(journal.status, 2, journal.stderr)
        XCTAssertTrue(journal.stderr.contains("did you mean 'list'?"), journal.stderr)
        let help = try smsh(["help", "sned"])
        XCTAssertEqual(help.status, 2, help.stderr)
        XCTAssertEqual(help.stdout, "")
        XCTAssertTrue(help.stderr.hasPrefix("smsh: help: 'sned' is not a smsh command; did you mean 'send'? See smsh --help."), help.stderr)
        let subHelp = try smsh(["help", "config", "shwo"])
        XCTAssertEqual(subHelp.status, 2, subHelp.stderr)
        XCTAssertTrue(subHelp.stderr.contains("did you mean 'show'?"), subHelp.stderr)
        let good = try smsh(["help", "send"])
        XCTAssertEqual(good.status, 0, good.stderr)
        XCTAssertTrue(good.stdout.contains("USAGE: smsh send"), good.stdout)
    }

    // MARK: 6 — exit codes

    func testInvalidBaseURLIsAConfigurationErrorWithoutRetries() throws {
        let cases: [([String], [String: String], String)] = [
            (["credit"], ["SMSH_BASE_URL": "localhost:8080"], "'localhost:8080' (from $SMSH_BASE_URL): it has no http:// or https:// scheme"),
            (["--base-url", "not a url", "credit"], [:], "'not a url' (from --base-url): it has no http:// or https:// scheme"),
            (["--base-url", "ftp://me-sms.com", "-e", "print(sms.credit().balance)"], [:], "the scheme 'ftp' is not http or https"),
        ]
        for (args, env, text) in cases {
            let started = Date()
            let r = try smsh(args, env: ["SMSH_API_KEY": "sk_live_x"].merging(env) { $1 })
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertLessThan(Date().timeIntervalSince(started), 5, "no retries")
            let lines = r.stderr.split(separator: "\n")
            XCTAssertEqual(lines.count, 1, r.stderr)
            XCTAssertTrue(r.stderr.hasPrefix("smsh: invalid API base URL "), r.stderr)
            XCTAssertTrue(r.stderr.contains(text), r.stderr)
            XCTAssertTrue(r.stderr.contains("e.g.") || r.stderr.contains("such as https://me-sms.com"), r.stderr)
            XCTAssertFalse(r.stderr.contains("attempts"), r.stderr)
        }
    }

    func testUnwritableSummaryStopsTheRunBeforeItStarts() throws {
        for path in ["/nonexistent-\(UUID().uuidString.prefix(6))/summary.json", home.path] {
            let r = try smsh(["run", "--sandbox", "--summary", path, "-e", "print('started')"])
            XCTAssertEqual(r.status, 2, r.stderr)
            XCTAssertEqual(r.stdout, "", "nothing ran")
            XCTAssertTrue(r.stderr.hasPrefix("smsh: --summary \(path): cannot write the run summary there: "), r.stderr)
            XCTAssertTrue(r.stderr.contains("nothing was run"), r.stderr)
        }
        let ok = home.path + "/summary.json"
        let r = try smsh(["run", "--sandbox", "--summary", ok, "-e", "print('started')"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(FileManager.default.fileExists(atPath: ok))
    }

    /// A --base-url flag beats a profile's `sandbox = true`: the run goes to that URL.
    func testBaseURLFlagBeatsTheProfilesSandbox() throws {
        let config = home.path + "/.config/smsh/config.toml"
        try "[profiles.staging]\nsandbox = true\n".write(toFile: config, atomically: true, encoding: .utf8)
        let sandboxed = try smsh(["--profile", "staging", "-e", "print(sms.credit().balance)"])
        XCTAssertEqual(sandboxed.stdout, "10000.0\n", sandboxed.stderr)
        let flagged = try smsh(["--profile", "staging", "--base-url", "http://127.0.0.1:1", "--retries", "0", "-e", "print(sms.credit().balance)"],
                               env: ["SMSH_API_KEY": "sk_live_x"])
        XCTAssertEqual(flagged.status, 6, flagged.stderr)
        XCTAssertTrue(flagged.stderr.contains("127.0.0.1") && flagged.stderr.contains("refused the connection"), flagged.stderr)
        // --sandbox on the command line still beats --base-url.
        let both = try smsh(["--profile", "staging", "--sandbox", "--base-url", "http://127.0.0.1:1", "-e", "print(sms.credit().balance)"])
        XCTAssertEqual(both.stdout, "10000.0\n", both.stderr)
    }

    // MARK: 12 — lua5.4's options and arg

    /// Prints `arg` from its lowest index (the interpreter, shown as INTERP) up, then `...`.
    static let dump = """
        local lo = 0
        while arg[lo - 1] ~= nil do lo = lo - 1 end
        local out = {}
        for i = lo, #arg do out[#out + 1] = i .. '=' .. (i == lo and 'INTERP' or tostring(arg[i])) end
        print(table.concat(out, ' '), select('#', ...), ...)
        """

    func testArgIsLaidOutExactlyAsLua54LaysItOut() throws {
        let dir = home.path
        try CommandLineCorrectnessTests.dump.write(toFile: dir + "/d.lua", atomically: true, encoding: .utf8)
        let forms: [([String], String?)] = [
            (["-e", CommandLineCorrectnessTests.dump], nil),
            (["d.lua", "a", "b"], nil),
            (["-e", "x = 1", "d.lua", "a", "-e", "b"], nil),
            (["--", "d.lua", "a"], nil),
            (["-W", "-E", "d.lua", "a"], nil),
            (["-eprint(arg[0] == arg[0])", "d.lua"], nil),
            (["-", "a", "b"], CommandLineCorrectnessTests.dump),
            (["-l", "string", "-e", "print(string == require('string'))", "d.lua", "z"], nil),
            (["-l", "g=string", "-e", "print(g.rep('ab', 2))"], nil),
            (["-e", "print(arg[0] ~= nil, arg[-1])"], nil),
            ([], CommandLineCorrectnessTests.dump),
            (["-E"], CommandLineCorrectnessTests.dump),
        ]
        for (args, stdin) in forms {
            let lua = try SmshProcess.run(executable: "/usr/bin/lua5.4", args, stdin: stdin, cwd: URL(fileURLWithPath: dir))
            let ours = try smsh(args, stdin: stdin)
            XCTAssertEqual(lua.status, 0, "lua5.4 \(args): \(lua.stderr)")
            XCTAssertEqual(ours.status, lua.status, "\(args): \(ours.stderr)")
            XCTAssertEqual(ours.stdout, lua.stdout, "smsh \(args)")
        }
        // argv[0] as invoked, at arg[0] with no script (as lua5.4: `lua5.4 nil`).
        let bare = try smsh(["-e", "print(arg[0], arg[-1])"])
        XCTAssertEqual(bare.stdout, SmshProcess.binary.path + "\tnil\n")
        // smsh's own options sit before the script like lua's.
        let options = try smsh(["--sandbox", "d.lua", "x"])
        XCTAssertEqual(options.stdout, "-2=INTERP -1=--sandbox 0=d.lua 1=x\t1\tx\n", options.stderr)
        let mixed = try smsh(["--sandbox", "-l", "g=string", "-e", "print(g.rep('-', 3))", "d.lua"])
        XCTAssertEqual(mixed.stdout, "---\n-6=INTERP -5=--sandbox -4=-l -3=g=string -2=-e -1=print(g.rep('-', 3)) 0=d.lua\t0\n", mixed.stderr)
    }

    func testVersionInteractiveAndMissingModule() throws {
        let v = try smsh(["-v"])
        XCTAssertEqual(v.status, 0, v.stderr)
        let lua = try SmshProcess.run(executable: "/usr/bin/lua5.4", ["-v"])
        XCTAssertTrue(v.stdout.hasPrefix(lua.stdout.trimmingCharacters(in: .newlines)), v.stdout)
        // -v with a script: the version, then the script.
        let vs = try smsh(["-v", "-e", "print('after')"])
        XCTAssertTrue(vs.stdout.hasPrefix("Lua 5.4") && vs.stdout.hasSuffix("after\n"), vs.stdout)
        // -i: the REPL after -e, in the same state (input piped: no prompt).
        let i = try smsh(["--sandbox", "-i", "-e", "x = 42"], stdin: "print(x + 1)\n")
        XCTAssertEqual(i.status, 0, i.stderr)
        XCTAssertTrue(i.stdout.contains("43"), i.stdout)
        // -W: warnings on, as lua5.4 prints them.
        XCTAssertEqual(try smsh(["-W", "-e", "warn('careful')"]).stderr, "Lua warning: careful\n")
        XCTAssertEqual(try smsh(["-e", "warn('careful')"]).stderr, "")
        let missing = try smsh(["-l", "no_such_module_xyz", "-e", "print('not reached')"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertEqual(missing.stdout, "")
        XCTAssertTrue(missing.stderr.hasPrefix("smsh: ") && missing.stderr.contains("module 'no_such_module_xyz' not found"), missing.stderr)
    }

    /// -E: LUA_PATH is not read (as lua5.4 -E).
    func testIgnoreEnvironmentOption() throws {
        let dir = home.path + "/mods"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try "return 'found'\n".write(toFile: dir + "/envmod.lua", atomically: true, encoding: .utf8)
        let env = ["LUA_PATH": dir + "/?.lua;;"]
        let code = "print((pcall(require, 'envmod')))"
        XCTAssertEqual(try smsh(["-e", code], env: env).stdout, "true\n")
        XCTAssertEqual(try smsh(["-E", "-e", code], env: env).stdout, "false\n")
        XCTAssertEqual(try SmshProcess.run(executable: "/usr/bin/lua5.4", ["-E", "-e", code], env: env).stdout, "false\n")
    }

    // MARK: 13 — one voice

    func testUsageErrorsSpeakAsSmsh() throws {
        for args in [["run", "--bogus", "x.lua"], ["send", "--bogus"], ["recipients"], ["--retries", "x", "credit"]] {
            let r = try smsh(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("smsh: "), "\(args): \(r.stderr)")
            XCTAssertFalse(r.stderr.contains("Error: "), r.stderr)
        }
    }

    func testNetworkFailuresAreNamedWithoutLibraryInternals() throws {
        let refused = try smsh(["--base-url", "http://127.0.0.1:1", "--retries", "0", "credit"], env: ["SMSH_API_KEY": "sk_live_x"])
        XCTAssertEqual(refused.status, 6, refused.stderr)
        XCTAssertTrue(refused.stderr.hasPrefix("smsh: NETWORK: "), refused.stderr)
        XCTAssertTrue(refused.stderr.contains("127.0.0.1") && refused.stderr.contains("refused the connection"), refused.stderr)
        XCTAssertEqual(refused.stderr.split(separator: "\n").count, 1, refused.stderr)
        let dns = try smsh(["--base-url", "http://no-such-host.invalid", "--retries", "0", "credit"], env: ["SMSH_API_KEY": "sk_live_x"])
        XCTAssertEqual(dns.status, 6, dns.stderr)
        XCTAssertTrue(dns.stderr.hasPrefix("smsh: NETWORK: DNS lookup of no-such-host.invalid failed"), dns.stderr)
        for r in [refused, dns] {
            for libraryText in ["errno", "error set", "NIOConnectionError", "IOError", "connection refused:", "HTTPClientError"] {
                XCTAssertFalse(r.stderr.contains(libraryText), r.stderr)
            }
        }
    }

    func testServeOnAPortInUseSaysSoPlainly() throws {
        let server = try ServeProcess(apiKey: "sk_test_port", log: home.path + "/serve.log")
        defer { server.stop() }
        let port = String(server.baseURL.split(separator: ":").last ?? "")
        let r = try smsh(["serve", "--port", port])
        XCTAssertEqual(r.status, 2, r.stderr)
        XCTAssertEqual(r.stderr, "smsh: serve: cannot listen on 127.0.0.1:\(port): the port is already in use (choose another with --port, or --port 0 for any free one)\n")
    }

    func testConfigMessagesSayWhatIsWrong() throws {
        let config = home.path + "/.config/smsh/config.toml"
        // A world-readable config with no secret in it is fine.
        try "[profiles.prod]\napi_key_env = \"PROD_KEY\"\n".write(toFile: config, atomically: true, encoding: .utf8)
        chmod(config, 0o644)
        let fine = try smsh(["config", "show", "--profile", "prod"])
        XCTAssertEqual(fine.status, 0, fine.stderr)
        // A folder where config.toml should be is named as a folder.
        try FileManager.default.removeItem(atPath: config)
        try FileManager.default.createDirectory(atPath: config, withIntermediateDirectories: true)
        let folder = try smsh(["config", "show"])
        XCTAssertEqual(folder.status, 2, folder.stderr)
        XCTAssertTrue(folder.stderr.hasPrefix("smsh: ~/.config/smsh/config.toml is a folder, not a file"), folder.stderr)
        XCTAssertFalse(folder.stderr.contains("readable"), folder.stderr)
    }

    // MARK: 14 — help

    func testTopLevelHelpAndManPageShowEveryForm() throws {
        let help = try smsh(["--help"])
        XCTAssertEqual(help.status, 0, help.stderr)
        for form in ["smsh [options] [script [args...]]", "smsh [options] -e CODE", "smsh [options] - [args...]",
                     "smsh --sandbox [options]", "smsh COMMAND [options]", "[--after CURSOR | --all]", "[--sender S]"] {
            XCTAssertTrue(help.stdout.contains(form), "\(form) missing from:\n\(help.stdout)")
        }
        let man = try String(contentsOf: CommandLineCorrectnessTests.repository.appendingPathComponent("docs/smsh.1"), encoding: .utf8)
        let synopsis = man.components(separatedBy: ".SH SYNOPSIS")[1].components(separatedBy: ".SH DESCRIPTION")[0]
        XCTAssertFalse(synopsis.contains("<options>"), synopsis)
        XCTAssertTrue(synopsis.contains("\\fB\\-\\-sandbox\\fR"), synopsis)
        XCTAssertTrue(synopsis.contains("\\fB\\-e\\fR"), synopsis)
        XCTAssertTrue(synopsis.contains(".SY \"smsh credit\"\n[options]"), synopsis)
    }

    func testWaitHelpShowsEachDefaultOnce() throws {
        let r = try smsh(["wait", "--help"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout.components(separatedBy: "900").count - 1, 1, r.stdout)
        XCTAssertEqual(r.stdout.components(separatedBy: "default: 15").count - 1, 1, r.stdout)
        XCTAssertFalse(r.stdout.contains("900.0"), r.stdout)
        XCTAssertTrue(r.stdout.contains("exit 9"), r.stdout)
    }

    /// In every command's description, a line ends a sentence or the next word would not fit
    /// in 80 columns: no paragraph breaks mid-sentence.
    func testHelpParagraphsBreakOnlyAtSentencesOrTheEdge() throws {
        let commands = [[], ["run"], ["repl"], ["test"], ["serve"], ["config"], ["docs"], ["lint"], ["credit"], ["senders"],
                        ["send"], ["preview"], ["cancel"], ["messages"], ["message"], ["recipients"], ["wait"], ["trust"],
                        ["campaign"], ["sandbox"], ["sandbox", "reset"]]
        for command in commands {
            let r = try smsh(command + ["--help"], env: ["COLUMNS": "80"])
            XCTAssertEqual(r.status, 0, "\(command): \(r.stderr)")
            // An indented line (an example, a list entry) too long for 80 columns comes back at
            // the margin: such lines must fit.
            let all = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
            for (a, b) in zip(all, all.dropFirst()) where a.hasPrefix("  ") && !b.hasPrefix(" ") {
                XCTAssertFalse(b.first.map { $0.isLowercase || $0 == "-" || $0 == "[" || $0 == "(" } ?? false,
                               "smsh \(command.joined(separator: " ")): an indented line overflows:\n\(a)\n\(b)")
            }
            // The description: after OVERVIEW's abstract, up to USAGE.
            guard let start = r.stdout.range(of: "OVERVIEW:"), let end = r.stdout.range(of: "\nUSAGE:") else { continue }
            let lines = r.stdout[start.upperBound..<end.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            for (a, b) in zip(lines, lines.dropFirst()) {
                // Prose starts at the margin; lists and examples are indented.
                guard !a.hasPrefix(" "), !b.hasPrefix(" "), !a.isEmpty, let next = b.split(separator: " ").first else { continue }
                let ended = a.last.map { ".:!?)".contains($0) } ?? true
                XCTAssertTrue(ended || a.count + 1 + next.count >= 80, "smsh \(command.joined(separator: " ")): breaks mid-sentence:\n\(a)\n\(b)")
            }
        }
    }

    func testTestFilterMatchesTheReadmeExampleAndNoMatchFails() throws {
        let examples = CommandLineCorrectnessTests.repository
        let matching = try smsh(["test", "scripts/examples", "--filter", "low credit"], cwd: examples)
        XCTAssertEqual(matching.status, 0, matching.stdout + matching.stderr)
        XCTAssertTrue(matching.stdout.contains("1 success / 0 failures"), matching.stdout)
        let none = try smsh(["test", "scripts/examples", "--filter", "no test is named like this"], cwd: examples)
        XCTAssertEqual(none.status, 1, none.stdout + none.stderr)
        XCTAssertTrue(none.stderr.contains("smsh: test: no test matches --filter 'no test is named like this'"), none.stderr)
        let readme = try String(contentsOf: examples.appendingPathComponent("README.md"), encoding: .utf8)
        XCTAssertTrue(readme.contains("smsh test scripts/examples --filter \"low credit\""))
    }

    // MARK: 15 — scripts/test's summary

    func testScriptsTestCountsWhatXCTestRan() throws {
        let log = home.path + "/swift-test.log"
        try """
            Test Suite 'SmallTests' passed at 2026-12-06 10:00:00.000
            \t Executed 53 tests, with 0 failures (0 unexpected) in 1.0 (1.0) seconds
            Test Suite 'debug.xctest' passed at 2026-12-06 10:00:00.000
            \t Executed 709 tests, with 2 tests skipped and 0 failures (0 unexpected) in 100.0 (100.0) seconds
            Test Suite 'All tests' passed at 2026-12-06 10:00:00.000
            \t Executed 709 tests, with 2 tests skipped and 0 failures (0 unexpected) in 100.0 (100.0) seconds

            """.write(toFile: log, atomically: true, encoding: .utf8)
        let script = CommandLineCorrectnessTests.repository.appendingPathComponent("scripts/xctest-summary").path
        XCTAssertEqual(try SmshProcess.run(executable: script, [log]).stdout, "709 2 0\n")
        try """
            Test Suite 'All tests' failed at 2026-12-06 10:00:00.000
            \t Executed 1 test, with 1 failure (0 unexpected) in 0.1 (0.1) seconds

            """.write(toFile: log, atomically: true, encoding: .utf8)
        XCTAssertEqual(try SmshProcess.run(executable: script, [log]).stdout, "1 0 1\n")
        let test = try String(contentsOf: CommandLineCorrectnessTests.repository.appendingPathComponent("scripts/test"), encoding: .utf8)
        XCTAssertTrue(test.contains("scripts/xctest-summary \"$log\""))
        XCTAssertTrue(test.contains("$swift_skipped skipped"))
    }
}
