import XCTest

@testable import SMSClient

final class SHA256Tests: XCTestCase {
    func testEmptyInputGivesTheKnownDigest() {
        XCTAssertEqual(SHA256.hex([UInt8]()), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    func testAbcGivesTheKnownDigest() {
        XCTAssertEqual(SHA256.hex(Array("abc".utf8)), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    func testTwoBlockMessageGivesTheKnownDigest() {
        let text = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        XCTAssertEqual(SHA256.hex(Array(text.utf8)), "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    func testOneMillionAsGivesTheKnownDigest() {
        XCTAssertEqual(
            SHA256.hex([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    func testFeedingInPiecesGivesTheSameDigestAsAllAtOnce() {
        let data = Array((0..<1000).map { UInt8(truncatingIfNeeded: $0 * 7) })
        var hasher = SHA256()
        for cut in stride(from: 0, to: data.count, by: 37) { hasher.update(data[cut..<min(cut + 37, data.count)]) }
        XCTAssertEqual(SHA256.hexString(hasher.finalize()), SHA256.hex(data))
    }
}
