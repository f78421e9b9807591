import SMSClient
import XCTest

@testable import SMSSimulator

final class SendTests: XCTestCase {
    func testSendChargesPartsTimesRecipientsAndReturnsUUID() throws {
        let sim = SimulatorHarness()
        let reply = try sim.send(["sender": "SMSHDEMO", "content": "Hello", "msisdns": ["0812345678", "66812345679"]])
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply["status"], "pending")
        XCTAssertEqual(reply["recipients"], 2)
        XCTAssertEqual(reply["parts"], 1)
        XCTAssertEqual(reply["credits"], 2)
        XCTAssertEqual(reply["uuid"]?.stringValue?.count, 36)
        XCTAssertEqual(try sim.balance(), 9_998)
        XCTAssertEqual(sim.engine.acceptedSendCount, 1)
    }

    func testCreditBalanceIsAlwaysAJSONFloat() throws {
        let sim = SimulatorHarness()
        let reply = try sim.get("/api/v2/credit")
        XCTAssertEqual(reply.json, ["balance": .double(10_000), "currency": "credits"])
    }

    func testLongAndThaiTextsCostMoreParts() throws {
        let sim = SimulatorHarness()
        let long = String(repeating: "a", count: 161)
        XCTAssertEqual(try sim.send(["sender": "SMSHDEMO", "content": .string(long), "msisdns": ["0812345678"]])["parts"], 2)
        let thai = try sim.send(["sender": "INFO", "templateId": 2, "variables": ["name": "ต้น"], "msisdns": ["0812345678"]])
        XCTAssertEqual(thai.status, 200)
        XCTAssertEqual(thai["parts"], 1)
        let message = try sim.message(thai["uuid"]!.stringValue!)
        XCTAssertEqual(message["content"], "สวัสดีค่ะ คุณต้น")
    }

    func testTemplateVariablesAreRenderedAndNumbersAccepted() throws {
        let sim = SimulatorHarness()
        let reply = try sim.send([
            "sender": "SMSHDEMO", "templateId": 1, "variables": ["name": "Toon", "code": 4711], "contactGroupId": 1,
        ])
        XCTAssertEqual(reply.status, 200)
        XCTAssertEqual(reply["recipients"], 10)
        XCTAssertEqual(try sim.message(reply["uuid"]!.stringValue!)["content"], "Hello Toon, your code is 4711")
    }

    func testMissingTemplateVariableIsInvalidParameter() throws {
        let sim = SimulatorHarness()
        let reply = try sim.send(["sender": "SMSHDEMO", "templateId": 1, "variables": ["name": "Toon"], "msisdns": ["0812345678"]])
        XCTAssertEqual(reply.status, 400)
        XCTAssertEqual(reply.code, "INVALID_PARAMETER")
        XCTAssertTrue(reply["error"]?.stringValue?.contains("code") ?? false)
    }

    func testContactGroupTwoHasAThousandNumbers() throws {
        let sim = SimulatorHarness()
        let reply = try sim.send(["sender": "SMSHDEMO", "content": "hi", "contactGroupId": 2, "dryRun": true])
        XCTAssertEqual(reply.json, ["dryRun": true, "recipients": 1000, "parts": 1, "credits": 1000])
    }

    func testDryRunChangesNothing() throws {
        let sim = SimulatorHarness()
        let reply = try sim.send(["sender": "SMSHDEMO", "content": "Hello", "msisdns": ["0812345678"], "dryRun": true])
        XCTAssertEqual(reply.json, ["dryRun": true, "recipients": 1, "parts": 1, "credits": 1])
        XCTAssertEqual(try sim.balance(), 10_000)
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
        XCTAssertEqual(try sim.get("/api/v2/sms")["total"], 0)
    }

    func testDuplicatesAreCountedAsSent() throws {
        let sim = SimulatorHarness()
        let reply = try sim.send(["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678", "66812345678"]])
        XCTAssertEqual(reply["recipients"], 2)
    }

    func testPreviewReportsEncodingAndConsumesNothing() throws {
        let sim = SimulatorHarness()
        let reply = try sim.post("/api/v2/sms/preview", ["content": "สวัสดี", "msisdns": ["0812345678", "0812345679"]])
        XCTAssertEqual(reply.json, ["recipients": 2, "parts": 1, "credits": 2, "encoding": "ucs2", "characters": 6])
        XCTAssertEqual(try sim.balance(), 10_000)
        let readOnly = try sim.post("/api/v2/sms/preview", ["content": "hi", "contactGroupId": 1], key: "sk_test_smsh_readonly")
        XCTAssertEqual(readOnly.status, 200)
    }

    func testMissingOrUnknownKeyIsUnauthorized() throws {
        let sim = SimulatorHarness()
        for key in [nil, "sk_wrong"] {
            let reply = try sim.get("/api/v2/credit", key: key)
            XCTAssertEqual(reply.status, 401)
            XCTAssertEqual(reply.json, ["error": "Invalid API key", "code": "UNAUTHORIZED"])
        }
    }

    func testReadOnlyKeyCannotSendButSendOnlyKeyCan() throws {
        let sim = SimulatorHarness()
        let body: JSONValue = ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"]]
        let denied = try sim.send(body, key: "sk_test_smsh_readonly")
        XCTAssertEqual(denied.status, 403)
        XCTAssertEqual(denied.code, "FORBIDDEN")
        XCTAssertEqual(try sim.get("/api/v2/credit", key: "sk_test_smsh_readonly").status, 200)
        XCTAssertEqual(try sim.send(body, key: "sk_test_smsh_sendonly").status, 200)
    }

    func testConfiguredKeyReplacesTheDemoKey() throws {
        let sim = SimulatorHarness(SimulatorConfig(apiKey: "sk_custom"))
        XCTAssertEqual(try sim.get("/api/v2/credit", key: "sk_custom").status, 200)
        XCTAssertEqual(try sim.get("/api/v2/credit", key: SimulatorHarness.demoKey).status, 401)
    }

    func testOnlyApprovedSendersOfAtMostElevenCharactersMaySend() throws {
        let sim = SimulatorHarness()
        for sender in ["NEWBRAND", "SPAMMY", "UNKNOWN", "SMSHDEMO_TOOLONG"] {
            let reply = try sim.send(["sender": .string(sender), "content": "x", "msisdns": ["0812345678"]])
            XCTAssertEqual(reply.status, 400, sender)
            XCTAssertEqual(reply.code, "SENDER_NOT_APPROVED", sender)
        }
        XCTAssertEqual(try sim.send(["sender": "INFO", "content": "x", "msisdns": ["0812345678"]]).status, 200)
    }

    func testInvalidParameterCases() throws {
        let sim = SimulatorHarness()
        let cases: [(String, JSONValue)] = [
            ("no sender", ["content": "x", "msisdns": ["0812345678"]]),
            ("content and template", ["sender": "SMSHDEMO", "content": "x", "templateId": 1, "msisdns": ["0812345678"]]),
            ("neither content nor template", ["sender": "SMSHDEMO", "msisdns": ["0812345678"]]),
            ("msisdns and group", ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"], "contactGroupId": 1]),
            ("no recipients", ["sender": "SMSHDEMO", "content": "x"]),
            ("empty msisdns", ["sender": "SMSHDEMO", "content": "x", "msisdns": []]),
            ("content too long", ["sender": "SMSHDEMO", "content": .string(String(repeating: "a", count: 1001)), "msisdns": ["0812345678"]]),
            ("empty content", ["sender": "SMSHDEMO", "content": "", "msisdns": ["0812345678"]]),
            ("wrong type", ["sender": "SMSHDEMO", "content": 5, "msisdns": ["0812345678"]]),
            ("dryRun not boolean", ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"], "dryRun": "yes"]),
            ("unparsable time", ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"], "scheduledTime": "tomorrow"]),
            ("time without offset", ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"], "scheduledTime": "2030-01-01T10:00:00"]),
            ("time in the past", ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"], "scheduledTime": "2020-01-01T10:00:00+07:00"]),
            ("body not an object", ["x"]),
        ]
        for (name, body) in cases {
            let reply = try sim.send(body)
            XCTAssertEqual(reply.status, 400, name)
            XCTAssertEqual(reply.code, "INVALID_PARAMETER", name)
            XCTAssertNotNil(reply["error"]?.stringValue, name)
        }
        XCTAssertEqual(try sim.post("/api/v2/sms/send", nil).code, "INVALID_PARAMETER")
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
    }

    func testInvalidNumberIsNamedInTheError() throws {
        let sim = SimulatorHarness()
        for bad in ["12345", "081-234-5678", "+66812345678", "0812345678x", "55812345678"] {
            let reply = try sim.send(["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678", .string(bad)]])
            XCTAssertEqual(reply.status, 400, bad)
            XCTAssertEqual(reply.code, "INVALID_MSISDN", bad)
            let text = reply["error"]?.stringValue ?? ""
            XCTAssertTrue(text.contains(bad) && text.contains("msisdns[1]"), text)
        }
    }

    func testMoreThanTwoMillionNumbersIsTooManyRecipients() throws {
        let sim = SimulatorHarness()
        let numbers = JSONValue.array(Array(repeating: "0812345678", count: 2_000_001))
        let reply = try sim.send(["sender": "SMSHDEMO", "content": "x", "msisdns": numbers])
        XCTAssertEqual(reply.status, 400)
        XCTAssertEqual(reply.code, "TOO_MANY_RECIPIENTS")
    }

    func testUnknownTemplateOrGroupIsNotFound() throws {
        let sim = SimulatorHarness()
        let template = try sim.send(["sender": "SMSHDEMO", "templateId": 99, "msisdns": ["0812345678"]])
        XCTAssertEqual(template.status, 404)
        XCTAssertEqual(template.code, "NOT_FOUND")
        let group = try sim.send(["sender": "SMSHDEMO", "content": "x", "contactGroupId": 99])
        XCTAssertEqual(group.status, 404)
        XCTAssertEqual(group.code, "NOT_FOUND")
    }

    func testInsufficientCreditsCreatesNothing() throws {
        let sim = SimulatorHarness(SimulatorConfig(startingCredit: 5))
        let reply = try sim.send(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(6)])
        XCTAssertEqual(reply.status, 402)
        XCTAssertEqual(reply.code, "INSUFFICIENT_CREDITS")
        XCTAssertEqual(try sim.balance(), 5)
        XCTAssertEqual(sim.engine.acceptedSendCount, 0)
        XCTAssertEqual(try sim.send(["sender": "SMSHDEMO", "content": "x", "msisdns": SimulatorHarness.numbers(5)]).status, 200)
        XCTAssertEqual(try sim.balance(), 0)
    }

    func testSendersListsEveryDemoSender() throws {
        let sim = SimulatorHarness()
        let data = try sim.get("/api/v2/senders")["data"]?.arrayValue ?? []
        XCTAssertEqual(data.count, 4)
        XCTAssertTrue(data.contains(["name": "INFO", "status": "approved", "shared": true]))
        XCTAssertTrue(data.contains(["name": "SPAMMY", "status": "rejected", "shared": false]))
    }

    func testUnknownRoutesAndMethods() throws {
        let sim = SimulatorHarness()
        let missing = try sim.get("/api/v2/nothing")
        XCTAssertEqual(missing.status, 404)
        XCTAssertEqual(missing.code, "NOT_FOUND")
        let wrongMethod = try sim.call("DELETE", "/api/v2/credit")
        XCTAssertEqual(wrongMethod.status, 405)
        XCTAssertEqual(wrongMethod.headers["allow"], "GET")
        XCTAssertEqual(try sim.get("/api/v2/sms/send").status, 405, "send is a path of its own, not a uuid")
        XCTAssertEqual(try sim.call("DELETE", "/api/v2/sms/abc").headers["allow"], "GET")
        XCTAssertEqual(try sim.get("/api/v2/sms/no-such-uuid").status, 404)
        XCTAssertEqual(try sim.get("/").status, 404)
    }

    func testUUIDsAreReproducibleFromTheSeed() throws {
        let body: JSONValue = ["sender": "SMSHDEMO", "content": "x", "msisdns": ["0812345678"]]
        let a = try SimulatorHarness().send(body)["uuid"]
        XCTAssertEqual(a, try SimulatorHarness().send(body)["uuid"])
        XCTAssertNotEqual(a, try SimulatorHarness(SimulatorConfig(seed: 2)).send(body)["uuid"])
    }
}
