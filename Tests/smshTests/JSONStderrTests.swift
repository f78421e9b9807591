import Foundation
import XCTest

/// `--log-format json`: every line smsh writes to stderr is one JSON object (`time`, `level`,
/// `msg`, and `code`, `status`, `traceback`, ... as the case has them), for log shippers
/// reading a cron job's stderr. Each case runs the built binary.
final class JSONStderrTests: XCTestCase {
    var home: String!

    var scratch: ScratchHome!

    override func setUpWithError() throws {
        scratch = try ScratchHome(tag: "jse", config: "smsh/plugins")
        home = scratch.path
    }

    override func tearDownWithError() throws {
        scratch.remove()
    }

    func env(_ extra: [String: String] = [:]) -> [String: String] {
        scratch.env(extra)
    }

    /// Runs `smsh run --log-format json ARGS` and returns its stderr as JSON objects, failing
    /// on any line that is not one.
    @discardableResult
    func jsonLines(_ args: [String], status: Int32, env extra: [String: String] = [:],
                   file: StaticString = #filePath, line: UInt = #line) throws -> [[String: Any]] {
        let r = try SmshProcess.run(["run", "--log-format", "json"] + args, env: env(extra), cwd: URL(fileURLWithPath: home))
        XCTAssertEqual(r.status, status, r.stderr, file: file, line: line)
        let lines = r.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        XCTAssertFalse(lines.isEmpty, "smsh said something on stderr", file: file, line: line)
        XCTAssertTrue(r.stderr.hasSuffix("\n"), r.stderr, file: file, line: line)
        return lines.compactMap { text in
            let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            XCTAssertNotNil(object, "not one JSON object: \(text)", file: file, line: line)
            if let object {
                XCTAssertNotNil(object["time"] as? String, String(text), file: file, line: line)
                XCTAssertNotNil(object["level"] as? String, String(text), file: file, line: line)
                XCTAssertNotNil(object["msg"] as? String, String(text), file: file, line: line)
            }
            return object
        }
    }

    func testAnUncaughtErrorIsOneObjectWithItsTraceback() throws {
        let lines = try jsonLines(["--sandbox", "-e", "local function f() error('boom') end f()"], status: 1)
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines.first?["level"] as? String, "error")
        XCTAssertEqual(lines.first?["msg"] as? String, "(command line):1: boom")
        XCTAssertTrue((lines.first?["traceback"] as? String ?? "").contains("in local 'f'"), "\(lines)")

        let smsError = try jsonLines(["--sandbox", "-e", "sms.send{msisdns = {'0812345678'}, content = 'hi'}"], status: 1)
        XCTAssertEqual(smsError.first?["code"] as? String, "INVALID_ARGUMENT")

        let syntax = try jsonLines(["--sandbox", "-e", "x = = 1"], status: 1)
        XCTAssertTrue((syntax.first?["msg"] as? String ?? "").contains("unexpected symbol"), "\(syntax)")
    }

    func testAnAPIErrorCarriesCodeAndStatus() throws {
        // A wrong key against the real simulator server: 401.
        let server = try ServeProcess(apiKey: "sk_test_right", log: home + "/serve.log")
        addTeardownBlock { server.stop() }
        let lines = try jsonLines(["--retries", "0", "-e", "sms.credit()"], status: 7,
                                  env: ["SMSH_BASE_URL": server.baseURL, "SMSH_API_KEY": "sk_test_wrong"])
        XCTAssertEqual(lines.first?["code"] as? String, "UNAUTHORIZED")
        XCTAssertEqual(lines.first?["status"] as? Int, 401)
    }

    func testSetupErrors() throws {
        let noKey = try jsonLines(["-e", "sms.credit()"], status: 1)
        XCTAssertEqual(noKey.first?["code"] as? String, "NO_API_KEY")

        let cassette = try jsonLines(["--sandbox", "--record", "/nonexistent/x.json", "-e", "print(1)"], status: 1)
        XCTAssertEqual(cassette.first?["code"] as? String, "CASSETTE_IO")

        let config = home + "/.config/smsh/config.toml"
        FileManager.default.createFile(atPath: config, contents: Data("[profiles.a]\nretries = \"x\"\n".utf8))
        chmod(config, 0o600)
        let badConfig = try jsonLines(["--profile", "a", "-e", "print(1)"], status: 2)
        XCTAssertEqual(badConfig.first?["code"] as? String, "CONFIG")
        XCTAssertTrue((badConfig.first?["msg"] as? String ?? "").contains("'retries' in [profiles.a]"), "\(badConfig)")
        unlink(config)

        FileManager.default.createFile(atPath: home + "/.config/smsh/plugins/broken.lua", contents: Data("x = = 1".utf8))
        let plugin = try jsonLines(["--sandbox", "-e", "print(1)"], status: 0)
        XCTAssertEqual(plugin.first?["code"] as? String, "PLUGIN")

        // Checked before the run starts (exit 2, nothing run), as --record is.
        let summary = try jsonLines(["--sandbox", "--no-plugins", "--summary", "/nonexistent/s.json", "-e", "print(1)"], status: 2)
        XCTAssertEqual(summary.first?["code"] as? String, "SUMMARY_IO")
    }

    func testAUsageErrorIsOneObject() throws {
        let lines = try jsonLines(["--retries=-1", "-e", "print(1)"], status: 2)
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines.first?["code"] as? String, "USAGE")
        XCTAssertTrue((lines.first?["msg"] as? String ?? "").contains("--retries"), "\(lines)")
    }

    func testTheDryRunPlanIsOneObject() throws {
        let lines = try jsonLines(["--sandbox", "--dry-run", "-e",
                                   "sms.send{sender = 'SMSHDEMO', msisdns = {'0812345678'}, content = 'hi'}"], status: 0)
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines.first?["level"] as? String, "info")
        XCTAssertTrue((lines.first?["plan"] as? String ?? "").contains("1 send(s) would have been made"), "\(lines)")
    }

    func testALockRefusalIsOneObject() throws {
        let holder = Process()
        holder.executableURL = SmshProcess.binary
        holder.arguments = ["run", "--lock", "jsonlock", "-e", "io.read()"]
        var full = ProcessInfo.processInfo.environment
        for (k, v) in env() { full[k] = v }
        holder.environment = full
        holder.standardOutput = FileHandle.nullDevice
        holder.standardError = FileHandle.nullDevice
        let input = Pipe()  // never written: io.read() keeps the holder running
        holder.standardInput = input
        try holder.run()
        defer {
            kill(holder.processIdentifier, SIGKILL)
            holder.waitUntilExit()
        }
        let lockFile = home + "/state/smsh/locks/jsonlock.lock"
        for _ in 0..<200 where !(((try? String(contentsOfFile: lockFile, encoding: .utf8)) ?? "").contains("\(holder.processIdentifier)")) {
            usleep(50_000)
        }
        let lines = try jsonLines(["--lock", "jsonlock", "-e", "print(1)"], status: 4)
        XCTAssertEqual(lines.count, 1)
        XCTAssertEqual(lines.first?["code"] as? String, "LOCK_HELD")
        XCTAssertEqual(lines.first?["pid"] as? Int, Int(holder.processIdentifier))
    }
}
