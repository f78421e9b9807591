import Foundation
import XCTest

/// A send whose answer was lost (connection dropped after the server took it, a 5xx, a 200
/// that is not JSON) may well have gone out: the error must say so, so an operator checks
/// before typing the command again, and must not when the request provably never left.
final class UncertainSendTests: XCTestCase {
    func testAnAnswerLostAfterTheSendSaysItMayHaveGoneOut() throws {
        let state = "/tmp/smsh-uncertain-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let server = try ServeProcess(apiKey: "sk_test_u", extra: ["--faults", "script=drop-after;500;non-json"], log: state + "/serve.log")
        defer { server.stop() }
        let env = ["SMSH_API_KEY": "sk_test_u", "SMSH_BASE_URL": server.baseURL, "XDG_STATE_HOME": state, "XDG_CONFIG_HOME": state]
        let send = ["send", "--sender", "SMSHDEMO", "--text", "hi", "--to", "0812345678", "--retries", "0"]
        for (fault, code, exit) in [("drop-after", "NETWORK", Int32(6)), ("500", "INTERNAL_ERROR (500)", 6), ("non-json", "BAD_RESPONSE (200)", 1)] {
            let r = try SmshProcess.run(send, env: env)
            XCTAssertEqual(r.status, exit, "\(fault): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("smsh: \(code)"), "\(fault): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("the send may have gone out: check smsh messages before sending it again"), "\(fault): \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
        }
        // The dropped and the non-JSON answers were sent (the simulator's 500 comes before it
        // applies the send; a real API's may not).
        let messages = try SmshProcess.run(["messages", "-o", "json"], env: env)
        let data = (try JSONSerialization.jsonObject(with: Data(messages.stdout.utf8)) as? [String: Any])?["data"] as? [Any]
        XCTAssertEqual(data?.count, 2, messages.stdout + messages.stderr)
        // A refused connection sent nothing for certain: no such warning.
        let refused = try SmshProcess.run(send, env: env.merging(["SMSH_BASE_URL": "http://127.0.0.1:1"]) { $1 })
        XCTAssertEqual(refused.status, 6, refused.stderr)
        XCTAssertFalse(refused.stderr.contains("may have gone out"), refused.stderr)
        // A read that fails the same way is only a read.
        let server2 = try ServeProcess(apiKey: "sk_test_u", extra: ["--faults", "script=500"], log: state + "/serve2.log")
        defer { server2.stop() }
        let credit = try SmshProcess.run(["credit", "--retries", "0"], env: env.merging(["SMSH_BASE_URL": server2.baseURL]) { $1 })
        XCTAssertEqual(credit.status, 6, credit.stderr)
        XCTAssertFalse(credit.stderr.contains("may have gone out"), credit.stderr)
    }
}
