import Foundation
import XCTest

/// `--mask-numbers` and the profile's `mask_numbers` keep real numbers out of cassettes, and
/// the masked cassette replays the same script (matching compares masked with masked).
final class MaskedCassetteTests: XCTestCase {
    private let script = """
        local r = sms.send{ sender = "SMSHDEMO", content = "Hi", msisdns = { "0812345678", "0898765432", "0861112222" } }
        local m = sms.wait(r.uuid)
        local n = 0
        for _ in sms.each_recipient(r.uuid) do n = n + 1 end
        print(r.recipients, m.status, n)
        """

    private func assertMaskedRecordingReplays(recordArgs: [String], env: [String: String] = [:], file: StaticString = #filePath, line: UInt = #line) throws {
        let path = try SmshProcess.script("masked.lua", script)
        let cassette = (path as NSString).deletingLastPathComponent + "/masked.json"
        let recorded = try SmshProcess.run(["run"] + recordArgs + ["--record", cassette, path], env: env)
        XCTAssertEqual(recorded.status, 0, recorded.stderr, file: file, line: line)
        let text = try String(contentsOfFile: cassette, encoding: .utf8)
        for real in ["812345678", "898765432", "861112222"] {
            XCTAssertFalse(text.contains(real), "\(real) in the cassette", file: file, line: line)
        }
        XCTAssertTrue(text.contains("\"maskedNumbers\" : true") || text.contains("\"maskedNumbers\": true"), text, file: file, line: line)
        XCTAssertEqual(try FileManager.default.attributesOfItem(atPath: cassette)[.posixPermissions] as? Int, 0o600, file: file, line: line)
        for extra in [[], ["--mask-numbers"]] {
            let replayed = try SmshProcess.run(["run"] + extra + ["--replay", cassette, path])
            XCTAssertEqual(replayed.status, 0, replayed.stderr, file: file, line: line)
            XCTAssertEqual(replayed.stdout, recorded.stdout, file: file, line: line)
        }
    }

    func testMaskNumbersFlagMasksTheCassetteAndItReplays() throws {
        try assertMaskedRecordingReplays(recordArgs: ["--sandbox", "--mask-numbers"])
    }

    func testProfileMaskNumbersMasksTheCassetteToo() throws {
        let config = "/tmp/smsh-cfg-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: config + "/smsh", withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: config) }
        let toml = config + "/smsh/config.toml"
        try "[profiles.private]\nsandbox = true\nmask_numbers = true\n".write(toFile: toml, atomically: true, encoding: .utf8)
        chmod(toml, 0o600)
        try assertMaskedRecordingReplays(recordArgs: ["--profile", "private"], env: ["XDG_CONFIG_HOME": config])
    }
}
