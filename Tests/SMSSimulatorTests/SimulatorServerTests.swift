import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import SMSClient
import XCTest

@testable import SMSSimulator

/// The simulator over a real loopback socket, called with AsyncHTTPClient.
final class SimulatorServerTests: XCTestCase {
    private var engine: SimulatorEngine!
    private var server: SimulatorServer!
    private var client: HTTPClient!

    private func start(_ config: SimulatorConfig = SimulatorConfig()) throws {
        engine = SimulatorEngine(config: config, clock: VirtualClock(start: SimulatorHarness.start))
        server = try SimulatorServer.start(engine: engine)
        client = HTTPClient(eventLoopGroupProvider: .singleton)
    }

    override func tearDown() {
        try? client?.syncShutdown()
        server?.stop()
        super.tearDown()
    }

    private func call(_ method: HTTPMethod, _ target: String, body: [UInt8]? = nil, key: String? = SimulatorHarness.demoKey)
        throws -> (status: Int, headers: HTTPHeaders, json: JSONValue?)
    {
        var headers = HTTPHeaders()
        if let key { headers.add(name: "X-Api-Key", value: key) }
        if body != nil { headers.add(name: "Content-Type", value: "application/json") }
        let request = try HTTPClient.Request(
            url: server.baseURL + target, method: method, headers: headers, body: body.map { .bytes($0) })
        let response = try client.execute(request: request, deadline: .now() + .seconds(60)).wait()
        let bytes = response.body.map { Array($0.readableBytesView) } ?? []
        return (Int(response.status.code), response.headers, try? JSONValue.parse(bytes))
    }

    /// A plain TCP connect: AsyncHTTPClient would keep retrying a refused connection until its
    /// connect timeout.
    private func canConnect(port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        return result == 0
    }

    func testBindsAFreePortAndReportsItsURL() throws {
        try start()
        XCTAssertGreaterThan(server.port, 0)
        XCTAssertEqual(server.baseURL, "http://127.0.0.1:\(server.port)")
        XCTAssertTrue(canConnect(port: server.port))
    }

    func testCreditOverHTTP() throws {
        try start()
        let reply = try call(.GET, "/api/v2/credit")
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply.json, ["balance": .double(10_000), "currency": "credits"])
        XCTAssertEqual(reply.headers["content-type"].first, "application/json")
        XCTAssertEqual(try call(.GET, "/api/v2/credit", key: nil).status, 401)
    }

    func testSendThenPageRecipientsWithQueryParameters() throws {
        try start()
        let body: JSONValue = ["sender": "SMSHDEMO", "content": "hi", "contactGroupId": 1]
        let sent = try call(.POST, "/api/v2/sms/send", body: body.serialized())
        XCTAssertEqual(sent.status, 200)
        let uuid = sent.json?["uuid"]?.stringValue ?? ""
        let page = try call(.GET, "/api/v2/sms/\(uuid)/recipients?after=2&limit=3")
        XCTAssertEqual(page.status, 200)
        XCTAssertEqual(page.json?["nextCursor"], 5)
        XCTAssertEqual(page.json?["data"]?.arrayValue?.first?["msisdn"], "66812345602")
    }

    func testBodyThatIsNotJSONIsInvalidParameter() throws {
        try start()
        let reply = try call(.POST, "/api/v2/sms/send", body: Array("{not json".utf8))
        XCTAssertEqual(reply.status, 400)
        XCTAssertEqual(reply.json?["code"], "INVALID_PARAMETER")
    }

    func testLargeBodiesAreAccepted() throws {
        try start(SimulatorConfig(startingCredit: 1_000_000))
        let body: JSONValue = ["sender": "SMSHDEMO", "content": "hi", "msisdns": SimulatorHarness.numbers(300_000)]
        let bytes = body.serialized()
        XCTAssertGreaterThan(bytes.count, 3_000_000, "above Hummingbird's 2 MiB default limit")
        let reply = try call(.POST, "/api/v2/sms/send", body: bytes)
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply.json?["recipients"], 300_000)
    }

    func testRetryAfterHeaderReachesTheClient() throws {
        try start(SimulatorConfig(faults: FaultConfig(script: ["429"])))
        let reply = try call(.GET, "/api/v2/credit")
        XCTAssertEqual(reply.status, 429)
        XCTAssertEqual(reply.headers["retry-after"].first, "1")
    }

    func testDroppedConnectionsGiveNoResponse() throws {
        try start(SimulatorConfig(faults: FaultConfig(script: ["drop-before", "drop-after"])))
        let body: JSONValue = ["sender": "SMSHDEMO", "content": "hi", "msisdns": ["0812345678"]]
        XCTAssertThrowsError(try call(.POST, "/api/v2/sms/send", body: body.serialized()))
        XCTAssertEqual(engine.acceptedSendCount, 0)
        XCTAssertThrowsError(try call(.POST, "/api/v2/sms/send", body: body.serialized()))
        XCTAssertEqual(engine.acceptedSendCount, 1)
        XCTAssertEqual(try call(.GET, "/api/v2/credit").json?["balance"], .double(9_999))
    }

    func testSlowResponsesStillArrive() throws {
        try start(SimulatorConfig(faults: FaultConfig(slowSeconds: 0.2, script: ["slow"])))
        XCTAssertEqual(try call(.GET, "/api/v2/credit").status, 200)
    }

    func testAdminEndpointsNeedNoKey() throws {
        try start()
        let advanced = try call(.POST, "/_sim/advance", body: Array(#"{"seconds":5}"#.utf8), key: nil)
        XCTAssertEqual(advanced.json?["now"]?.doubleValue, SimulatorHarness.start + 5)
        XCTAssertEqual(try call(.GET, "/_sim/stats", key: nil).json?["requests"], 0)
    }

    func testStopClosesTheSocket() throws {
        try start()
        XCTAssertEqual(try call(.GET, "/api/v2/credit").status, 200)
        server.stop()
        XCTAssertFalse(canConnect(port: server.port), "nothing listens after stop")
        server.stop()
    }

    func testStartFailsOnAPortInUse() throws {
        try start()
        XCTAssertThrowsError(try SimulatorServer.start(engine: engine, port: server.port))
    }
}
