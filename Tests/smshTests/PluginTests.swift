import Foundation
import XCTest

/// Plugins end to end: the shipped example plugin, loading order, failures that do not stop
/// smsh, `--no-plugins`, and the REPL (prompt with the profile, `:help`, a plugin command).
final class PluginTests: XCTestCase {
    var home: String!
    var pluginDir: String { home + "/.config/smsh/plugins" }
    var project: String { home + "/project" }

    override func setUpWithError() throws {
        home = "/tmp/smsh-plg-\(UUID().uuidString.prefix(8))"
        for d in [pluginDir, project + "/.smsh/plugins", home + "/state"] {
            try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        }
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: home)
    }

    var env: [String: String] {
        ["HOME": home!, "XDG_CONFIG_HOME": home + "/.config", "XDG_STATE_HOME": home + "/state",
         "SMSH_API_KEY": "", "SMSH_BASE_URL": "", "SMSH_PROFILE": ""]
    }

    static var examplePlugin: String {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("scripts/plugins/balance.lua").path
    }

    func installExample() throws {
        try FileManager.default.copyItem(atPath: PluginTests.examplePlugin, toPath: pluginDir + "/balance.lua")
    }

    func write(_ path: String, _ code: String) throws {
        try code.write(toFile: path, atomically: true, encoding: .utf8)
    }

    func smsh(_ args: [String]) throws -> SmshProcess.Result {
        try SmshProcess.run(args, env: env, cwd: URL(fileURLWithPath: project))
    }

    func testExamplePluginIsRequirableFromScripts() throws {
        try installExample()
        let r = try smsh(["--sandbox", "-e", #"local b = require "balance" print(b.low_credit(20000)) print(b.low_credit(5))"#])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "true\t10000.0\nfalse\t10000.0\n")
        XCTAssertEqual(r.stderr, "")
    }

    func testUserPluginsLoadBeforeProjectPluginsEachInNameOrder() throws {
        try write(pluginDir + "/b.lua", "io.write('user/b ') return {name = 'ub'}")
        try write(pluginDir + "/a.lua", "io.write('user/a ') return {name = 'ua'}")
        try write(project + "/.smsh/plugins/a.lua", "io.write('project/a ') return {name = 'pa'}")
        XCTAssertEqual(try smsh(["trust"]).status, 0)
        let r = try smsh(["--sandbox", "-e", "print(require('pa').name)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "user/a user/b project/a pa\n")
    }

    func testBrokenPluginIsReportedWithFileAndLineAndSmshGoesOn() throws {
        try installExample()
        try write(pluginDir + "/broken.lua", "local x = 1\nlocal = 2\n")
        try write(pluginDir + "/shape.lua", "-- no name\nreturn {version = '1'}\n")
        let r = try smsh(["--sandbox", "-e", "print(require('balance').name)"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "balance\n")
        let lines = r.stderr.split(separator: "\n").map(String.init)
        XCTAssertEqual(lines.count, 2, r.stderr)
        XCTAssertTrue(lines[0].hasPrefix("smsh: plugin ~/.config/smsh/plugins/broken.lua:2: "), lines[0])
        XCTAssertEqual(lines[1], "smsh: plugin ~/.config/smsh/plugins/shape.lua:2: 'name' must be a module name such as \"balance\" (got nil)")
    }

    func testNoPluginsSkipsThem() throws {
        try installExample()
        try write(pluginDir + "/broken.lua", "error('should not run')")
        let r = try smsh(["--sandbox", "--no-plugins", "-e", "print(pcall(require, 'balance'))"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("false"), r.stdout)
        XCTAssertEqual(r.stderr, "")
    }

    func testPipedInputLoadsPluginsToo() throws {
        try installExample()
        let r = try SmshProcess.run(["--sandbox"], stdin: "print(require('balance').version)\n", env: env, cwd: URL(fileURLWithPath: project))
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "1.0\n")
    }

    /// One terminal session: the prompt shows the profile, `:help` lists the plugin's command,
    /// completion knows it, it runs, and its error leaves the REPL alive; `:profile NAME`
    /// switches, and the new profile's sender and confirmation threshold apply.
    func testREPLPromptShowsProfileAndPluginCommandsWork() throws {
        try installExample()
        let config = home + "/.config/smsh/config.toml"
        try write(config, "default_profile = \"staging\"\n[profiles.staging]\nsandbox = true\n[profiles.other]\nsandbox = true\nsender = \"SMSHDEMO\"\nconfirm_recipients = 1\n")
        chmod(config, 0o600)
        var environment = env
        environment["NO_COLOR"] = "1"
        let t = try TerminalSession(command: "", environment: environment)
        try t.waitFor("the prompt with the profile") { $0.contains("smsh(staging)[sandbox]>") }
        try t.enter(":help")
        try t.waitFor("the plugin command in :help") { $0.contains(":balance") && $0.contains("credit balance; warns below a threshold") }
        try t.type(":bal")
        try t.press("Tab")
        try t.waitFor("completion of :bal") { $0.contains("> :balance") }
        try t.enter(" 20000")
        try t.waitFor("the command's output") { $0.contains("credit: 10000.0") && $0.contains("warning: below 20000 credits") }
        try t.enter(":balance lots")
        try t.waitFor("the command's error") { $0.contains(":balance: usage: :balance [threshold]") }
        try t.enter(":profile")
        try t.waitFor(":profile output") { $0.contains("profile: staging") && $0.contains("API: sandbox (built-in simulator)") }
        try t.enter("1 + 1")
        try t.waitFor("the REPL still evaluating") { $0.contains("\n2\n") }
        try t.enter(":profile other")
        try t.waitFor("the switched profile's prompt") { $0.contains("now using profile other: the sandbox (globals kept)") && $0.contains("smsh(other)[sandbox]>") }
        // The new profile's sender default and confirmation threshold (1 recipient) apply.
        try t.enter(#"r = sms.send{content = "hi", msisdns = {"0812345678", "0898765432"}}"#)
        try t.waitFor("the confirmation question") { $0.contains("send to 2 recipients, 1 part, 2 credits") && $0.contains("[y/N]") }
        try t.enter("n")
        try t.waitFor("the send refused") { $0.contains("not confirmed; nothing was sent") }
        XCTAssertTrue(t.isRunning)
    }
    /// `./.smsh/plugins` loads only after `smsh trust` there, and only while its files are
    /// as they were trusted; the script runs either way, with one line saying why and how.
    func testProjectPluginsLoadOnlyAfterTrustAndUntilChanged() throws {
        try write(pluginDir + "/u.lua", "io.write('user ') return {name = 'u'}")
        let plugin = project + "/.smsh/plugins/p.lua"
        try write(plugin, "io.write('project ') return {name = 'p'}")
        let real = try XCTUnwrap(realpath(project, nil).map { p in defer { free(p) }; return String(cString: p) })
        let script = ["--sandbox", "-e", "print(package.loaded.p ~= nil)"]

        let untrusted = try smsh(script)
        XCTAssertEqual(untrusted.status, 0, untrusted.stderr)
        XCTAssertEqual(untrusted.stdout, "user false\n")
        XCTAssertEqual(untrusted.stderr, "smsh: skipped the plugins in \(real)/.smsh/plugins (p.lua): this folder is not trusted; to load them, run: smsh trust \(real)\n")

        let trust = try smsh(["trust"])
        XCTAssertEqual(trust.status, 0, trust.stderr)
        XCTAssertEqual(trust.stdout, "trusted \(real)/.smsh/plugins as it is now:\n  p.lua\n")
        let trusted = try smsh(script)
        XCTAssertEqual(trusted.stdout, "user project true\n")
        XCTAssertEqual(trusted.stderr, "")
        XCTAssertEqual(try smsh(["trust", "--list"]).stdout, "\(real)\ttrusted\n")

        try write(plugin, "io.write('changed ') return {name = 'p'}")
        let changed = try smsh(script)
        XCTAssertEqual(changed.status, 0)
        XCTAssertEqual(changed.stdout, "user false\n")
        XCTAssertEqual(changed.stderr, "smsh: skipped the plugins in \(real)/.smsh/plugins (p.lua): they changed since `smsh trust`; check them, then run: smsh trust \(real)\n")
        XCTAssertEqual(try smsh(["trust", "--list"]).stdout, "\(real)\tchanged since trusted (skipped)\n")

        // Trusting by path from elsewhere, then revoking.
        XCTAssertEqual(try SmshProcess.run(["trust", project], env: env, cwd: URL(fileURLWithPath: home)).status, 0)
        XCTAssertEqual(try smsh(script).stdout, "user changed true\n")
        let revoke = try smsh(["trust", "--revoke"])
        XCTAssertEqual(revoke.stdout, "no longer trusted: \(real)\n")
        let revoked = try smsh(script)
        XCTAssertEqual(revoked.stdout, "user false\n")
        XCTAssertTrue(revoked.stderr.contains("this folder is not trusted"), revoked.stderr)
        XCTAssertEqual(try smsh(["trust", "--list"]).stdout, "no folder is trusted\n")
    }

    func testTrustRefusesBadInput() throws {
        let missing = try smsh(["trust", home + "/nowhere"])
        XCTAssertEqual(missing.status, 2)
        XCTAssertEqual(missing.stderr, "smsh: trust: no such folder: \(home!)/nowhere\n")
        let empty = try SmshProcess.run(["trust"], env: env, cwd: URL(fileURLWithPath: home))
        XCTAssertEqual(empty.status, 1)
        XCTAssertTrue(empty.stderr.contains("no plugins (*.lua) in"), empty.stderr)
        XCTAssertEqual(try smsh(["trust", "--list", "--revoke"]).status, 2)
        XCTAssertEqual(try smsh(["trust", "--bogus"]).status, 2)
    }
}
