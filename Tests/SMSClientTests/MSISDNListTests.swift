@testable import SMSClient
import XCTest

/// Numbers read one at a time from bytes (the Lua binding's path) agree with numbers given as
/// strings, and the first bad one is named by position and value.
final class MSISDNListTests: XCTestCase {
    func testReaderFromBytesAgreesWithGivenStrings() throws {
        let inputs = ["0812345678", "66912345678", "081-234-5679", "+66 81 234 5680", "(06) 1234 5678"]
        var reader = MSISDNList.Reader(capacity: inputs.count)
        for input in inputs {
            try Array(input.utf8).withUnsafeBufferPointer { try reader.append(utf8: $0) }
        }
        let fromBytes = try reader.finish().normalForms()
        XCTAssertEqual(fromBytes, try MSISDNList(inputs).normalForms())
        XCTAssertEqual(fromBytes, ["66812345678", "66912345678", "66812345679", "66812345680", "66612345678"])
    }

    func testReaderNamesTheFirstInvalidNumberByPosition() {
        var reader = MSISDNList.Reader(capacity: 3)
        XCTAssertNoThrow(try reader.append("0812345678"))
        XCTAssertNoThrow(try reader.append("0912345678"))
        XCTAssertThrowsError(try reader.append("12ab")) { error in
            let e = error as? SMSError
            XCTAssertEqual(e?.code, SMSError.Code.invalidMSISDN)
            XCTAssertEqual(e?.field, "msisdns[3]")
            XCTAssertTrue(e?.message.contains("\"12ab\"") ?? false, e?.message ?? "")
        }
    }

    func testEncodedBytesAreTheBodyValue() throws {
        let request = SendRequest(
            sender: "SMSHDEMO", content: "Hi \"there\"", msisdns: ["0812345678", "0812345678", "0912345678"])
        let encoded = try request.encoded()
        let parsed = try JSONValue.parse(encoded.bytes)
        XCTAssertEqual(parsed, encoded.body)
        XCTAssertEqual(parsed["msisdns"], ["66812345678", "66912345678"])
        XCTAssertEqual(encoded.duplicatesRemoved, 1)
        XCTAssertEqual(encoded.recipientCount, 2)
    }

    func testContactGroupBodyHasNoNumbers() throws {
        let encoded = try SendRequest(sender: "A", content: "x", contactGroupId: 7).encoded()
        XCTAssertEqual(try JSONValue.parse(encoded.bytes), ["sender": "A", "content": "x", "contactGroupId": 7])
        XCTAssertNil(encoded.recipientCount)
    }

    func testJSONArrayOfManyNumbersParsesBack() throws {
        let national: [UInt32] = [0, 812_345_678, 999_999_999, 612_345_678]
        var out: [UInt8] = Array("x".utf8)
        RecipientNumbers.writeJSONArray(national, to: &out)
        XCTAssertEqual(String(decoding: out, as: UTF8.self),
                       #"x["66000000000","66812345678","66999999999","66612345678"]"#)
        var empty: [UInt8] = []
        RecipientNumbers.writeJSONArray([], to: &empty)
        XCTAssertEqual(String(decoding: empty, as: UTF8.self), "[]")
    }

    func testRequestMadeFromBytesReadsAsItsValue() throws {
        let bytes = Array(#"{"a":[1,2.5,"x"]}"#.utf8)
        let fromBytes = TransportRequest(method: "POST", path: "/p", encodedBody: bytes)
        let fromValue = TransportRequest(method: "POST", path: "/p", body: ["a": [1, 2.5, "x"]])
        XCTAssertEqual(fromBytes.body, fromValue.body)
        XCTAssertEqual(fromBytes, fromValue)
        XCTAssertEqual(fromBytes.encodedBody, bytes)
        XCTAssertEqual(try JSONValue.parse(fromValue.encodedBody ?? []), fromValue.body)
    }
}
