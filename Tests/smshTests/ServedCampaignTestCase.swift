import Foundation
import XCTest

/// What the campaign tests against `smsh serve` share: a scratch folder with a 50-row
/// `contacts.csv` (10 distinct texts, 5 rows each, distinct numbers), a fresh server, the
/// environment that points smsh at it, and ways to look at the journal and the server.
class ServedCampaignTestCase: XCTestCase {
    var dir: String!
    var base = ""
    /// Each suite's own key (and scratch folder name), so parallel runs never meet.
    class var apiKey: String { "sk_test_campaign" }

    override func setUpWithError() throws {
        dir = "/tmp/smsh-\(Self.apiKey.dropFirst("sk_test_".count))-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        let server = try ServeProcess(apiKey: Self.apiKey, log: dir + "/serve.log")
        addTeardownBlock { server.stop() }
        base = server.baseURL
        var csv = "phone,name,group\n"
        for i in 0..<50 { csv += "08123456\(String(format: "%02d", i)),N\(i),g\(i % 10)\n" }
        try csv.write(toFile: dir + "/contacts.csv", atomically: true, encoding: .utf8)
    }

    override func tearDownWithError() throws { try? FileManager.default.removeItem(atPath: dir) }

    func env(_ extra: [String: String] = [:]) -> [String: String] {
        var e = ["SMSH_API_KEY": Self.apiKey, "SMSH_BASE_URL": base, "XDG_STATE_HOME": dir + "/state",
                 "XDG_CONFIG_HOME": dir + "/config", "SMSH_PROFILE": ""]
        for (k, v) in extra { e[k] = v }
        return e
    }

    /// Starts smsh with `arguments` in the background, its output dropped.
    func start(_ arguments: [String], env extra: [String: String] = [:]) throws -> Process {
        let p = Process()
        p.executableURL = SmshProcess.binary
        p.arguments = arguments
        p.environment = ProcessInfo.processInfo.environment.merging(env(extra)) { $1 }
        p.standardOutput = FileHandle.nullDevice
        p.standardError = FileHandle.nullDevice
        try p.run()
        return p
    }

    /// Journal lines of the campaign's keys in `state` (done / intent / failed).
    func journal(_ key: String, _ state: String) throws -> Int {
        try SmshProcess.run(["journal", "list"], env: env()).stdout
            .split(separator: "\n").filter { $0.hasPrefix(key + "/") && $0.contains("\t" + state) }.count
    }

    /// Every message's text on the server, sorted.
    func serverTexts() throws -> [String] {
        let r = try SmshProcess.run(["-e", """
            local p = sms.messages{limit = 100}
            for _, m in ipairs(p.data) do print(m.content) end
            """], env: env())
        XCTAssertEqual(r.status, 0, r.stderr)
        return r.stdout.split(separator: "\n").map(String.init).sorted()
    }
}
