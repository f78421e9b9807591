import Foundation
import XCTest

/// A uuid argument left empty, as by an unset shell variable (`smsh wait "$UUID"`).
final class EmptyUUIDTests: OneOffTestCase {
    func testAnEmptyUUIDIsAUsageError() throws {
        for command in ["message", "cancel", "wait", "recipients"] {
            let r = try smsh([command, ""])
            XCTAssertEqual(r.status, 2, "\(command): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains("<uuid> is empty"), "\(command): \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
        }
    }
}
