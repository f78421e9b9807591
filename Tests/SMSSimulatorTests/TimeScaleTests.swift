import SMSClient
import XCTest

@testable import SMSSimulator

/// `smsh serve --time-scale X`: delivery reports arrive X times sooner on the engine's clock;
/// the seeded outcomes themselves do not change.
final class TimeScaleTests: XCTestCase {
    private func pending(_ sim: SimulatorHarness, _ uuid: String) throws -> Int {
        try sim.message(uuid)["drSummary"]?["pending"]?.int ?? -1
    }

    func testScaledDeliveryArrivesSooner() throws {
        var fast = SimulatorConfig(deliveryDelay: 60...120)
        fast.timeScale = 60
        let scaled = SimulatorHarness(fast)
        let normal = SimulatorHarness(SimulatorConfig(deliveryDelay: 60...120))
        let body: JSONValue = ["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(200)]
        let a = try scaled.sendUUID(body)
        let b = try normal.sendUUID(body)
        try scaled.advance(2.01)
        try normal.advance(2.01)
        XCTAssertEqual(try pending(scaled, a), 0, "every report due within 120/60 s")
        XCTAssertEqual(try pending(normal, b), 200, "nothing due before 60 s")
        try normal.advance(120)
        XCTAssertEqual(scaled.engineSummary(a), normal.engineSummary(b), "same seed, same outcomes")
    }

    func testScaleOfOneOrBadValuesLeavesDelaysAlone() {
        XCTAssertEqual(SimulatorState.scaled(5...120, by: 1), 5...120)
        XCTAssertEqual(SimulatorState.scaled(5...120, by: 0), 5...120)
        XCTAssertEqual(SimulatorState.scaled(5...120, by: .infinity), 5...120)
        XCTAssertEqual(SimulatorState.scaled(6...120, by: 2), 3...60)
    }

    func testStartingCreditAndSeedReachTheAccount() throws {
        let sim = SimulatorHarness(SimulatorConfig(seed: 7, startingCredit: 5_000_000))
        XCTAssertEqual(try sim.balance(), 5_000_000)
        let other = SimulatorHarness(SimulatorConfig(seed: 8))
        let body: JSONValue = ["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(1)]
        XCTAssertNotEqual(try sim.sendUUID(body), try other.sendUUID(body), "uuids follow the seed")
    }
}

private extension SimulatorHarness {
    func engineSummary(_ uuid: String) -> [String: Int] {
        var out: [String: Int] = [:]
        for (k, v) in ((try? message(uuid))?["drSummary"]?.objectValue ?? [:]) { out[k] = v.int }
        return out
    }
}
