import SMSClient
import XCTest

@testable import SMSSimulator

/// An engine on a virtual clock, called through `SimulatorTransport` as `--sandbox` does.
final class SimulatorHarness {
    static let demoKey = "sk_test_smsh_demo"
    /// 2026-05-28T… — any fixed second will do; fixed so outcomes are reproducible.
    static let start: Double = 1_780_000_000

    let clock: VirtualClock
    let engine: SimulatorEngine
    let transport: SimulatorTransport

    init(_ config: SimulatorConfig = SimulatorConfig()) {
        clock = VirtualClock(start: Self.start)
        engine = SimulatorEngine(config: config, clock: clock)
        transport = SimulatorTransport(engine: engine)
    }

    struct Reply {
        let status: Int
        let headers: [String: String]
        let json: JSONValue

        var code: String? { json["code"]?.stringValue }
        subscript(_ key: String) -> JSONValue? { json[key] }
    }

    func call(
        _ method: String, _ path: String, query: [(String, String)] = [], body: JSONValue? = nil,
        key: String? = SimulatorHarness.demoKey, file: StaticString = #filePath, line: UInt = #line
    ) throws -> Reply {
        var headers: [String: String] = [:]
        if let key { headers["x-api-key"] = key }
        let request = TransportRequest(
            method: method, path: path, query: query.map { QueryItem($0.0, $0.1) }, headers: headers, body: body)
        let response = try transport.roundTrip(request)
        let json = (try? JSONValue.parse(response.body)) ?? .null
        return Reply(status: response.status, headers: response.headers, json: json)
    }

    func get(_ path: String, _ query: [(String, String)] = [], key: String? = SimulatorHarness.demoKey) throws -> Reply {
        try call("GET", path, query: query, key: key)
    }

    func post(_ path: String, _ body: JSONValue?, key: String? = SimulatorHarness.demoKey) throws -> Reply {
        try call("POST", path, body: body, key: key)
    }

    func send(_ body: JSONValue, key: String? = SimulatorHarness.demoKey) throws -> Reply {
        try post("/api/v2/sms/send", body, key: key)
    }

    /// Sends and returns the new message's uuid; fails the test when the send is refused.
    func sendUUID(_ body: JSONValue, file: StaticString = #filePath, line: UInt = #line) throws -> String {
        let reply = try send(body)
        return try XCTUnwrap(reply["uuid"]?.stringValue, "send refused: \(reply.status) \(reply.json)", file: file, line: line)
    }

    func balance() throws -> Double {
        try get("/api/v2/credit")["balance"]?.doubleValue ?? .nan
    }

    func message(_ uuid: String) throws -> Reply { try get("/api/v2/sms/\(uuid)") }

    func advance(_ seconds: Double) throws {
        _ = try post("/_sim/advance", ["seconds": .double(seconds)], key: nil)
    }

    /// `n` distinct deliverable numbers in 0XXXXXXXXX form.
    static func numbers(_ n: Int, base: Int = 812_000_000) -> JSONValue {
        .array((0..<n).map { .string("0" + String(base + $0)) })
    }

    /// A time `seconds` from the clock's now, as the API writes it.
    func iso(in seconds: Double) -> String { ISOTime.format(clock.now() + seconds) }
}

extension JSONValue {
    var int: Int? { intValue.map { Int($0) } }
}
