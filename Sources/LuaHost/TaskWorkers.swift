import Threading

/// The threads that run tasks' I/O off the Lua thread: at most `limit` at once, made on
/// demand and kept for reuse. Work beyond the limit waits in order (first in, first out).
/// Cancelling drops what has not started; what runs finishes.
final class TaskWorkers: @unchecked Sendable {
    private let condition = ConditionVariable()
    private var queue: [() -> Void] = []
    private var head = 0
    private var threads = 0
    private var idle = 0
    var limit: Int

    init(limit: Int) { self.limit = max(1, limit) }

    func submit(_ work: @escaping () -> Void) {
        condition.lock()
        queue.append(work)
        let start = idle == 0 && threads < limit
        if start { threads += 1 }
        condition.broadcast()
        condition.unlock()
        if start { ConditionVariable.detachThread { [self] in self.loop() } }
    }

    /// Takes the work that has not started yet (the caller completes it as cancelled).
    func drain() -> [() -> Void] {
        condition.lock()
        defer { condition.unlock() }
        let rest = Array(queue[head...])
        queue.removeAll()
        head = 0
        return rest
    }

    private func loop() {
        condition.lock()
        while true {
            while head == queue.count { idle += 1; condition.wait(); idle -= 1 }
            let work = queue[head]
            head += 1
            if head == queue.count { queue.removeAll(keepingCapacity: true); head = 0 }
            condition.unlock()
            work()
            condition.lock()
        }
    }
}
