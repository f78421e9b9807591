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
        case 5:  // a huge string: up to 1 MiB of one repeated chunk, at most 4 per input
            let chunk = input.bytes(max: 8)
            let length = input.int(below: 1 << 16) * 16
            guard hugeStrings < 4 else { break }
            hugeStrings += 1
            s.push(bytes: (0..<length).map { chunk.isEmpty ? 0xFF : chunk[$0 % chunk.count] })
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
            let n = input.int(below: 5000)
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
    precondition(canonical(copy) == canonical(again), "Lua → Swift → Lua changed the value")
}

/// A comparable form: NaN as a marker, functions and nils dropped (they push as nil),
/// arrays and hash parts merged into one key → value map.
private indirect enum Canon: Hashable {
    case scalar(LuaValue)
    case nan
    case table([Canon: Canon])
}

private func canonical(_ v: LuaValue) -> Canon? {
    switch v {
    case .nil, .opaque: return nil
    case .number(let d) where d.isNaN: return .nan
    case .table(let t):
        var map: [Canon: Canon] = [:]
        for (i, item) in t.array.enumerated() {
            if let c = canonical(item) { map[.scalar(.integer(Int64(i + 1)))] = c }
        }
        for (k, item) in t.hash {
            if let ck = canonical(k), let c = canonical(item) { map[ck] = c }
        }
        return .table(map)
    default: return .scalar(v)
    }
}
