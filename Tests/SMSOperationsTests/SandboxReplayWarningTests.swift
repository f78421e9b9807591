import Foundation
import SMSClient
import SMSOperations
import SMSSimulator
import SMSState
import XCTest

/// A key that replays in the sandbox scope gets one warning per run (the gate's), with the
/// command that forgets it; other scopes replay silently.
final class SandboxReplayWarningTests: XCTestCase {
    final class NoProgress: ProgressSink {
        func update(_ text: @autoclosure () -> String, force: Bool) {}
        func finish() {}
    }

    /// A gate on a fresh simulator account over a shared journal store: a new "run".
    private func run(_ scope: StateScope, store: SQLiteStateStore, warnings: @escaping (String) -> Void) -> SendGate {
        let clock = VirtualClock(start: 1_800_000_000)
        var config = SimulatorConfig()
        config.uuidSeed = UInt64.random(in: 0...UInt64.max)  // as `--sandbox` does: each run's uuids are its own
        let client = SMSClient(transport: SimulatorTransport(engine: SimulatorEngine(config: config, clock: clock)),
                               apiKey: SimulatorConfig().apiKey, clock: clock)
        let gate = SendGate(client: { client }, clock: { clock }, journal: SendOnceJournal(scope: scope, store: { store }),
                            dryRun: false, progress: NoProgress())
        gate.warn = warnings
        return gate
    }

    private let request = SendRequest(sender: "SMSHDEMO", content: "Hello", msisdns: MSISDNList(["0812345678"]))

    func testASandboxReplayWarnsOncePerRunWithTheForgetCommand() throws {
        let store = try SQLiteStateStore(path: ":memory:")
        var warnings: [String] = []
        let first = run(.sandbox, store: store) { warnings.append($0) }
        let uuid = try XCTUnwrap(try first.send(request, once: "it's-1")["uuid"]?.stringValue)
        _ = try first.send(request, once: "two")
        XCTAssertEqual(warnings, [], "nothing replayed in the first run")

        let second = run(.sandbox, store: store) { warnings.append($0) }
        XCTAssertEqual(try second.send(request, once: "it's-1")["replayed"], true)
        XCTAssertEqual(try second.send(request, once: "two")["replayed"], true)
        XCTAssertEqual(warnings.count, 1, "once per run: \(warnings)")
        XCTAssertTrue(warnings[0].hasPrefix("once key 'it's-1' replayed with uuid \(uuid) from an earlier sandbox run"), warnings[0])
        XCTAssertTrue(warnings[0].contains(#"smsh journal forget --scope sandbox 'it'\''s-1'"#), warnings[0])
    }

    func testACampaignResumeNamesItsPrefix() throws {
        let store = try SQLiteStateStore(path: ":memory:")
        _ = try run(.sandbox, store: store) { _ in }.send(request, once: "spring/abc/1", function: "sms.campaign", forgetPrefix: "spring/")
        var warnings: [String] = []
        _ = try run(.sandbox, store: store) { warnings.append($0) }
            .send(request, once: "spring/abc/1", function: "sms.campaign", forgetPrefix: "spring/")
        XCTAssertEqual(warnings.count, 1)
        XCTAssertTrue(warnings[0].hasPrefix("campaign 'spring' resumed with uuid "), warnings[0])
        XCTAssertTrue(warnings[0].contains("smsh journal forget --scope sandbox --prefix 'spring/'"), warnings[0])
    }

    func testAReplayAgainstARealAPIIsSilent() throws {
        let store = try SQLiteStateStore(path: ":memory:")
        let served = StateScope(api: "http://127.0.0.1:8080", account: "0123456789abcdef")
        var warnings: [String] = []
        _ = try run(served, store: store) { warnings.append($0) }.send(request, once: "nightly")
        XCTAssertEqual(try run(served, store: store) { warnings.append($0) }.send(request, once: "nightly")["replayed"], true)
        XCTAssertEqual(warnings, [], "smsh serve and the real API keep their messages: a replay there is fine")
    }

    /// A key replayed in the run that sent it has a uuid this run's sandbox knows: no warning;
    /// a key from an earlier run in the same run still gets the one warning.
    func testAReplayOfThisRunsOwnSendIsNotWarnedOf() throws {
        let store = try SQLiteStateStore(path: ":memory:")
        _ = try run(.sandbox, store: store) { _ in }.send(request, once: "old")
        var warnings: [String] = []
        let gate = run(.sandbox, store: store) { warnings.append($0) }
        _ = try gate.send(request, once: "spring/abc/1", function: "sms.campaign", forgetPrefix: "spring/")
        XCTAssertEqual(try gate.send(request, once: "spring/abc/1", function: "sms.campaign", forgetPrefix: "spring/")["replayed"], true)
        XCTAssertEqual(try gate.send(request, once: "spring/abc/1", function: "sms.campaign", forgetPrefix: "spring/")["replayed"], true)
        XCTAssertEqual(warnings, [], "a campaign resumed twice in one run replays uuids this run's sandbox knows")
        XCTAssertEqual(try gate.send(request, once: "old")["replayed"], true)
        XCTAssertEqual(warnings.count, 1, "\(warnings)")
        XCTAssertTrue(warnings[0].hasPrefix("once key 'old' replayed with uuid "), warnings[0])
        XCTAssertFalse(warnings[0].contains("fails with NOT_FOUND"), warnings[0])
    }
}
