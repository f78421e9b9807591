import Foundation
@testable import SMSLua
import XCTest

/// The prefetcher's own contract, with pages made in memory: what it fetches ahead, what
/// it hands out, and how it stops. (RecipientCursorTests runs it over real HTTP.)
final class PagePrefetcherTests: XCTestCase {
    /// A page body as the simulator writes it: data first, then the fields in key order.
    static func page(after: Int64, rows: Int, last: Int64) -> [UInt8] {
        let data = (0..<rows).map { #"{"msisdn":"668\#(String(format: "%08d", after + Int64($0)))","status":"delivered"}"# }
        let more = after + Int64(rows) < last
        return Array(#"{"data":[\#(data.joined(separator: ","))],"hasMore":\#(more),"nextCursor":\#(after + Int64(rows))}"#.utf8)
    }

    func testSkimReadsTheNextCursorOnlyWhenThereIsMore() {
        XCTAssertEqual(PagePrefetcher.skimNextCursor(PagePrefetcherTests.page(after: 0, rows: 3, last: 10)), 3)
        XCTAssertNil(PagePrefetcher.skimNextCursor(PagePrefetcherTests.page(after: 9, rows: 1, last: 10)), "hasMore false")
        XCTAssertEqual(PagePrefetcher.skimNextCursor(Array(#"{ "nextCursor" : 42 , "hasMore" :  true, "data": [] }"#.utf8)), 42)
        XCTAssertNil(PagePrefetcher.skimNextCursor(Array(#"{"hasMore":true,"data":[]}"#.utf8)), "no cursor")
        XCTAssertNil(PagePrefetcher.skimNextCursor(Array(#"{"hasMore":true,"nextCursor":null}"#.utf8)))
        XCTAssertNil(PagePrefetcher.skimNextCursor(Array(#"{"hasMore":"true","nextCursor":5}"#.utf8)))
        // The key's text inside a string value is escaped, so it is not taken for the key.
        XCTAssertNil(PagePrefetcher.skimNextCursor(Array(#"{"data":[{"note":"\"hasMore\":true,\"nextCursor\":7"}]}"#.utf8)))
        XCTAssertNil(PagePrefetcher.skimNextCursor([]))
    }

    func testPagesComeInCursorOrderAndNeverMoreThanTheDepthAhead() throws {
        let requested = Requests()
        let last: Int64 = 50
        let prefetcher = PagePrefetcher(first: 0, depth: 2) { after in
            requested.append(after)
            return PagePrefetcherTests.page(after: after, rows: 5, last: last)
        }
        var after: Int64 = 0
        var pages = 0
        while true {
            // Let the fetching thread run ahead as far as it may before each take.
            Thread.sleep(forTimeInterval: 0.02)
            XCTAssertLessThanOrEqual(requested.count, pages + 2, "at most two pages fetched ahead of the reader")
            let body = try XCTUnwrap(try prefetcher.take(after: after), "page after \(after)")
            pages += 1
            guard let next = PagePrefetcher.skimNextCursor(body) else { break }
            after = next
        }
        XCTAssertEqual(pages, 10)
        XCTAssertEqual(requested.all, stride(from: 0, to: last, by: 5).map { Int64($0) }, "each page fetched once, in order")
        XCTAssertNil(try prefetcher.take(after: after + 5), "nothing past the last page")
    }

    func testAPageForAnotherCursorIsNeverHandedOut() throws {
        let prefetcher = PagePrefetcher(first: 0, depth: 2) { after in PagePrefetcherTests.page(after: after, rows: 5, last: 100) }
        XCTAssertNil(try prefetcher.take(after: 3), "the reader asks for a cursor the pages did not name")
        prefetcher.stop()
        XCTAssertNil(try prefetcher.take(after: 0), "stopped: its pages are dropped")
    }

    func testAFailedFetchIsThrownForItsPageAndEndsPrefetching() throws {
        struct Boom: Error {}
        let requested = Requests()
        let prefetcher = PagePrefetcher(first: 0, depth: 2) { after in
            requested.append(after)
            if after == 5 { throw Boom() }
            return PagePrefetcherTests.page(after: after, rows: 5, last: 100)
        }
        XCTAssertNotNil(try prefetcher.take(after: 0))
        XCTAssertThrowsError(try prefetcher.take(after: 5)) { XCTAssertTrue($0 is Boom) }
        XCTAssertNil(try prefetcher.take(after: 10))
        XCTAssertEqual(requested.all, [0, 5], "nothing fetched after the failure")
    }
}

/// The cursors a fetch was called with, from the fetching thread.
private final class Requests: @unchecked Sendable {
    private let lock = NSLock()
    private var cursors: [Int64] = []
    func append(_ c: Int64) { lock.lock(); cursors.append(c); lock.unlock() }
    var all: [Int64] { lock.lock(); defer { lock.unlock() }; return cursors }
    var count: Int { all.count }
}
