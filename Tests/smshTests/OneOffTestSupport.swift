import Foundation
import XCTest

/// What the one-off command tests share: `smsh serve` on a free port with its own state
/// folder, the built binary run against it, and the simulator's admin endpoints (read with
/// curl, as a person would check them).
class OneOffTestCase: XCTestCase {
    var state: String!
    var base = ""
    let apiKey = "sk_test_oneoff"

    override func setUpWithError() throws {
        state = "/tmp/smsh-oneoff-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let server = try ServeProcess(apiKey: apiKey, log: state + "/serve.log")
        addTeardownBlock { server.stop() }
        base = server.baseURL
    }

    /// The environment of a command against the server (fresh state and config folders).
    var env: [String: String] {
        ["SMSH_API_KEY": apiKey, "SMSH_BASE_URL": base, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state + "/config"]
    }

    /// Runs `smsh ARGS` against the server (or with --sandbox in `args`, in process).
    func smsh(_ args: [String], env extra: [String: String] = [:], cwd: URL? = nil) throws -> SmshProcess.Result {
        var e = env
        for (k, v) in extra { e[k] = v }
        return try SmshProcess.run(args, env: e, cwd: cwd)
    }

    /// `GET`/`POST` of an admin endpoint, its JSON answer.
    func admin(_ path: String, post body: String? = nil) throws -> [String: Any] {
        let out = state + "/admin-\(UUID().uuidString.prefix(6)).json"
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        var args = ["curl", "-fsS", "-o", out]
        if let body { args += ["-X", "POST", "-H", "content-type: application/json", "-d", body] }
        p.arguments = args + [base + path]
        try p.run()
        p.waitUntilExit()
        let data = try Data(contentsOf: URL(fileURLWithPath: out))
        return (try JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }

    /// Sends that created a message on the server.
    func acceptedSends() throws -> Int { (try admin("/_sim/stats")["acceptedSends"] as? Int) ?? -1 }

    /// stdout as one JSON object (fails the test when it is not one).
    func object(_ r: SmshProcess.Result, file: StaticString = #filePath, line: UInt = #line) -> [String: Any] {
        guard let o = try? JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] else {
            XCTFail("not a JSON object: \(r.stdout)\nstderr: \(r.stderr)", file: file, line: line)
            return [:]
        }
        return o
    }

    /// A file in the test's state folder.
    func write(_ name: String, _ text: String) throws -> String {
        let path = state + "/" + name
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    /// RFC 4180 rows (quoted fields with commas, doubled quotes, CRLF) for checking -o csv:
    /// a reader independent of smsh's writer.
    static func csvRows(_ text: String) -> [[String]] {
        var rows: [[String]] = [], row: [String] = [], field = "", quoted = false
        var chars = Array(text.unicodeScalars)[...]
        while let c = chars.popFirst() {
            if quoted {
                if c == "\"" {
                    if chars.first == "\"" { field.unicodeScalars.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" { quoted = true
            } else if c == "," { row.append(field); field = ""
            } else if c == "\r" { continue
            } else if c == "\n" { row.append(field); rows.append(row); row = []; field = ""
            } else { field.unicodeScalars.append(c) }
        }
        if !field.isEmpty || !row.isEmpty { row.append(field); rows.append(row) }
        return rows
    }
}
