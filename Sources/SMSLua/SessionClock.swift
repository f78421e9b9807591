import LuaHost
import SMSClient

/// Makes `os.time()` and `os.date(fmt)` without a time argument follow the session clock,
/// so scripts that compute `os.time() + 3600` or print dates agree with `sms.now()` in the
/// sandbox and under replay (virtual time). With arguments they are untouched.
public enum SessionClock {
    public static func install(in lua: LuaState, environment: SMSEnvironment) throws {
        lua.stack.push { s in
            s.push(Int64(environment.clock.now().rounded(.down)))
            return 1
        }
        lua.setGlobalFromTop("__smsh_clock_now")
        try lua.run("""
            local now, time, date = __smsh_clock_now, os.time, os.date
            __smsh_clock_now = nil
            os.time = function(t, ...) if t == nil then return now() end return time(t, ...) end
            os.date = function(fmt, t, ...) if t == nil then return date(fmt, now()) end return date(fmt, t, ...) end
            """, chunkName: "=(smsh clock)")
    }
}
