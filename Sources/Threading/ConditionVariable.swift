#if canImport(Glibc)
import Glibc
#endif

/// A mutex with a condition variable (pthread), and a detached thread to run a closure on:
/// what the task scheduler, the page prefetcher and the state stores need of Foundation's
/// NSLock, NSCondition and Thread, which live in full Foundation (it would link ICU's ~34 MB
/// of data into smsh, see Package.swift). NIO's `ConditionLock` only waits for a given value,
/// not for "something changed"; and the state store takes no NIO just for a lock.
public final class ConditionVariable: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)
    private let condition = UnsafeMutablePointer<pthread_cond_t>.allocate(capacity: 1)

    public init() {
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deallocate()
        mutex.deallocate()
    }

    public func lock() { pthread_mutex_lock(mutex) }
    public func unlock() { pthread_mutex_unlock(mutex) }
    public func broadcast() { pthread_cond_broadcast(condition) }
    /// With the lock held: waits for a broadcast.
    public func wait() { pthread_cond_wait(condition, mutex) }

    public func withLock<T>(_ body: () throws -> T) rethrows -> T {
        lock()
        defer { unlock() }
        return try body()
    }

    /// With the lock held: waits for a broadcast or `seconds`, whichever comes first.
    public func wait(seconds: Double) {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let nanos = Int(now.tv_nsec) + Int(seconds * 1e9)
        var deadline = timespec(tv_sec: now.tv_sec + nanos / 1_000_000_000, tv_nsec: nanos % 1_000_000_000)
        _ = pthread_cond_timedwait(condition, mutex, &deadline)
    }

    /// Runs `body` on a new detached thread.
    public static func detachThread(_ body: @escaping @Sendable () -> Void) {
        let context = Unmanaged.passRetained(ThreadBody(body)).toOpaque()
        var thread = pthread_t()
        let started = pthread_create(&thread, nil, { context in
            Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
            return nil
        }, context)
        precondition(started == 0, "pthread_create failed: \(started)")
        pthread_detach(thread)
    }
}

private final class ThreadBody {
    let body: @Sendable () -> Void
    init(_ body: @escaping @Sendable () -> Void) { self.body = body }
}
