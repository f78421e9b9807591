import CLua
import CLuaShim
import LuaHost

/// libFuzzer target `lua_value`: Lua → Swift → Lua value conversion through `LuaStack`.
///
/// The input bytes are a little program that builds Lua values with the C API: scalars,
/// NaN/±inf, raw byte strings (invalid UTF-8, NULs), huge strings, tables filled with
/// array items and fields, cycles (`t.self = t`), nesting hundreds deep, functions and
/// metatables. For each value `LuaStack.value(at:)` must either throw `LuaValueError`
/// (cycle, too deep) or return a copy that, pushed back with `push(_:)` and read again,
/// is equivalent; the stack height must be the same afterwards; `describe(at:)` never raises.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLuaValue(_ data: UnsafePointer<UInt8>?, _ size: Int) -> Int32 {
    var input = FuzzInput(data, size)
    guard let state = try? LuaState() else { preconditionFailure("cannot create a Lua state") }
    let s = state.stack
    let L = s.L
    var steps = 0
    var hugeStrings = 0
    while !input.isAtEnd && steps < 400 {
        steps += 1
        if s.top > 40 { s.top = 20 }
        s.ensure(8)
        switch input.byte() % 16 {
        case 0: s.pushNil()
        case 1: s.push(input.byte() & 1 == 1)
        case 2: s.push(input.int64())
        case 3: s.push(input.double())
        case 4: s.push(bytes: input.bytes(max: 64))
        case 5:  // a huge string: up to 256 KiB (Swift under ASan copies it slowly), one byte
                 // repeated with a marker byte every 4 KiB; at most 2 per input
            let chunk = input.bytes(max: 8)
            let length = input.int(below: 1 << 14) * 16
            guard hugeStrings < 2 else { break }
            hugeStrings += 1
            var big = [UInt8](repeating: chunk.first ?? 0xFF, count: length)
            if chunk.count > 1 { for i in stride(from: 0, to: length, by: 4096) { big[i] = chunk[1] } }
            s.push(bytes: big)
        case 6: s.newTable(arrayCount: input.int(below: 8), fieldCount: input.int(below: 8))
        case 7:  // t[i] = v (raw), table below the value
            guard s.top >= 2, s.type(at: -2) == LUA_TTABLE else { break }
            lua_rawseti(L, -2, Int64(input.int(below: 12)) - 2)
        case 8:  // t[k] = v with the value below the top as key
            guard s.top >= 3, s.type(at: -3) == LUA_TTABLE, s.type(at: -2) != LUA_TNIL else { break }
            if s.type(at: -2) == LUA_TNUMBER, let d = s.number(at: -2), d.isNaN { break }
            lua_rawset(L, -3)
        case 9:  // t.self = t: a cycle, possibly several levels down
            guard s.top >= 1, s.type(at: -1) == LUA_TTABLE else { break }
            s.pushCopy(of: -1)
            s.setField(input.byte() & 1 == 1 ? "self" : "\u{FF}", in: -2)
        case 10:  // wrap the top value in n nested tables
            guard s.top >= 1 else { break }
            let n = input.int(below: 300)
            for _ in 0..<n {
                s.newTable()
                smsh_insert(L, -2)
                s.setIndex(1, in: -2)
            }
        case 11:  // a Swift-backed function
            s.push { st in st.push("called"); return 1 }
        case 12:  // a metatable whose __index / __len / __pairs / __tostring raise
            guard s.top >= 1, s.type(at: -1) == LUA_TTABLE else { break }
            s.newTable()
            for name in ["__index", "__len", "__pairs", "__tostring"] {
                s.push { _ in throw LuaArgumentError("metamethod raised") }
                s.setField(name, in: -2)
            }
            s.setMetatable(forValueAt: -2)
        case 13:  // sequential array of n integers
            let n = input.int(below: 2000)
            s.newTable(arrayCount: n)
            for i in 0..<n { s.push(Int64(i)); s.setIndex(Int64(i + 1), in: -2) }
        case 14: s.pushCopy(of: -Int32(1 + input.int(below: Int(max(1, s.top)))))
        default: check(s)
        }
    }
    check(s)
    return 0
}

/// Converts the top value, pushes the copy back and compares; the stack is left as it was.
private func check(_ s: LuaStack) {
    guard s.top >= 1 else { return }
    let before = s.top
    // Tables shared along many paths (t = {t, t} forty times) expand exponentially when
    // copied: inherent to copying values, not a bug, so such inputs are skipped.
    var budget = 200_000
    guard fitsBudget(s, s.absolute(-1), &budget, depth: 0) else {
        s.top = before
        return
    }
    precondition(s.top == before)
    _ = s.describe(at: -1)
    precondition(s.top == before, "describe changed the stack")
    let copy: LuaValue
    do {
        copy = try s.value(at: -1)
    } catch let e as LuaValueError {
        precondition(s.top == before, "a failed conversion left values on the stack")
        precondition(!e.description.isEmpty)
        return
    } catch {
        preconditionFailure("value(at:) threw \(error)")
    }
    precondition(s.top == before, "value(at:) changed the stack")
    s.push(copy)
    let again = try! s.value(at: -1)
    s.pop()
    precondition(same(copy, again), "Lua → Swift → Lua changed the value")
}

/// Equivalence after a round trip: NaN equals NaN; functions, userdata and threads push as
/// nil, so entries holding them may be missing on the other side; array and hash parts are
/// compared as one key → value map (a hole moves later items into the hash part).
private func same(_ a: LuaValue, _ b: LuaValue) -> Bool {
    if isDropped(a) && isDropped(b) { return true }
    switch (a, b) {
    case (.number(let x), .number(let y)): return x == y || (x.isNaN && y.isNaN)
    case (.table(let x), .table(let y)):
        let mx = entries(x), my = entries(y)
        guard mx.count == my.count else { return false }
        for (k, v) in mx {
            guard let w = my[k], same(v, w) else { return false }
        }
        return true
    default: return a == b
    }
}

private func entries(_ t: LuaTable) -> [LuaValue: LuaValue] {
    var map: [LuaValue: LuaValue] = [:]
    for (i, v) in t.array.enumerated() where !isDropped(v) { map[.integer(Int64(i + 1))] = v }
    for (k, v) in t.hash where !isDropped(v) && !isDropped(k) { map[k] = v }
    return map
}

private func isDropped(_ v: LuaValue) -> Bool {
    switch v {
    case .nil, .opaque: return true
    default: return false
    }
}

/// Walks the value like `value(at:)` would (tree expansion, stopping at depth 110) and says
/// whether it has at most `budget` nodes.
private func fitsBudget(_ s: LuaStack, _ index: Int32, _ budget: inout Int, depth: Int) -> Bool {
    budget -= 1
    guard budget >= 0 else { return false }
    guard s.type(at: index) == LUA_TTABLE, depth < 110 else { return true }
    s.ensure(4)
    s.pushNil()
    while lua_next(s.L, index) != 0 {
        guard fitsBudget(s, s.absolute(-2), &budget, depth: depth + 1),
              fitsBudget(s, s.absolute(-1), &budget, depth: depth + 1) else { return false }
        s.pop()
    }
    return true
}
