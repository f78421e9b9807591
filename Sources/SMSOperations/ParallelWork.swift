import Synchronization
#if canImport(Glibc)
import Glibc
#endif

/// Runs blocking work (one request each) on up to `width` threads of its own: the engine's
/// workers and `wait_all`'s polls. The requests themselves are bounded by the run's limiter,
/// so `width` only says how many this call may keep waiting at once.
public enum ParallelWork {
    /// Calls `body(i)` for every `i` in `0..<count`, in order of `i` as threads free up, and
    /// returns when all calls have returned. `body` returns false to stop handing out more
    /// indices (an error, Ctrl-C); calls already running finish. Width 1 runs on this thread.
    public static func forEach(count: Int, width: Int, _ body: @escaping @Sendable (Int) -> Bool) {
        guard count > 0 else { return }
        let width = max(1, min(width, count))
        let state = Shared()
        let next: @Sendable () -> Int? = {
            state.cursor.withLock { c -> Int? in
                guard !c.stopped, c.next < count else { return nil }
                defer { c.next += 1 }
                return c.next
            }
        }
        let loop: @Sendable () -> Void = {
            while let i = next() {
                if !body(i) { state.cursor.withLock { $0.stopped = true } }
            }
        }
        if width == 1 {
            loop()
            return
        }
        var threads: [pthread_t] = []
        for _ in 1..<width {
            let context = Unmanaged.passRetained(ThreadBody(loop)).toOpaque()
            var thread = pthread_t()
            if pthread_create(&thread, nil, { context in
                Unmanaged<ThreadBody>.fromOpaque(context!).takeRetainedValue().body()
                return nil
            }, context) == 0 {
                threads.append(thread)
            } else {
                Unmanaged<ThreadBody>.fromOpaque(context).release()
            }
        }
        loop()  // this thread works too
        for t in threads { pthread_join(t, nil) }
    }

    private final class Shared: Sendable {
        let cursor = Mutex((next: 0, stopped: false))
    }

    private final class ThreadBody {
        let body: @Sendable () -> Void
        init(_ body: @escaping @Sendable () -> Void) { self.body = body }
    }
}
