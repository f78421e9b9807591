import SMSClient
import XCTest

/// Validation and encoding of `send` arguments: every problem is found before anything is
/// sent and named by its field.
final class SendRequestTests: XCTestCase {
    private func error(_ request: SendRequest, file: StaticString = #filePath, line: UInt = #line) -> SMSError? {
        do {
            _ = try request.encoded()
            XCTFail("expected a validation error", file: file, line: line)
            return nil
        } catch let error as SMSError {
            XCTAssertNil(error.status, file: file, line: line)
            XCTAssertFalse(error.retryable, file: file, line: line)
            return error
        } catch {
            XCTFail("unexpected error \(error)", file: file, line: line)
            return nil
        }
    }

    func testValidRequestEncodesNormalisedNumbersAndFields() throws {
        let request = SendRequest(
            sender: "SMSHDEMO", content: "Hello", msisdns: ["081-234-5678", "66912345678"], dryRun: true)
        let encoded = try request.encoded()
        XCTAssertEqual(
            encoded.body,
            ["sender": "SMSHDEMO", "content": "Hello", "msisdns": ["66812345678", "66912345678"], "dryRun": true])
        XCTAssertEqual(encoded.duplicatesRemoved, 0)
    }

    func testDryRunFalseIsNotSent() throws {
        let encoded = try SendRequest(sender: "A", content: "x", contactGroupId: 1).encoded()
        XCTAssertEqual(encoded.body, ["sender": "A", "content": "x", "contactGroupId": 1])
    }

    func testSenderMustBeOneToElevenCharacters() {
        XCTAssertEqual(error(SendRequest(sender: "", content: "x", contactGroupId: 1))?.field, "sender")
        let long = error(SendRequest(sender: "ABCDEFGHIJKL", content: "x", contactGroupId: 1))
        XCTAssertEqual(long?.field, "sender")
        XCTAssertEqual(long?.code, "INVALID_ARGUMENT")
        XCTAssertEqual(long?.message, "'sender' must be 1–11 characters (got 12)")
        XCTAssertNoThrow(try SendRequest(sender: "ABCDEFGHIJK", content: "x", contactGroupId: 1).encoded())
    }

    func testExactlyOneOfContentOrTemplate() {
        XCTAssertEqual(error(SendRequest(sender: "A", contactGroupId: 1))?.field, "content")
        let both = error(SendRequest(sender: "A", content: "x", templateId: 1, contactGroupId: 1))
        XCTAssertEqual(both?.message, "give 'content' or 'templateId', not both")
        XCTAssertNoThrow(try SendRequest(sender: "A", templateId: 1, contactGroupId: 1).encoded())
    }

    func testExactlyOneOfNumbersOrGroup() {
        XCTAssertEqual(error(SendRequest(sender: "A", content: "x"))?.field, "msisdns")
        let both = error(SendRequest(sender: "A", content: "x", msisdns: ["0812345678"], contactGroupId: 1))
        XCTAssertEqual(both?.message, "give 'msisdns' or 'contactGroupId', not both")
        XCTAssertEqual(error(SendRequest(sender: "A", content: "x", msisdns: []))?.field, "msisdns")
    }

    func testContentLimitCountsUnicodeScalars() {
        let thai = String(repeating: "ส", count: 1000)
        XCTAssertNoThrow(try SendRequest(sender: "A", content: thai, contactGroupId: 1).encoded())
        let tooLong = error(SendRequest(sender: "A", content: thai + "x", contactGroupId: 1))
        XCTAssertEqual(tooLong?.field, "content")
        XCTAssertEqual(tooLong?.message, "'content' has 1001 characters; at most 1000 are allowed")
        XCTAssertEqual(error(SendRequest(sender: "A", content: "", contactGroupId: 1))?.field, "content")
    }

    func testInvalidNumberIsNamedByOneBasedIndexAndValue() {
        let e = error(SendRequest(sender: "A", content: "x", msisdns: ["0812345678", "0912345678", "12ab"]))
        XCTAssertEqual(e?.code, "INVALID_MSISDN")
        XCTAssertEqual(e?.field, "msisdns[3]")
        XCTAssertEqual(e?.message, "'msisdns[3]' = \"12ab\" is not a Thai mobile number (contains the letter 'a' at position 3)")
        XCTAssertEqual(e?.description, "INVALID_MSISDN: 'msisdns[3]' = \"12ab\" is not a Thai mobile number (contains the letter 'a' at position 3)")
    }

    func testLandlineIsRejected() {
        let e = error(SendRequest(sender: "A", content: "x", msisdns: ["021234567"]))
        XCTAssertEqual(e?.field, "msisdns[1]")
    }

    func testDuplicatesAfterNormalisationAreRemovedAndCounted() throws {
        let numbers = ["0812345678", "66812345678", "+66 81 234 5678", "0912345678", "0812345678"]
        let encoded = try SendRequest(sender: "A", content: "x", msisdns: MSISDNList(numbers)).encoded()
        XCTAssertEqual(encoded.body["msisdns"], ["66812345678", "66912345678"])
        XCTAssertEqual(encoded.duplicatesRemoved, 3)
    }

    func testDedupeFalseKeepsDuplicates() throws {
        let numbers = ["0812345678", "66812345678"]
        let encoded = try SendRequest(sender: "A", content: "x", msisdns: MSISDNList(numbers), dedupe: false).encoded()
        XCTAssertEqual(encoded.body["msisdns"], ["66812345678", "66812345678"])
        XCTAssertEqual(encoded.duplicatesRemoved, 0)
    }

    func testMoreThanTwoMillionNumbersIsRejectedBeforeChecking() {
        let numbers = [String](repeating: "not checked", count: 2_000_001)
        let e = error(SendRequest(sender: "A", content: "x", msisdns: MSISDNList(numbers)))
        XCTAssertEqual(e?.field, "msisdns")
        XCTAssertEqual(e?.message, "'msisdns' has 2000001 numbers; at most 2000000 are allowed per request")
    }

    func testTemplateAndGroupIdsMustBePositive() {
        XCTAssertEqual(error(SendRequest(sender: "A", templateId: 0, contactGroupId: 1))?.field, "templateId")
        XCTAssertEqual(error(SendRequest(sender: "A", content: "x", contactGroupId: -2))?.field, "contactGroupId")
    }

    func testVariablesMustBeStringsOrNumbers() throws {
        let ok = try SendRequest(
            sender: "A", templateId: 1, variables: ["name": "Toon", "amount": 12, "rate": 1.5], contactGroupId: 1
        ).encoded()
        XCTAssertEqual(ok.body["variables"], ["name": "Toon", "amount": 12, "rate": 1.5])
        let bad = error(SendRequest(sender: "A", templateId: 1, variables: ["flag": true], contactGroupId: 1))
        XCTAssertEqual(bad?.field, "variables.flag")
        XCTAssertEqual(bad?.message, "'variables.flag' must be a string or a number, not boolean")
    }

    func testScheduledTimeIsSentInBangkokTime() throws {
        let fromISO = try SendRequest(
            sender: "A", content: "x", contactGroupId: 1, scheduledTime: .iso8601("2026-06-01T03:00:00Z")
        ).encoded()
        XCTAssertEqual(fromISO.body["scheduledTime"], "2026-06-01T10:00:00+07:00")
        // 2026-06-01T03:00:00Z
        let fromEpoch = try SendRequest(
            sender: "A", content: "x", contactGroupId: 1, scheduledTime: .epochSeconds(1_780_282_800)
        ).encoded()
        XCTAssertEqual(fromEpoch.body["scheduledTime"], "2026-06-01T10:00:00+07:00")
        let bad = error(SendRequest(sender: "A", content: "x", contactGroupId: 1, scheduledTime: .iso8601("tomorrow")))
        XCTAssertEqual(bad?.field, "scheduledTime")
    }

    func testEncodedSendsPreviewIsThePreviewRequestsBody() throws {
        let send = SendRequest(
            sender: "A", content: "hi", msisdns: ["0812345678", "0812345678", "0912345678"],
            scheduledTime: .epochSeconds(1_780_282_800), dryRun: true)
        let fromEncoded = try send.encoded().preview
        let fromRequest = try PreviewRequest(send).encoded()
        XCTAssertEqual(fromEncoded.bytes, fromRequest.bytes)
        XCTAssertEqual(fromEncoded.duplicatesRemoved, 1)
    }

    func testPreviewFromSendKeepsMessageAndRecipients() throws {
        let send = SendRequest(sender: "A", content: "hi", msisdns: ["0812345678", "0812345678"])
        let encoded = try PreviewRequest(send).encoded()
        XCTAssertEqual(encoded.body, ["content": "hi", "msisdns": ["66812345678"]])
        XCTAssertEqual(encoded.duplicatesRemoved, 1)
    }
}
