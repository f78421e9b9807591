import SMSClient
import XCTest

/// The route table matches API.md's operations table.
final class RoutesTests: XCTestCase {
    func testEveryOperationHasItsDocumentedRoute() {
        let expected: [APIOperation: (String, String, Bool)] = [
            .send: ("POST", "/api/v2/sms/send", false),
            .preview: ("POST", "/api/v2/sms/preview", true),
            .cancel: ("POST", "/api/v2/sms/{uuid}/cancel", false),
            .messages: ("GET", "/api/v2/sms", true),
            .message: ("GET", "/api/v2/sms/{uuid}", true),
            .recipients: ("GET", "/api/v2/sms/{uuid}/recipients", true),
            .credit: ("GET", "/api/v2/credit", true),
            .senders: ("GET", "/api/v2/senders", true),
        ]
        XCTAssertEqual(Set(APIOperation.allCases), Set(expected.keys))
        for (operation, (method, template, idempotent)) in expected {
            let route = Routes.route(operation)
            XCTAssertEqual(route.method, method, "\(operation)")
            XCTAssertEqual(route.template, template, "\(operation)")
            XCTAssertEqual(route.isIdempotent, idempotent, "\(operation)")
        }
    }

    func testUUIDIsEncodedAsOnePathSegment() {
        XCTAssertEqual(Routes.route(.message).path(uuid: "abc-123"), "/api/v2/sms/abc-123")
        XCTAssertEqual(Routes.route(.cancel).path(uuid: "../x?y"), "/api/v2/sms/..%2Fx%3Fy/cancel")
    }
}
