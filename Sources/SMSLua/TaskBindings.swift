import CLua
import CLuaShim
import LuaHost
import SMSClient
import SMSDocs

/// `sms.spawn`, `sms.join` and `sms.map`: many requests in flight with synchronous-looking
/// code. The scheduler (LuaHost's `LuaTaskScheduler`) runs tasks on the Lua thread; their
/// I/O runs off it. The Lua-side sugar (task handles, the list form of `join`, `map`'s
/// workers) is Lua, the clearer language for it.
enum TaskBindings {
    /// Makes the session's scheduler and adds the task functions to the `sms` table at `table`.
    static func install(_ stack: LuaStack, table: Int32, env: SMSEnvironment) throws {
        let tasks = LuaTaskScheduler(
            mainState: stack.L,
            clock: .init(now: { env.clock.now() }, sleep: { try env.clock.sleep(seconds: $0) }),
            concurrency: env.concurrency,
            interruptRequested: { smsh_sigint_pending() != 0 })
        env.tasks = tasks
        try tasks.installCoroutineRelays(stack)

        let base = stack.top
        defer { stack.top = base }
        let sms = stack.absolute(table)
        try LuaState.loadChunk(stack, sugar, chunkName: "=(sms tasks)")
        stack.push { s in
            guard s.type(at: 1) == LUA_TFUNCTION else { throw LuaArgumentError("bad argument #1 to 'sms.spawn' (function expected, got \(s.type(at: 1) == LUA_TNONE ? "no value" : s.typeName(at: 1)))") }
            let id = tasks.spawn(s, nargs: s.top - 1)
            s.push(Int64(id))
            return 1
        }
        stack.push { s in
            let n = s.rawLength(at: 1)
            var ids: [Int] = []
            ids.reserveCapacity(n)
            for i in 1...max(n, 1) where i <= n {
                lua_rawgeti(s.L, 1, Int64(i))
                ids.append(Int(s.integer(at: -1) ?? -1))
                s.pop()
            }
            return try tasks.join(s, ids: ids, function: "sms.join")
        }
        stack.push { s in
            s.push(Int64(env.concurrency))
            return 1
        }
        try stack.call(nargs: 3, nresults: 3, traceback: false)
        let names = ["spawn", "join", "map"]
        let docs: [() -> String] = [{ SMSDocs.spawn.helpText }, { SMSDocs.join.helpText }, { SMSDocs.map.helpText }]
        for i in 0..<3 {
            stack.pushCopy(of: base + 1 + Int32(i))
            stack.setDoc(lazy: docs[i], forValueAt: -1)
            stack.setField(names[i], in: sms)
        }
    }

    static let sugar = """
        local spawn_core, join_core, cap = ...
        local type, select, error, getmetatable, setmetatable, pcall = type, select, error, getmetatable, setmetatable, pcall
        local unpack, min, mtype, pairs = table.unpack, math.min, math.type, pairs

        local Task = { __name = "sms.task" }
        Task.__index = Task
        Task.__tostring = function(t) return "sms.task " .. t.id end

        local function spawn(fn, ...)
          return setmetatable({ id = spawn_core(fn, ...) }, Task)
        end

        local function ids_of(list, fname, level)
          local ids = {}
          for i = 1, #list do
            local t = list[i]
            if getmetatable(t) ~= Task then
              error(("bad argument #1 to '%s' (task expected at index %d, got %s)"):format(fname, i, type(t)), level)
            end
            ids[i] = t.id
          end
          return ids
        end

        local function join(first, ...)
          if getmetatable(first) ~= Task then
            if type(first) ~= "table" or select("#", ...) > 0 then
              error("bad argument #1 to 'sms.join' (task or list of tasks expected, got " .. type(first) .. ")", 2)
            end
            return join_core(ids_of(first, "sms.join", 3))
          end
          local packed = join_core(ids_of({ first, ... }, "sms.join", 3))
          local out, k = {}, 0
          for i = 1, #packed do
            local p = packed[i]
            if p.ok then
              out[k + 1] = true
              for j = 1, p.n do out[k + 1 + j] = p[j] end
              k = k + 1 + p.n
            else
              out[k + 1], out[k + 2] = false, p.err
              k = k + 2
            end
          end
          return unpack(out, 1, k)
        end

        local function map(list, fn, opts)
          if type(list) ~= "table" then error("bad argument #1 to 'sms.map' (table expected, got " .. type(list) .. ")", 2) end
          if type(fn) ~= "function" then error("bad argument #2 to 'sms.map' (function expected, got " .. type(fn) .. ")", 2) end
          local concurrency = 8
          if opts ~= nil then
            if type(opts) ~= "table" then error("bad argument #3 to 'sms.map' (table expected, got " .. type(opts) .. ")", 2) end
            for k in pairs(opts) do
              if k ~= "concurrency" then error("sms.map: unknown field '" .. tostring(k) .. "' (known: concurrency)", 2) end
            end
            if opts.concurrency ~= nil then concurrency = opts.concurrency end
          end
          if mtype(concurrency) ~= "integer" or concurrency < 1 then
            error("sms.map: 'concurrency' must be an integer >= 1, got " .. tostring(concurrency), 2)
          end
          if concurrency > cap() then
            error(("sms.map: 'concurrency' %d is above the run's cap of %d requests in flight (--concurrency)"):format(concurrency, cap()), 2)
          end
          local n, results, next_index = #list, {}, 0
          local function worker()
            while true do
              next_index = next_index + 1
              local i = next_index
              if i > n then return end
              local ok, r = pcall(fn, list[i], i)
              if ok then results[i] = r else results[i] = { ok = false, err = r } end
            end
          end
          local workers = {}
          for w = 1, min(concurrency, n) do workers[w] = spawn(worker) end
          join(workers)
          return results
        end

        return spawn, join, map
        """
}
