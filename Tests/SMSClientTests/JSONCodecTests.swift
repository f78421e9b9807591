import SMSClient
import XCTest

/// Regression tests for inputs found by the `json_lua` fuzz target (scripts/fuzz).
final class JSONCodecTests: XCTestCase {
    /// Found by fuzzing: `2e308` parsed as infinity, which serialises as `null`, so a parsed
    /// document did not survive parse → serialise → parse (and `json.encode` refused it).
    func testNumbersBeyondDoubleRangeAreRefusedNotInfinity() {
        for text in ["2e308", "-1e400", "[1, 2e308]", "{\"a\": 1e99999}"] {
            XCTAssertThrowsError(try JSONValue.parse(text), text) { error in
                XCTAssertTrue((error as? JSONParseError)?.reason == "number out of range", "\(text): \(error)")
            }
        }
    }

    func testLargestFiniteDoublesAndTinyNumbersStillParseAndRoundTrip() throws {
        for text in ["1.7976931348623157e308", "-1.7976931348623157e308", "5e-324", "1e-400", "9223372036854775808"] {
            let value = try JSONValue.parse(text)
            XCTAssertEqual(try JSONValue.parse(value.serialized()), value, text)
        }
    }

    func testTheFuzzSeedDocumentSurvivesSerialiseAndParse() throws {
        let text = #"{"a":[1,2.5,-0.0,1e308,"\u0000\ud83d\ude00",null,true,{}],"b":{"c":[]},"\u00e9":"e\u0301"}"#
        let value = try JSONValue.parse(text)
        XCTAssertEqual(try JSONValue.parse(value.serialized(sortedKeys: true, pretty: true)), value)
        XCTAssertEqual(try JSONValue.parse(value.serialized()), value)
    }
}
