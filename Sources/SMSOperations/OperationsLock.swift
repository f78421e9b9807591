#if canImport(Glibc)
import Glibc
#endif

/// A pthread mutex for state that concurrent sends share (the journal's lazily opened store,
/// the run summary): Foundation's NSLock is not in FoundationEssentials.
final class OperationsLock: @unchecked Sendable {
    private let mutex = UnsafeMutablePointer<pthread_mutex_t>.allocate(capacity: 1)

    init() { pthread_mutex_init(mutex, nil) }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deallocate()
    }

    func withLock<T>(_ body: () throws -> T) rethrows -> T {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body()
    }
}
