import LuaHost
import SMSClient
import SMSLua
import SMSSimulator
import XCTest

/// Plugins loaded into a real Lua state with the `sms` module on the in-process simulator.
final class PluginLoaderTests: XCTestCase {
    var lua: LuaState!
    var environment: SMSEnvironment!
    var dir: String!

    override func setUpWithError() throws {
        let clock = VirtualClock(start: 1_795_953_000)
        let engine = SimulatorEngine(config: SimulatorConfig(), clock: clock)
        environment = SMSEnvironment(clock: clock) {
            SMSClient(transport: SimulatorTransport(engine: engine), apiKey: SimulatorConfig().apiKey, clock: clock)
        }
        lua = try LuaState()
        try lua.install(SMSModule(environment: environment))
        dir = "/tmp/smsh-plugins-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir + "/a", withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: dir + "/b", withIntermediateDirectories: true)
    }

    override func tearDownWithError() throws {
        try? FileManager.default.removeItem(atPath: dir)
    }

    @discardableResult
    func plugin(_ path: String, _ code: String) throws -> String {
        let full = dir + "/" + path
        try code.write(toFile: full, atomically: true, encoding: .utf8)
        return full
    }

    func loader(reserved: [String] = ["help", "quit"]) throws -> PluginLoader {
        try PluginLoader(lua: lua, reservedCommands: reserved)
    }

    func failures(_ files: [String], _ loader: PluginLoader) -> [String] {
        var out: [String] = []
        loader.loadAll(files) { out.append($0.description) }
        return out
    }

    // MARK: discovery

    func testFilesAreLuaFilesInNameOrderPerDirectoryUserFirst() throws {
        try plugin("a/zeta.lua", "")
        try plugin("a/alpha.lua", "")
        try plugin("a/notes.txt", "")
        try plugin("b/0first.lua", "")
        let files = PluginLoader.files(in: [dir + "/a", dir + "/b", dir + "/missing"])
        XCTAssertEqual(files, [dir + "/a/alpha.lua", dir + "/a/zeta.lua", dir + "/b/0first.lua"])
        XCTAssertEqual(PluginLoader.directories(configDirectory: "/c/smsh", workingDirectory: "/w"),
                       ["/c/smsh/plugins", "/w/.smsh/plugins"])
    }

    // MARK: loading

    func testPluginIsRequirableSetupGetsSmsOnceAndCommandsAreListed() throws {
        let file = try plugin("a/greet.lua", """
            local setups = 0
            return {
              name = "greet", version = "2.1",
              setup = function(sms) setups = setups + 1; _G.got_sms = (sms == require("sms")) end,
              hello = function(who) return "hello " .. who end,
              count = function() return setups end,
              commands = {
                hi = { help = "say hi", run = function(args) _G.ran = table.concat(args, ",") end },
                bye = { run = function() end },
              },
            }
            """)
        let l = try loader()
        XCTAssertEqual(failures([file], l), [])
        XCTAssertEqual(l.plugins, [PluginLoader.Plugin(name: "greet", version: "2.1", file: file)])
        XCTAssertEqual(l.commands.map(\.name), ["bye", "hi"])
        XCTAssertEqual(l.commands.first { $0.name == "hi" }?.help, "say hi")
        XCTAssertEqual(try lua.run("return require('greet').hello('op'), require('greet').count(), got_sms"),
                       [.string(Array("hello op".utf8)), .integer(1), .boolean(true)])
        XCTAssertTrue(try l.run(command: "hi", arguments: ["a", "b c"]))
        XCTAssertEqual(try lua.run("return ran"), [.string(Array("a,b c".utf8))])
        XCTAssertFalse(try l.run(command: "nope", arguments: []))
    }

    func testLoadingOrderIsFileOrder() throws {
        try plugin("a/b.lua", "order = (order or '') .. 'a/b '; return {name = 'pb'}")
        try plugin("a/a.lua", "order = (order or '') .. 'a/a '; return {name = 'pa'}")
        try plugin("b/a.lua", "order = (order or '') .. 'b/a '; return {name = 'pc'}")
        let l = try loader()
        XCTAssertEqual(failures(PluginLoader.files(in: [dir + "/a", dir + "/b"]), l), [])
        XCTAssertEqual(try lua.run("return order"), [.string(Array("a/a a/b b/a ".utf8))])
    }

    func testSyntaxErrorIsReportedWithFileAndLineAndOthersStillLoad() throws {
        let bad = try plugin("a/bad.lua", "local x = 1\nlocal y = = 2\nreturn {name = 'bad'}\n")
        let good = try plugin("a/good.lua", "return {name = 'good'}")
        let l = try loader()
        let f = failures([bad, good], l)
        XCTAssertEqual(f.count, 1)
        XCTAssertTrue(f[0].hasPrefix("plugin \(bad):2: "), f[0])
        XCTAssertEqual(l.plugins.map(\.name), ["good"])
    }

    func testRuntimeErrorAtLoadIsReportedWithItsLine() throws {
        let file = try plugin("a/boom.lua", "local t = {}\n\nerror('no config for boom')\n")
        let f = failures([file], try loader())
        XCTAssertEqual(f, ["plugin \(file):3: no config for boom"])
        XCTAssertEqual(try lua.run("return package.loaded.boom"), [.nil])
    }

    func testSetupErrorSkipsThePluginAndItsCommands() throws {
        let file = try plugin("a/s.lua", """
            return {
              name = "s",
              setup = function(sms)
                error("setup failed")
              end,
              commands = { s = { run = function() end } },
            }
            """)
        let l = try loader()
        XCTAssertEqual(failures([file], l), ["plugin \(file):4: setup failed"])
        XCTAssertEqual(l.commands, [])
        XCTAssertEqual(try lua.run("return package.loaded.s"), [.nil])
    }

    func testErrorValueWithoutPositionGetsTheLineFromTheTraceback() throws {
        let file = try plugin("a/t.lua", "local function f()\n  error({code = 'X'})\nend\nf()\nreturn {name = 't'}\n")
        let f = failures([file], try loader())
        XCTAssertEqual(f.count, 1)
        XCTAssertTrue(f[0].hasPrefix("plugin \(file):2: "), f[0])
    }

    func testBadShapesAreExplainedAtTheReturnLine() throws {
        let cases: [(String, String)] = [
            ("return 42", "a plugin must return a table {name =, version =, setup =, commands =} (it returned number)"),
            ("local x = 1", "a plugin must return a table {name =, version =, setup =, commands =} (it returned nothing)"),
            ("return {version = '1'}", "'name' must be a module name such as \"balance\" (got nil)"),
            ("return {name = 'x y'}", "'name' must be a module name such as \"balance\" (got \"x y\")"),
            ("return {name = 'v', version = 1}", "'version' must be a string such as \"1.0\" (got number)"),
            ("return {name = 'st', setup = 'no'}", "'setup' must be a function(sms) (got \"no\")"),
            ("return {name = 'sms'}", "the name 'sms' is already taken by a loaded module"),
            ("return {name = 'c1', commands = 3}", "'commands' must be a table {name = {help =, run = function(args) end}} (got number)"),
            ("return {name = 'c2', commands = {x = {help = 'h'}}}", "'commands.x.run' must be a function(args) (got nil)"),
            ("return {name = 'c3', commands = {x = {run = print, hlep = 'h'}}}", "'commands.x' has an unknown field \"hlep\" (expected help and run)"),
            ("return {name = 'c4', commands = {help = {run = print}}}", "the command :help is already defined by smsh itself"),
            ("return {name = 'c5', commands = {x = {run = print, help = 1}}}", "'commands.x.help' must be a string (got number)"),
        ]
        let l = try loader()
        for (i, (code, message)) in cases.enumerated() {
            let file = try plugin("a/shape\(i).lua", "-- shape \(i)\n" + code + "\n")
            let expectedLine = code.hasPrefix("return") ? 2 : 1
            XCTAssertEqual(l.load(file: file)?.description, "plugin \(file):\(expectedLine): \(message)", code)
        }
        XCTAssertEqual(l.plugins, [])
    }

    func testTwoPluginsCannotTakeTheSameNameOrCommand() throws {
        let first = try plugin("a/1.lua", "return {name = 'one', commands = {go = {run = print}}}")
        let again = try plugin("a/2.lua", "return {name = 'one'}")
        let clash = try plugin("a/3.lua", "return {name = 'three', commands = {go = {run = print}}}")
        let l = try loader()
        let f = failures([first, again, clash], l)
        XCTAssertEqual(f, ["plugin \(again):1: the name 'one' is already taken by a loaded module",
                           "plugin \(clash):1: the command :go is already defined by the plugin one"])
    }

    func testCommandErrorsAreLuaErrorsAndTheLoaderSurvives() throws {
        let file = try plugin("a/c.lua", "return {name = 'c', commands = {fail = {run = function(args) error('bad ' .. #args) end}}}")
        let l = try loader()
        XCTAssertNil(l.load(file: file))
        XCTAssertThrowsError(try l.run(command: "fail", arguments: ["x"])) { e in
            XCTAssertTrue((e as? LuaError)?.message.hasSuffix("bad 1") ?? false, "\(e)")
        }
        XCTAssertThrowsError(try l.run(command: "fail", arguments: []))
    }

    func testShebangLineIsSkippedAndLinesStillCount() throws {
        let file = try plugin("a/sh.lua", "#!/usr/bin/env smsh\nerror('line two')\n")
        XCTAssertEqual(try loader().load(file: file)?.description, "plugin \(file):2: line two")
    }

    func testDisplayNameIsUsedInMessages() throws {
        let file = try plugin("a/d.lua", "error('x')")
        let l = try loader()
        var seen: [String] = []
        l.loadAll([file], display: { _ in "~/.config/smsh/plugins/d.lua" }) { seen.append($0.description) }
        XCTAssertEqual(seen, ["plugin ~/.config/smsh/plugins/d.lua:1: x"])
    }

    func testExampleBalancePluginCommandAndLowCredit() throws {
        let example = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("scripts/plugins/balance.lua").path
        let l = try loader()
        XCTAssertNil(l.load(file: example))
        XCTAssertEqual(l.commands.map(\.name), ["balance"])
        XCTAssertEqual(try lua.run("return require('balance').low_credit(20000)"), [.boolean(true), .number(10000)])
        XCTAssertEqual(try lua.run("return require('balance').low_credit(50)"), [.boolean(false), .number(10000)])
        XCTAssertThrowsError(try l.run(command: "balance", arguments: ["lots"])) { e in
            XCTAssertEqual((e as? LuaError)?.message, "usage: :balance [threshold]  (got \"lots\")")
        }
    }
}
