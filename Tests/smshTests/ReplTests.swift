import Foundation
import XCTest

/// The REPL, driven through a real pseudo-terminal.
final class ReplTests: XCTestCase {
    var stateHome: String!

    override func setUpWithError() throws {
        stateHome = "/tmp/smsh-state-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: stateHome, withIntermediateDirectories: true)
    }

    func session(_ args: String = "--sandbox", env: [String: String] = [:]) throws -> TerminalSession {
        var environment = ["XDG_STATE_HOME": stateHome!, "NO_COLOR": "1"]
        for (k, v) in env { environment[k] = v }
        let t = try TerminalSession(command: args, environment: environment)
        try t.waitFor("the prompt") { $0.contains("]>") || $0.contains("smsh>") || $0.contains(")>") }
        return t
    }

    func testExpressionsPrintAndCompletionOfModuleFields() throws {
        let t = try session()
        try t.type("sms.cre")
        try t.press("Tab")
        try t.waitFor("completion to sms.credit") { $0.contains("> sms.credit") }
        try t.enter("()")
        try t.waitFor("the balance") { $0.contains("balance = 10000.0") && $0.contains("currency = \"credits\"") }
        try t.type("sms.send{se")
        try t.press("Tab")
        try t.waitFor("field completion") { $0.contains("sms.send{sender=") }
    }

    func testMultiLineChunkContinuesOnTheSecondaryPrompt() throws {
        let t = try session()
        try t.enter("for i = 1, 3 do")
        try t.waitFor("the >> prompt") { $0.contains("\n>>") }
        try t.enter("print(i * 10)")
        try t.enter("end")
        try t.waitFor("the loop's output") { $0.contains("10\n20\n30") }
    }

    func testHistoryIsRecalledInTheNextSessionAndSecretsAreNotStored() throws {
        do {
            let t = try session()
            try t.enter("answer = 6 * 7")
            try t.enter("key = 'sk_live_abcdef'")
            try t.press("C-d")
            try t.waitFor("exit", timeout: 10) { _ in !t.isRunning }
        }
        let file = stateHome + "/smsh/history"
        let attributes = try FileManager.default.attributesOfItem(atPath: file)
        XCTAssertEqual((attributes[.posixPermissions] as? NSNumber)?.intValue, 0o600)
        let stored = try String(contentsOfFile: file, encoding: .utf8)
        XCTAssertTrue(stored.contains("answer = 6 * 7"))
        XCTAssertFalse(stored.contains("sk_live_abcdef"))

        let t2 = try session()
        try t2.press("Up")
        try t2.waitFor("the recalled line") { $0.contains("> answer = 6 * 7") }
        try t2.press("Enter")
        try t2.enter("answer")
        try t2.waitFor("the result") { $0.contains("\n42") }
    }

    func testCtrlCInterruptsALongWaitAndTheREPLSurvives() throws {
        let t = try session()
        try t.enter(#"r = sms.send{sender = "SMSHDEMO", content = "x", msisdns = {"0812345678"}, scheduledTime = os.time() + 864000}"#)
        try t.enter("sms.wait(r.uuid, {timeout = 1e12, interval = 1})")
        usleep(500_000)
        try t.press("C-c")
        try t.waitFor("the interruption") { $0.contains("INTERRUPTED: sms.wait: interrupted") }
        try t.enter("while true do end")
        usleep(300_000)
        try t.press("C-c")
        try t.waitFor("the second interruption") { $0.contains("interrupted!") }
        try t.enter("print('still ' .. 'alive')")
        try t.waitFor("the REPL to answer") { $0.contains("still alive") }
    }

    func testCtrlCAtThePromptClearsTheLine() throws {
        let t = try session()
        try t.type("this is not lua")
        try t.press("C-c")
        try t.enter("print('fresh')")
        try t.waitFor("a fresh line") { $0.contains("\nfresh") }
        XCTAssertTrue(t.isRunning)
    }

    func testColourOnATerminalUnlessNoColor() throws {
        let coloured = try session(env: ["NO_COLOR": ""])
        try coloured.enter("{1, 'a'}")
        try coloured.waitFor("coloured output", escapes: true) { $0.contains("\u{1B}[") && $0.contains("1") }
        let plain = try session()
        try plain.enter("{7, 'zz'}")
        let screen = try plain.waitFor("plain output", escapes: true) { $0.contains("{ 7, \"zz\" }") }
        XCTAssertFalse(screen.split(separator: "\n").first { $0.contains("{ 7") }?.contains("\u{1B}[3") ?? true)
    }

    func testPipedInputRunsAsAScript() throws {
        let ok = try SmshProcess.run(["--sandbox"], stdin: "print(1 + 1)\nprint(sms.normalize('0812345678'))\n")
        XCTAssertEqual(ok.status, 0, ok.stderr)
        XCTAssertEqual(ok.stdout, "2\n66812345678\n")
        XCTAssertFalse(ok.stdout.contains("smsh>"))
        let bad = try SmshProcess.run([], stdin: "print('before')\nerror('stop here')\n")
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stdout, "before\n")
        XCTAssertTrue(bad.stderr.contains("stop here"))
    }

    func testHelpListsModulesAndShowsDocStrings() throws {
        let t = try session()
        try t.enter("help(sms.send)")
        try t.waitFor("the doc string") { $0.contains("sms.send{sender=") && $0.contains("Example:") }
        try t.enter(":help")
        try t.waitFor("REPL commands") { $0.contains(":sandbox") && $0.contains(":quit") }
    }
    /// `:sandbox` from a live session keeps every global and says so.
    func testSandboxSwitchKeepsGlobals() throws {
        let t = try session("", env: ["SMSH_API_KEY": "", "SMSH_PROFILE": "", "SMSH_BASE_URL": "", "XDG_CONFIG_HOME": stateHome + "/config"])
        try t.enter("x = 1")
        try t.enter(":sandbox")
        try t.waitFor("the switch message") { $0.contains("now using the sandbox") && $0.contains("(globals kept)") }
        try t.waitFor("the sandbox prompt") { $0.contains("smsh[sandbox]>") }
        try t.enter("print(x + 41 .. '|' .. sms.credit().balance)")
        try t.waitFor("the kept global and the sandbox's answer") { $0.contains("\n42|10000.0") }
        try t.enter(":sandbox")
        try t.waitFor("no second switch") { $0.contains("already using the sandbox; nothing changed") }
        try t.enter("print('x is ' .. x)")
        try t.waitFor("x still there") { $0.contains("x is 1") }
    }

    /// `:profile NAME` points `sms` at that profile's API, keeps globals, and once-keys
    /// follow the target: a key used in the sandbox sends again against the served API.
    func testProfileSwitchChangesTheTargetAndTheOnceScope() throws {
        let server = try ServeProcess(apiKey: "sk_test_repl", log: stateHome + "/serve.log")
        defer { server.stop() }
        let configDir = stateHome + "/config/smsh"
        try FileManager.default.createDirectory(atPath: configDir, withIntermediateDirectories: true)
        try "[profiles.local]\nbase_url = \"\(server.baseURL)\"\napi_key_env = \"REPL_SMS_KEY\"\n"
            .write(toFile: configDir + "/config.toml", atomically: true, encoding: .utf8)
        chmod(configDir + "/config.toml", 0o600)
        let t = try session("--sandbox", env: ["XDG_CONFIG_HOME": stateHome + "/config", "REPL_SMS_KEY": "sk_test_repl",
                                               "SMSH_API_KEY": "", "SMSH_PROFILE": "", "SMSH_BASE_URL": ""])
        try t.enter(#"function hi() return sms.send{sender = "SMSHDEMO", content = "hi", msisdns = {"0812345678"}, once = "k"} end"#)
        try t.enter("x = 1 hi() print('sandbox|' .. sms.credit().balance) sms.sleep(3 * 366 * 86400)")
        try t.waitFor("the sandbox send") { $0.contains("sandbox|9999.0") }
        try t.enter(":profile local")
        try t.waitFor("the switch message") { $0.contains("now using profile local: \(server.baseURL) (globals kept)") }
        try t.waitFor("the profile's prompt") { $0.contains("smsh(local)>") }
        try t.enter("print('served|' .. x .. '|' .. sms.credit().balance)")
        try t.waitFor("the served API's balance") { $0.contains("served|1|10000.0") }
        // Real time again: os.time() and log lines no longer follow the sandbox's virtual clock.
        let year = Calendar(identifier: .gregorian).component(.year, from: Date())
        try t.enter("log.info('real ' .. os.date('!%Y'))")
        try t.waitFor("a log line stamped with real time") { $0.contains("Z INFO  real \(year)") && $0.contains("\n\(year)-") }
        try t.enter("hi() print('after|' .. sms.credit().balance)")
        try t.waitFor("the once-key sent again on the new target") { $0.contains("after|9999.0") }
        try t.enter(":profile nosuch")
        // Named as typed at the prompt, not as a --profile flag nobody gave.
        try t.waitFor("an unknown profile refused") {
            $0.contains("smsh: unknown profile 'nosuch' (from :profile)") && !$0.contains("--profile") && $0.contains("smsh(local)>")
        }
        try t.enter("print('still|' .. x)")
        try t.waitFor("the session unchanged") { $0.contains("still|1") }
    }
    /// Earlier history lines, newest last, as the history file stores them.
    func writeHistory(_ lines: [String]) throws {
        try FileManager.default.createDirectory(atPath: stateHome + "/smsh", withIntermediateDirectories: true)
        try (lines.joined(separator: "\n") + "\n").write(toFile: stateHome + "/smsh/history", atomically: true, encoding: .utf8)
    }

    /// The screen line holding the prompt being typed at, without the attribute resets
    /// `capture-pane -e` ends a line with.
    func promptLine(_ screen: String) -> String {
        var line = screen.split(separator: "\n").last { $0.contains("]> ") }.map(String.init) ?? ""
        for reset in ["\u{1B}[49m", "\u{1B}[39m", "\u{1B}[0m"] where line.hasSuffix(reset) { line.removeLast(reset.count) }
        return line
    }

    /// Fish-style suggestions: the rest of the newest matching history line shows dim after
    /// the cursor and follows each key; Enter runs only what was typed; Right (and Ctrl-F)
    /// takes the suggestion.
    func testHistorySuggestionShowsDimAndRightAcceptsIt() throws {
        try writeHistory(["print('older ' .. 1)", "answer = 6 * 7", "print('hello ' .. 'world')"])
        let t = try session()
        try t.type("prin")
        try t.waitFor("the dim suggestion", escapes: true) { self.promptLine($0).hasSuffix("> prin\u{1B}[2mt('hello ' .. 'world')") }
        try t.type("t('o")
        try t.waitFor("the suggestion following the typed text", escapes: true) {
            self.promptLine($0).hasSuffix("> print('o\u{1B}[2mlder ' .. 1)")
        }
        try t.type("x")
        try t.waitFor("no suggestion once nothing matches", escapes: true) { self.promptLine($0).hasSuffix("> print('ox") }
        try t.press("C-u")
        try t.type("ans")
        try t.waitFor("the answer suggestion", escapes: true) { self.promptLine($0).hasSuffix("> ans\u{1B}[2mwer = 6 * 7") }
        try t.press("Enter")
        // Only "ans" ran: an unset global.
        try t.waitFor("the typed text alone evaluated") { $0.contains("> ans\nnil\n") }
        try t.type("print('h")
        try t.waitFor("the hello suggestion", escapes: true) { self.promptLine($0).hasSuffix("> print('h\u{1B}[2mello ' .. 'world')") }
        try t.press("Right")
        try t.waitFor("the suggestion taken", escapes: true) {
            let line = self.promptLine($0)
            return line.hasSuffix("> print('hello ' .. 'world')") && !line.contains("\u{1B}[2m")
        }
        try t.press("Enter")
        try t.waitFor("the whole line run") { $0.contains("\nhello world\n") }
        try t.type("answer =")
        try t.press("C-f")
        try t.enter(" + 1")
        try t.enter("answer")
        try t.waitFor("Ctrl-F took the suggestion too") { $0.contains("\n43\n") }
    }

    /// A line holding a secret is never suggested (nor recalled) later in the same session.
    func testALineWithASecretIsNeverSuggested() throws {
        let t = try session()
        try t.enter("token = 'sk_live_abcdef'")
        try t.enter("token2 = 1")
        try t.type("token =")
        try t.waitFor("the typed text") { self.promptLine($0).hasSuffix("> token =") }
        usleep(300_000)
        let line = promptLine(try t.screen(escapes: true))
        XCTAssertFalse(line.contains("sk_live") || line.contains("\u{1B}[2m"), line)
        try t.press("C-u")
        try t.press("Up")
        try t.waitFor("the newest storable line recalled") { self.promptLine($0).hasSuffix("> token2 = 1") }
        try t.press("Up")
        usleep(300_000)
        XCTAssertFalse(self.promptLine(try t.screen()).contains("sk_live"))
    }

    func testHintsFalseInTheProfileShowsNoSuggestion() throws {
        try writeHistory(["print('hello ' .. 'world')"])
        let configDir = stateHome + "/config/smsh"
        try FileManager.default.createDirectory(atPath: configDir, withIntermediateDirectories: true)
        try "default_profile = \"quiet\"\n[profiles.quiet]\nsandbox = true\nhints = false\n"
            .write(toFile: configDir + "/config.toml", atomically: true, encoding: .utf8)
        chmod(configDir + "/config.toml", 0o600)
        let t = try session("", env: ["XDG_CONFIG_HOME": stateHome + "/config", "SMSH_PROFILE": ""])
        try t.type("prin")
        try t.waitFor("the typed text") { $0.contains("smsh(quiet)[sandbox]> prin") }
        usleep(500_000)
        let screen = try t.screen(escapes: true)
        XCTAssertTrue(promptLine(screen).hasSuffix("> prin"), screen)
        XCTAssertFalse(screen.contains("hello"), screen)
        try t.press("Right")
        try t.enter("t(1 + 1)")
        try t.waitFor("the typed line run") { $0.contains("> print(1 + 1)\n2\n") }
    }

    /// Declining a confirmation is an answer: one line, no traceback, credits as people say them.
    func testDecliningAConfirmationIsOneLine() throws {
        let configDir = stateHome + "/config/smsh"
        try FileManager.default.createDirectory(atPath: configDir, withIntermediateDirectories: true)
        try "default_profile = \"ask\"\n[profiles.ask]\nsandbox = true\nconfirm_recipients = 0\n"
            .write(toFile: configDir + "/config.toml", atomically: true, encoding: .utf8)
        let t = try session("", env: ["XDG_CONFIG_HOME": stateHome + "/config", "SMSH_PROFILE": ""])
        try t.enter(#"sms.send{sender = "SMSHDEMO", content = "hi", msisdns = {"0812345678"}}"#)
        try t.waitFor("the question") { $0.contains("send to 1 recipient, 1 part, 1 credit? [y/N]") }
        try t.enter("n")
        try t.waitFor("the refusal") { $0.contains("smsh: CANCELLED: sms.send: not confirmed; nothing was sent") }
        try t.enter("print('after')")
        try t.waitFor("the prompt again") { $0.contains("\nafter\n") }
        let screen = try t.screen()
        XCTAssertFalse(screen.contains("traceback"), screen)
        XCTAssertFalse(screen.contains("1 credits"), screen)
    }

    /// `smsh -i script`: lua5.4's -i, the REPL after the script in the same state, the version first.
    func testInteractiveOptionOpensTheREPLAfterTheScript() throws {
        let t = try session("--sandbox -i -e 'x = 41'")
        try t.waitFor("the version line") { $0.contains("Lua 5.4") && $0.contains("(smsh ") }
        try t.enter("x + 1")
        try t.waitFor("the script's global") { $0.contains("\n42\n") }
    }

    /// `smsh send` on a terminal asks too; declining is one line and exit 1, no traceback.
    func testDecliningSmshSendIsOneLineAndExit1() throws {
        let configDir = stateHome + "/config/smsh"
        try FileManager.default.createDirectory(atPath: configDir, withIntermediateDirectories: true)
        try "default_profile = \"ask\"\n[profiles.ask]\nsandbox = true\nconfirm_recipients = 0\n"
            .write(toFile: configDir + "/config.toml", atomically: true, encoding: .utf8)
        let t = try TerminalSession(command: "send --sender SMSHDEMO --text hi --to 0812345678",
                                    environment: ["XDG_STATE_HOME": stateHome!, "XDG_CONFIG_HOME": stateHome + "/config", "NO_COLOR": "1",
                                                  "SMSH_PROFILE": "", "SMSH_API_KEY": "", "SMSH_BASE_URL": ""])
        try t.waitFor("the question") { $0.contains("send to 1 recipient, 1 part, 1 credit? [y/N]") }
        try t.enter("n")
        try t.waitFor("the exit") { $0.contains("[smsh exited 1]") }
        let lines = try t.screen().split(separator: "\n").map(String.init)
        let after = lines.drop { !$0.contains("[y/N]") }.dropFirst()
        XCTAssertEqual(after.first, "smsh: CANCELLED: smsh send: not confirmed; nothing was sent", lines.joined(separator: "\n"))
        XCTAssertEqual(after.dropFirst().first, "[smsh exited 1]", lines.joined(separator: "\n"))
    }
}
