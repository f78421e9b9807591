import SMSClient
@testable import SMSOperations
import Synchronization
import XCTest

/// The run's limiter on a virtual clock: the in-flight cap holds across threads, a fixed rate
/// paces, and a 429 pauses everyone for Retry-After, drops the rate and lets it grow back.
final class AdaptiveLimiterTests: XCTestCase {
    func testTheCapHoldsAcrossThreads() {
        let limiter = AdaptiveLimiter(cap: 4, clock: SystemClock())
        let state = Mutex((now: 0, max: 0))
        ParallelWork.forEach(count: 64, width: 16) { _ in
            try? limiter.acquire()
            state.withLock { $0.now += 1; $0.max = max($0.max, $0.now) }
            usleep(2_000)
            state.withLock { $0.now -= 1 }
            limiter.release(status: 200, retryAfter: nil)
            return true
        }
        XCTAssertEqual(state.withLock { $0.max }, 4)
        XCTAssertEqual(limiter.statistics.maxInFlight, 4)
        XCTAssertEqual(limiter.statistics.requests, 64)
    }

    func testAFixedRatePacesOnTheClock() throws {
        let clock = VirtualClock(start: 1_000)
        let limiter = AdaptiveLimiter(cap: 64, maxRate: 10, clock: clock)
        for _ in 0..<21 {
            try limiter.acquire()
            limiter.release(status: 200, retryAfter: nil)
        }
        // A burst of up to one second's worth, then 10 a second: about 1-2 s for 21.
        XCTAssertEqual(clock.now() - 1_000, 2, accuracy: 1.01)
    }

    func testA429PausesForRetryAfterAndDropsTheRate() throws {
        let clock = VirtualClock(start: 1_000)
        let limiter = AdaptiveLimiter(cap: 64, clock: clock)
        // 100 requests a second for two seconds: the measured rate.
        for _ in 0..<200 {
            try limiter.acquire()
            limiter.release(status: 200, retryAfter: nil)
            clock.advance(by: 0.01)
        }
        try limiter.acquire()
        limiter.release(status: 429, retryAfter: 2)
        let throttledAt = clock.now()
        try limiter.acquire()
        XCTAssertGreaterThanOrEqual(clock.now() - throttledAt, 2, "everyone waits for Retry-After")
        limiter.release(status: 200, retryAfter: nil)
        let stats = limiter.statistics
        XCTAssertEqual(stats.throttled, 1)
        let adaptive = try XCTUnwrap(stats.adaptiveRate)
        XCTAssertLessThan(adaptive, 100, "the rate dropped below what was sent")
    }

    func testALaterThrottleResumesAtWhatTheServerLetThroughAndAnswersInAPauseDropNothing() throws {
        let clock = VirtualClock(start: 1_000)
        let limiter = AdaptiveLimiter(cap: 64, clock: clock)
        for _ in 0..<400 {
            try limiter.acquire()
            limiter.release(status: 200, retryAfter: nil)
            clock.advance(by: 0.005)
        }
        // The first episode: ten requests in flight all answered 429.
        for _ in 0..<10 { try limiter.acquire() }
        for _ in 0..<10 { limiter.release(status: 429, retryAfter: 1) }
        let afterFirst = try XCTUnwrap(limiter.statistics.adaptiveRate)
        XCTAssertEqual(limiter.statistics.throttled, 10)
        XCTAssertGreaterThan(afterFirst, 100, "nine answers inside the pause did not compound the first drop (0.7 x ~200/s)")
        // After the pause: two seconds of accepted sends at the pace the limiter allows, then a 429.
        try limiter.acquire()
        let resumed = clock.now()
        limiter.release(status: 200, retryAfter: nil)
        var accepted = 1
        while clock.now() - resumed < 2 {
            try limiter.acquire()
            limiter.release(status: 200, retryAfter: nil)
            accepted += 1
            clock.advance(by: 0.001)
        }
        let letThrough = Double(accepted) / (clock.now() - resumed)
        try limiter.acquire()
        limiter.release(status: 429, retryAfter: 1)
        let afterSecond = try XCTUnwrap(limiter.statistics.adaptiveRate)
        XCTAssertEqual(afterSecond, letThrough, accuracy: letThrough * 0.1, "resumes at what the server let through, not 70 % of it")
    }

    func testTheCubicCurveRecoversToTheOldRateAndProbesAbove() {
        var cubic = CubicRate(maxRate: 200, at: 0)
        cubic.throttled(sendingRate: 200, at: 0)
        XCTAssertEqual(cubic.rate(at: 0), 140, accuracy: 0.01)
        let k = CubicRate.zeroPoint(200)
        XCTAssertEqual(cubic.rate(at: k), 200, accuracy: 0.01)
        XCTAssertGreaterThan(cubic.rate(at: k + 2), 200)
        XCTAssertLessThan(cubic.rate(at: k / 2), 200)
    }
}

