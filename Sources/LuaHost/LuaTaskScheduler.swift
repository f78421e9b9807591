import CLua
import CLuaShim
import Threading

/// Tasks: Lua coroutines whose I/O runs off the Lua thread, so many requests are in flight
/// while Lua stays on its one thread (OpenResty's light threads, in smsh's terms).
///
/// A binding does its work in three steps (`perform`): read its arguments (Lua thread), do
/// the I/O (a worker thread, or inline when the work must stay ordered), push its results
/// (Lua thread). Inside a task that can yield, the binding returns `SMSH_SUSPEND` and the C
/// trampoline yields `(tag, operation id)`; this scheduler resumes the task with
/// `(true, results...)` or `(false, error)` when the work is done, and the trampoline's
/// continuation returns or raises them. No longjmp crosses a Swift frame: Lua yields in C.
///
/// Where Lua cannot yield (`lua_isyieldable` false: a `table.sort` comparator, a `gsub`
/// callback, a metamethod called from C, a `require`d chunk) and outside tasks, the work
/// simply runs inline and blocks the interpreter, exactly as without tasks.
///
/// User coroutines inside a task pass a suspension up (see `TaskCoroutines.lua`): the
/// replaced `coroutine.resume`/`wrap` yield the tag on to the task, or, where they cannot
/// yield, wait for the operation in place.
public final class LuaTaskScheduler {
    /// Time for `sleep` timers (the session clock: virtual in the sandbox and under replay).
    public struct Clock {
        public var now: () -> Double
        public var sleep: (Double) throws -> Void
        public init(now: @escaping () -> Double, sleep: @escaping (Double) throws -> Void) {
            self.now = now
            self.sleep = sleep
        }
    }

    /// The run was interrupted (Ctrl-C or SIGTERM) while tasks ran or were awaited.
    public struct Interrupted: Error, CustomStringConvertible {
        public var description: String { "interrupted" }
    }

    final class Task {
        enum State { case ready, running, waiting, done, failed }
        let id: Int
        let thread: OpaquePointer
        let ref: Int32
        var state = State.ready
        /// Values to resume with (on the task's stack) when ready.
        var resumeArguments: Int32 = 0
        var results: Int32 = 0
        var traceback: String?
        var joined = false
        init(id: Int, thread: OpaquePointer, ref: Int32) {
            self.id = id
            self.thread = thread
            self.ref = ref
        }
    }

    /// One suspended call: I/O in flight, a timer, or a join of tasks.
    final class Operation: @unchecked Sendable {
        let id: Int
        /// Set once the work is done (under `signal`'s lock): pushes the results, or throws
        /// the call's error.
        var finish: ((LuaStack) throws -> Int32)?
        var deadline: Double?
        var joins: [Int]?
        /// Work on a worker thread (counted in `inFlight` until it finishes).
        var concurrent = false
        var waiter: Task?
        var delivered = false
        init(id: Int) { self.id = id }
    }

    private let mainState: OpaquePointer
    private let clock: Clock
    private let interruptRequested: () -> Bool
    private let workers: TaskWorkers
    private let signal = ConditionVariable()
    private var tasks: [Int: Task] = [:]
    private var operations: [Int: Operation] = [:]
    private var ready: [Task] = []
    private var readyHead = 0
    /// Operations finished off the Lua thread, under `signal`'s lock.
    private var completed: [Operation] = []
    private var inFlight = 0
    private var nextId = 0
    /// The task being resumed (nil: the main chunk or the REPL line).
    private(set) var current: Task?
    private var cancelled = false
    /// Tasks whose results a join took (a second join is an error, not "no such task").
    private var joinedIds: Set<Int> = []

    /// - Parameters:
    ///   - concurrency: how many operations' work may run at once off the Lua thread.
    ///   - interruptRequested: polled while waiting (Ctrl-C, SIGTERM).
    public init(mainState: OpaquePointer, clock: Clock, concurrency: Int, interruptRequested: @escaping () -> Bool) {
        self.mainState = mainState
        self.clock = clock
        self.interruptRequested = interruptRequested
        workers = TaskWorkers(limit: concurrency)
    }

    /// How many operations' work may run at once (the run's in-flight cap).
    public var concurrency: Int {
        get { workers.limit }
        set { workers.limit = max(1, newValue) }
    }

    /// Whether a binding called on `L` now would suspend only its task.
    public func canSuspend(_ L: OpaquePointer) -> Bool { current != nil && lua_isyieldable(L) != 0 && !cancelled }

    /// Whether any task has not ended.
    public var hasUnfinishedTasks: Bool { tasks.values.contains { $0.state != .done && $0.state != .failed } }

    // MARK: bindings

    /// Does a binding's I/O: in a task, off the Lua thread (`concurrent`) or inline, while only
    /// the task waits; elsewhere inline, blocking. `push` then pushes the results on the
    /// caller's stack and returns their count. Return this function's result from the binding.
    public func perform<T>(_ stack: LuaStack, concurrent: Bool, _ work: @escaping () throws -> T,
                           push: @escaping (LuaStack, T) throws -> Int32) throws -> Int32 {
        guard canSuspend(stack.L) else { return try push(stack, try work()) }
        let op = newOperation()
        if concurrent {
            inFlight += 1
            op.concurrent = true
            let box = UncheckedBox(work)
            workers.submit { [self] in
                // Cancelled while queued: never started, so certainly not sent.
                signal.lock()
                let skip = cancelled
                signal.unlock()
                let result: Result<T, Error> = skip ? .failure(Interrupted()) : Result { try box.value() }
                finish(op, with: result, push: push)
            }
        } else {
            let result = Result { try work() }
            finish(op, with: result, push: push)
        }
        return suspend(stack, on: op)
    }

    /// `sms.sleep` in a task: only the task waits; elsewhere the clock sleeps while tasks run.
    public func sleep(_ stack: LuaStack, seconds: Double) throws -> Int32 {
        let deadline = clock.now() + seconds
        if canSuspend(stack.L) {
            let op = newOperation()
            op.deadline = deadline
            return suspend(stack, on: op)
        }
        if current == nil, hasUnfinishedTasks {
            try run(from: stack.L, wakeAt: deadline) { self.clock.now() >= deadline }
            return 0
        }
        try clock.sleep(seconds)
        return 0
    }

    /// Starts `fn` (below `nargs` arguments on the stack, both popped) as a task and runs it
    /// until it first suspends or ends. Returns the task's id.
    public func spawn(_ stack: LuaStack, nargs: Int32) -> Int {
        let L = stack.L
        guard let thread = lua_newthread(L) else { return -1 }   // [+1]
        let ref = luaL_ref(L, smsh_registryindex())               // [-1] anchored
        lua_xmove(L, thread, nargs + 1)                           // fn and args to the task
        nextId += 1
        let task = Task(id: nextId, thread: thread, ref: ref)
        task.resumeArguments = nargs
        tasks[task.id] = task
        resume(task, from: L)
        return task.id
    }

    /// `sms.join`: waits for the tasks (suspending only the caller's task, or running the
    /// others when called outside one) and pushes one table per task: `{ok = true, n = N,
    /// results...}` or `{ok = false, err = e}`, in a list.
    public func join(_ stack: LuaStack, ids: [Int], function: String) throws -> Int32 {
        for id in ids {
            if joinedIds.contains(id) { throw LuaArgumentError("\(function): task \(id) was already joined") }
            guard let task = tasks[id] else { throw LuaArgumentError("\(function): no such task (\(id))") }
            if task.joined { throw LuaArgumentError("\(function): task \(id) was already joined") }
            if task === current { throw LuaArgumentError("\(function): a task cannot join itself") }
        }
        let op = newOperation()
        op.joins = ids
        if allEnded(ids) {
            operations[op.id] = nil
            return pushJoined(ids, on: stack)
        }
        if canSuspend(stack.L) { return suspend(stack, on: op) }
        defer { operations[op.id] = nil }
        try run(from: stack.L) { self.allEnded(ids) }
        return pushJoined(ids, on: stack)
    }

    /// The blocking wait of a user coroutine that cannot pass a suspension up: pushes
    /// `true, results...` or `false, error` for the operation.
    public func await(_ stack: LuaStack, operation id: Int) throws -> Int32 {
        guard let op = operations[id] else { throw LuaArgumentError("no pending operation \(id)") }
        operations[id] = nil
        if let joins = op.joins {
            try run(from: stack.L) { self.allEnded(joins) }
            stack.push(true)
            return 1 + pushJoined(joins, on: stack)
        }
        if let deadline = op.deadline {
            let wait = deadline - clock.now()
            if wait > 0 { try clock.sleep(wait) }
            stack.push(true)
            return 1
        }
        signal.lock()
        while op.finish == nil {
            if interruptRequested() { signal.unlock(); throw Interrupted() }
            signal.wait(seconds: 0.05)
        }
        signal.unlock()
        op.delivered = true
        return deliver(op, on: stack)
    }

    // MARK: running

    /// Runs tasks until every one has ended (the end of a script or of a REPL line).
    public func runUntilAllEnded(from L: OpaquePointer? = nil) throws {
        try run(from: L ?? mainState) { !self.hasUnfinishedTasks }
    }

    /// Failed tasks whose error no `join` collected: `(id, message with traceback)`.
    public func unjoinedFailures() -> [(id: Int, message: String)] {
        tasks.values.filter { $0.state == .failed && !$0.joined }.sorted { $0.id < $1.id }
            .map { ($0.id, $0.traceback ?? "error") }
    }

    /// After an interruption: forgets every task, and new ones may run again (the REPL).
    public func reset() {
        for task in tasks.values { release(task) }
        tasks.removeAll()
        operations.removeAll()
        ready.removeAll()
        readyHead = 0
        signal.lock()
        completed.removeAll()
        cancelled = false
        signal.unlock()
        inFlight = 0
    }

    /// Forgets every ended task (the REPL calls it after reporting a line's failures).
    public func forgetEnded() {
        for (id, task) in tasks where task.state == .done || task.state == .failed {
            release(task)
            tasks[id] = nil
        }
    }

    private func run(from L: OpaquePointer, wakeAt: Double? = nil, until done: () -> Bool) throws {
        while !done() {
            if interruptRequested() || cancelled {
                cancelAll()
                throw Interrupted()
            }
            if readyHead < ready.count {
                let task = ready[readyHead]
                readyHead += 1
                if readyHead == ready.count { ready.removeAll(keepingCapacity: true); readyHead = 0 }
                resume(task, from: L)
                continue
            }
            if collectCompleted() { continue }
            if fireTimers() { continue }
            let nextDeadline = (operations.values.compactMap { $0.waiter != nil ? $0.deadline : nil } + (wakeAt.map { [$0] } ?? [])).min()
            if inFlight > 0 {
                signal.lock()
                if completed.isEmpty {
                    let untilTimer = nextDeadline.map { max(0, $0 - clock.now()) } ?? 0.05
                    signal.wait(seconds: min(0.05, untilTimer))
                }
                signal.unlock()
                continue
            }
            if let nextDeadline {
                let wait = nextDeadline - clock.now()
                if wait > 0 {
                    do { try clock.sleep(wait) } catch {
                        cancelAll()
                        throw Interrupted()
                    }
                }
                continue
            }
            throw LuaArgumentError("tasks wait for each other and none can go on (a task joins one that joins it?)")
        }
    }

    /// Resumes a ready task with the values on its stack and files what it did.
    private func resume(_ task: Task, from L: OpaquePointer) {
        let saved = current
        let watched = smsh_sigint_watched()
        current = task
        task.state = .running
        if watched != nil { smsh_sigint_watch(task.thread) }
        var nres: Int32 = 0
        let status = lua_resume(task.thread, L, task.resumeArguments, &nres)
        if watched != nil { smsh_sigint_watch(watched) }
        current = saved
        task.resumeArguments = 0
        let co = LuaStack(task.thread)
        switch status {
        case LUA_OK:
            task.state = .done
            task.results = nres
            taskEnded(task)
        case smsh_lua_yield():
            if nres == 2, lua_touserdata(task.thread, -2) == smsh_task_tag(), let id = co.integer(at: -1),
               let op = operations[Int(id)] {
                co.pop(2)
                task.state = .waiting
                op.waiter = task
                if op.joins.map(allEnded) == true {
                    complete(join: op)
                } else if finished(op) {
                    deliver(op, to: task)
                }
            } else {
                // A plain coroutine.yield() in a task: let the others run, then go on.
                co.pop(nres)
                makeReady(task)
            }
        default:
            task.state = .failed
            task.results = 1
            let message = co.string(at: -1) ?? co.describe(at: -1)
            task.traceback = traceback(of: task, message: message, on: L)
            taskEnded(task)
        }
    }

    private func traceback(of task: Task, message: String, on L: OpaquePointer) -> String {
        let s = LuaStack(L)
        let base = s.top
        defer { s.top = base }
        s.push(message)
        guard smsh_task_traceback(L, task.thread, -1) == LUA_OK, let text = s.string(at: -1) else { return message }
        return text
    }

    private func taskEnded(_ task: Task) {
        for op in operations.values where op.waiter != nil && op.finish == nil {
            if let joins = op.joins, joins.contains(task.id), allEnded(joins) { complete(join: op) }
        }
    }

    private func complete(join op: Operation) {
        guard let joins = op.joins else { return }
        signal.lock()
        op.finish = { [unowned self] stack in self.pushJoined(joins, on: stack) }
        signal.unlock()
        if let task = op.waiter { deliver(op, to: task) }
    }

    private func finished(_ op: Operation) -> Bool {
        signal.lock()
        defer { signal.unlock() }
        return op.finish != nil
    }

    /// Puts the operation's outcome on the waiting task's stack and makes it ready.
    private func deliver(_ op: Operation, to task: Task) {
        guard !op.delivered else { return }
        op.delivered = true
        operations[op.id] = nil
        let s = LuaStack(task.thread)
        s.push(true)
        task.resumeArguments = 1 + deliverRaw(op, on: s)
        makeReady(task)
    }

    private func allEnded(_ ids: [Int]) -> Bool {
        ids.allSatisfy { tasks[$0].map { $0.state == .done || $0.state == .failed } ?? true }
    }

    /// Pushes the list of `{ok=..., ...}` tables for joined tasks and marks them collected.
    private func pushJoined(_ ids: [Int], on stack: LuaStack) -> Int32 {
        stack.newTable(arrayCount: ids.count)
        for (i, id) in ids.enumerated() {
            guard let task = tasks[id] else { continue }
            let co = task.thread
            stack.newTable(arrayCount: Int(task.results), fieldCount: 2)
            let first = LuaStack(co).top - task.results + 1
            if task.state == .done {
                stack.push(true)
                stack.setField("ok", in: -2)
                stack.push(Int64(task.results))
                stack.setField("n", in: -2)
                for j in 0..<task.results {
                    lua_pushvalue(co, first + j)
                    lua_xmove(co, stack.L, 1)
                    lua_rawseti(stack.L, -2, Int64(j + 1))
                }
            } else {
                stack.push(false)
                stack.setField("ok", in: -2)
                lua_pushvalue(co, first)
                lua_xmove(co, stack.L, 1)
                stack.setField("err", in: -2)
            }
            lua_rawseti(stack.L, -2, Int64(i + 1))
            task.joined = true
            joinedIds.insert(id)
            release(task)
            tasks[id] = nil
        }
        return 1
    }

    private func release(_ task: Task) {
        luaL_unref(mainState, smsh_registryindex(), task.ref)
    }

    // MARK: operations

    private func newOperation() -> Operation {
        nextId += 1
        let op = Operation(id: nextId)
        operations[op.id] = op
        return op
    }

    /// Leaves `(tag, id)` as the only values on the stack for the trampoline to yield.
    private func suspend(_ stack: LuaStack, on op: Operation) -> Int32 {
        stack.top = 0
        lua_pushlightuserdata(stack.L, smsh_task_tag())
        stack.push(Int64(op.id))
        return smsh_suspend_code()
    }

    /// Files a finished operation's result (any thread).
    private func finish<T>(_ op: Operation, with result: Result<T, Error>, push: @escaping (LuaStack, T) throws -> Int32) {
        let box = UncheckedBox(result)
        signal.lock()
        op.finish = { stack in try push(stack, try box.value.get()) }
        completed.append(op)
        signal.broadcast()
        signal.unlock()
    }

    /// Moves finished operations' results onto their tasks' stacks. Returns whether any task
    /// became ready.
    private func collectCompleted() -> Bool {
        signal.lock()
        let done = completed
        completed.removeAll()
        signal.unlock()
        var any = false
        for op in done {
            if op.concurrent { inFlight -= 1 }
            // No waiter yet: inline work, filed when its task yields, or a user coroutine's
            // blocking await.
            guard let task = op.waiter, !op.delivered else { continue }
            deliver(op, to: task)
            any = true
        }
        return any
    }

    private func fireTimers() -> Bool {
        let now = clock.now()
        var any = false
        for op in operations.values where op.deadline.map({ $0 <= now }) == true {
            guard let task = op.waiter else { continue }
            operations[op.id] = nil
            task.resumeArguments = 1
            LuaStack(task.thread).push(true)
            makeReady(task)
            any = true
        }
        return any
    }

    /// Pushes `true, results...` or `false, error` on the awaiting stack.
    private func deliver(_ op: Operation, on stack: LuaStack) -> Int32 {
        stack.push(true)
        return 1 + deliverRaw(op, on: stack)
    }

    /// Pushes the results (the `true` already pushed below them); on error replaces that
    /// `true` with `false` and pushes the error value.
    private func deliverRaw(_ op: Operation, on stack: LuaStack) -> Int32 {
        let base = stack.top
        do {
            return try op.finish?(stack) ?? 0
        } catch {
            stack.top = base - 1
            stack.push(false)
            stack.pushError(error)
            return 1
        }
    }

    private func makeReady(_ task: Task) {
        task.state = .ready
        ready.append(task)
    }

    /// Ctrl-C: nothing new starts, queued work is dropped, work on the wire finishes (its
    /// sends are journaled by the work itself), tasks are not resumed again.
    private func cancelAll() {
        signal.lock()
        cancelled = true
        // Bounded: a request on the wire has its own timeout; 30 s covers it.
        var waited = 0.0
        while operations.values.contains(where: { $0.concurrent && $0.finish == nil }) && waited < 30 {
            signal.wait(seconds: 0.05)
            waited += 0.05
        }
        signal.unlock()
        ready.removeAll()
        readyHead = 0
    }
}

/// Carries a value the compiler cannot prove safe to another thread; the scheduler hands it
/// over under its lock, and the Lua side reads it only on the Lua thread.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
