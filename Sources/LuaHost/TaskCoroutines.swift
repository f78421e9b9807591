import CLua
import CLuaShim

extension LuaTaskScheduler {
    /// Replaces `coroutine.resume` and `coroutine.wrap` so a task's suspension inside a user
    /// coroutine reaches the task (OpenResty does the same): a resume that gets the tag back
    /// yields it on, or, where it cannot yield, waits for the operation in place. Plain
    /// yields of user coroutines are untouched. Pushes nothing.
    public func installCoroutineRelays(_ stack: LuaStack) throws {
        let base = stack.top
        defer { stack.top = base }
        try LuaState.loadChunk(stack, Self.relays, chunkName: "=(smsh tasks)")
        lua_pushlightuserdata(stack.L, smsh_task_tag())
        stack.push { [weak self] s in
            guard let self, let id = s.integer(at: 1) else { throw LuaArgumentError("await: no such operation") }
            return try self.await(s, operation: Int(id))
        }
        try stack.call(nargs: 2, nresults: 0, traceback: false)
    }

    static let relays = """
        local TAG, await = ...
        local co_create, co_resume, co_yield = coroutine.create, coroutine.resume, coroutine.yield
        local co_isyieldable, co_status, co_close = coroutine.isyieldable, coroutine.status, coroutine.close
        local select, rawequal, type, error, pack, unpack = select, rawequal, type, error, table.pack, table.unpack

        -- A task's suspension met in a user coroutine: on to the task, or wait here.
        local function pass_up(id)
          if co_isyieldable() then return co_yield(TAG, id) end
          return await(id)
        end

        local function relay(co, ok, ...)
          if ok and select("#", ...) == 2 and rawequal((...), TAG) then
            return relay(co, co_resume(co, pass_up((select(2, ...)))))
          end
          return ok, ...
        end

        function coroutine.resume(co, ...)
          return relay(co, co_resume(co, ...))
        end

        function coroutine.wrap(f)
          local co = co_create(f)
          return function(...)
            local r = pack(relay(co, co_resume(co, ...)))
            if r[1] then return unpack(r, 2, r.n) end
            if co_status(co) == "dead" then co_close(co) end
            if type(r[2]) == "string" then error(r[2], 2) end
            error(r[2], 0)
          end
        end
        """
}

extension LuaState {
    /// Compiles `code` onto `stack` (a function), or throws its syntax error.
    public static func loadChunk(_ stack: LuaStack, _ code: String, chunkName: String) throws {
        let bytes = Array(code.utf8)
        let status = bytes.withUnsafeBufferPointer { buf in
            buf.withMemoryRebound(to: CChar.self) { chars in
                chunkName.withCString { smsh_loadbuffer(stack.L, chars.baseAddress, chars.count, $0) }
            }
        }
        if status != LUA_OK { throw stack.takeError(status: status) }
    }
}
