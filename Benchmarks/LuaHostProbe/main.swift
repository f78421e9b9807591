// Drives the Lua/Swift boundary hard, for two scripts:
//   luahost-probe stress N     N Swift-backed calls from Lua, every other one failing
//                              (run under valgrind by scripts/check-memory)
//   luahost-probe overhead N   N calls of a Swift-backed add vs a plain C lua_CFunction add
//                              (scripts/bench/call_overhead), prints ns/call and the ratio
import CLua
import CLuaBench
import CLuaShim
import LuaHost

#if canImport(Glibc)
    import Glibc
#endif

struct Failure: Error, CustomStringConvertible {
    let n: Int64
    var description: String { "call \(n) failed on purpose" }
}

func monotonicSeconds() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

/// `d` with `places` decimals (no Foundation in this probe: start-up matters elsewhere).
func fixed(_ d: Double, _ places: Int) -> String {
    var scale = 1.0
    for _ in 0..<places { scale *= 10 }
    let v = (d * scale).rounded() / scale
    var text = "\(v)"
    let decimals = text.split(separator: ".").last.map(\.count) ?? 0
    if decimals < places { text += String(repeating: "0", count: places - decimals) }
    return text
}

func stress(_ n: Int64) throws {
    let lua = try LuaState()
    lua.register("maybe") { s in
        let i = s.integer(at: 1) ?? 0
        if i % 2 == 1 { throw Failure(n: i) }
        s.push(["i": .integer(i), "label": .string("ok \(i)")] as LuaValue)
        return 1
    }
    let r = try lua.run("""
        local ok, failed = 0, 0
        for i = 1, \(n) do
          local good, v = pcall(maybe, i)
          if good and v.i == i then ok = ok + 1 elseif not good and v:find("failed on purpose") then failed = failed + 1 end
        end
        return ok, failed
        """)
    print("stress: \(n) calls, ok=\(r[0]) failed=\(r[1])")
    guard r == [.integer(n / 2), .integer(n - n / 2)] else {
        print("stress: unexpected counts")
        exit(1)
    }
}

func overhead(_ n: Int64) throws {
    let lua = try LuaState()
    lua.register("swift_add") { s in
        let a = lua_tointegerx(s.L, 1, nil), b = lua_tointegerx(s.L, 2, nil)
        lua_pushinteger(s.L, a &+ b)
        return 1
    }
    lua_pushcclosure(lua.L, smsh_bench_add, 0)
    lua.setGlobalFromTop("c_add")
    func time(_ fn: String) throws -> Double {
        let start = monotonicSeconds()
        let r = try lua.run("local f, s = \(fn), 0 for i = 1, \(n) do s = f(s, 1) end return s")
        let elapsed = monotonicSeconds() - start
        guard r == [.integer(n)] else { fatalError("wrong sum") }
        return elapsed / Double(n) * 1e9
    }
    // Warm up, then alternate to spread machine noise over both.
    _ = try time("c_add")
    var swiftTimes: [Double] = [], cTimes: [Double] = []
    for _ in 0..<5 {
        cTimes.append(try time("c_add"))
        swiftTimes.append(try time("swift_add"))
    }
    let c = cTimes.min()!, sw = swiftTimes.min()!
    print("calls: \(n) per run, best of 5 runs each")
    print("plain C lua_CFunction:  \(fixed(c, 1)) ns/call")
    print("Swift-backed function:  \(fixed(sw, 1)) ns/call")
    print("ratio Swift/C:          \(fixed(sw / c, 2))  (target <= 1.50)")
}

let args = CommandLine.arguments
guard args.count == 3, let n = Int64(args[2]) else {
    print("usage: luahost-probe stress|overhead N")
    exit(2)
}
switch args[1] {
case "stress": try stress(n)
case "overhead": try overhead(n)
default:
    print("unknown mode \(args[1])")
    exit(2)
}
