import Foundation
import XCTest

/// `smsh serve --latency` and `--rate-limit`, end to end: the built binary as a distant,
/// rate-limited provider, read with curl.
final class ServeLatencyTests: XCTestCase {
    private var scratch: ScratchHome!
    private var server: ServeProcess?

    override func setUpWithError() throws {
        scratch = try ScratchHome(tag: "latency")
    }

    override func tearDown() {
        server?.stop()
        scratch?.remove()
        super.tearDown()
    }

    /// One request with curl: status, seconds, the Retry-After header and the body.
    private func curl(_ url: String, key: String? = "sk_test_latency", post body: String? = nil) throws -> (status: Int, seconds: Double, retryAfter: String, body: String) {
        var args = ["curl", "-sS", "-w", "\n%{http_code} %{time_total} [%header{retry-after}]"]
        if let key { args += ["-H", "x-api-key: \(key)"] }
        if let body { args += ["-X", "POST", "-H", "content-type: application/json", "-d", body] }
        let r = try SmshProcess.run(executable: "/usr/bin/env", args + [url])
        XCTAssertEqual(r.status, 0, r.stderr)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        let last = lines.last?.split(separator: " ") ?? []
        let retryAfter = last.count == 3 ? String(last[2].dropFirst().dropLast()) : "?"
        return (Int(last.first ?? "") ?? -1, Double(last.count > 1 ? last[1] : "") ?? -1, retryAfter,
                lines.dropLast().joined(separator: "\n"))
    }

    func testLatencyRateLimitAndStatsEndToEnd() throws {
        let log = scratch.path + "/serve.log"
        server = try ServeProcess(apiKey: "sk_test_latency", extra: ["--latency", "300", "--rate-limit", "1"], log: log)
        let base = try XCTUnwrap(server?.baseURL)
        XCTAssertFalse(base.isEmpty)
        let printed = try String(contentsOfFile: log, encoding: .utf8)
        XCTAssertTrue(printed.contains("Latency: 300 ms on every /api/ answer"), printed)
        XCTAssertTrue(printed.contains("Rate limit: 1 requests/s per API key"), printed)

        let first = try curl(base + "/api/v2/credit")
        XCTAssertEqual(first.status, 200)
        XCTAssertGreaterThanOrEqual(first.seconds, 0.3, "the answer waits the latency")
        let second = try curl(base + "/api/v2/credit")
        XCTAssertEqual(second.status, 429)
        XCTAssertEqual(second.retryAfter, "1")
        XCTAssertEqual(first.retryAfter, "")
        XCTAssertGreaterThanOrEqual(second.seconds, 0.3, "a 429 is as far away as any answer")

        let stats = try curl(base + "/_sim/stats", key: nil)
        XCTAssertLessThan(stats.seconds, 0.3, "admin endpoints are not delayed")
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(stats.body.utf8)) as? [String: Any], stats.body)
        XCTAssertEqual(json["throttled"] as? Int, 1)
        XCTAssertEqual(json["maxInFlight"] as? Int, 1)
        XCTAssertEqual(json["requests"] as? Int, 2)

        let changed = try curl(base + "/_sim/faults", key: nil, post: #"{"latencyMs": 0}"#)
        XCTAssertEqual(changed.status, 200)
        XCTAssertTrue(changed.body.contains(#""latencyMs":0"#), changed.body)
    }

    func testBadLatencyIsAUsageError() throws {
        for (value, words) in [("5:9", "jitter"), ("soon", "MS or MS:JITTER"), ("99999999", "not within")] {
            let r = try SmshProcess.run(["serve", "--port", "0", "--latency", value], env: scratch.env())
            XCTAssertEqual(r.status, 2, "\(value): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("--latency"), r.stderr)
            XCTAssertTrue(r.stderr.contains(words), r.stderr)
            XCTAssertEqual(r.stdout, "")
        }
    }

    func testHelpDescribesLatencyRateLimitAndStats() throws {
        let r = try SmshProcess.run(["serve", "--help"], env: scratch.env())
        XCTAssertEqual(r.status, 0, r.stderr)
        for words in ["--latency", "--rate-limit", "Retry-After", "maxInFlight", "throttled", "latencyMs"] {
            XCTAssertTrue(r.stdout.contains(words), "\(words) missing from:\n\(r.stdout)")
        }
    }
}
