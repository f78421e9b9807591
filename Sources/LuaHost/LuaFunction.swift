import CLua
import CLuaShim

/// A Swift-backed Lua function working on the stack directly: arguments are at 1...top;
/// it pushes its results and returns how many. Throwing raises a Lua error (via the C
/// trampoline, after this function has returned).
public typealias LuaRawFunction = (LuaStack) throws -> Int32

/// A Swift-backed Lua function working on copied values.
public typealias LuaValueFunction = (LuaArguments) throws -> [LuaValue]

/// Owns a Swift closure for as long as its Lua closure lives; released by the box's `__gc`.
final class LuaFunctionBox {
    let body: LuaRawFunction
    init(_ body: @escaping LuaRawFunction) { self.body = body }
}

// Non-capturing C callbacks (a capturing closure converted to @convention(c) crashes swiftc
// 6.3.1): context comes through the `ctx` pointer.
private let invokeBox: smsh_swift_call = { L, ctx in
    let stack = LuaStack(L!)
    return Unmanaged<LuaFunctionBox>.fromOpaque(ctx!)._withUnsafeGuaranteedRef { box in
        do {
            return try box.body(stack)
        } catch {
            stack.pushError(error)
            return -1
        }
    }
}

private let releaseBox: smsh_swift_release = { ctx in
    Unmanaged<LuaFunctionBox>.fromOpaque(ctx!).release()
}

extension LuaStack {
    /// Pushes a Lua function backed by `body`. The closure (and what it captured) is freed
    /// when Lua collects the function, at the latest when the state closes.
    public func push(function body: @escaping LuaRawFunction) {
        let box = Unmanaged.passRetained(LuaFunctionBox(body))
        if smsh_push_swift_function(L, invokeBox, releaseBox, box.toOpaque(), 1) != LUA_OK {
            box.release()
            // The error message is on top; replace it with a function that reports the failure.
            smsh_pop(L, 1)
            lua_pushnil(L)
        }
    }

    /// Pushes a Lua function taking and returning copied values.
    public func push(name: String, valueFunction body: @escaping LuaValueFunction) {
        push { stack in
            let results = try body(LuaArguments(stack: stack, functionName: name))
            stack.ensure(Int32(results.count) + 2)
            for r in results { stack.push(r) }
            return Int32(results.count)
        }
    }

    /// Pushes the Lua error value for a Swift error: `LuaErrorConvertible` errors choose their
    /// value (tables, re-raised Lua errors); any other error becomes its description.
    func pushError(_ error: Error) {
        if let convertible = error as? LuaErrorConvertible {
            convertible.pushLuaError(self)
        } else {
            push(String(describing: error))
        }
    }
}

/// The arguments of a call, with checks that produce `luaL_argerror`-style messages.
public struct LuaArguments {
    public let stack: LuaStack
    /// The name shown in argument errors, e.g. `sms.send`.
    public let functionName: String

    public init(stack: LuaStack, functionName: String) {
        self.stack = stack
        self.functionName = functionName
    }

    public var count: Int32 { stack.top }

    public func value(_ i: Int32) throws -> LuaValue {
        do {
            return try stack.value(at: i)
        } catch let e as LuaValueError {
            throw argumentError(i, e.description)
        }
    }

    public func string(_ i: Int32) throws -> String {
        guard let s = stack.string(at: i) else { throw typeError(i, expected: "string") }
        return s
    }

    public func optionalString(_ i: Int32) throws -> String? {
        if stack.type(at: i) <= LUA_TNIL { return nil }
        return try string(i)
    }

    public func integer(_ i: Int32) throws -> Int64 {
        guard let v = stack.integer(at: i) else {
            if stack.type(at: i) == LUA_TNUMBER { throw argumentError(i, "number has no integer representation") }
            throw typeError(i, expected: "integer")
        }
        return v
    }

    public func number(_ i: Int32) throws -> Double {
        guard let v = stack.number(at: i) else { throw typeError(i, expected: "number") }
        return v
    }

    public func table(_ i: Int32) throws -> LuaTable {
        guard stack.type(at: i) == LUA_TTABLE else { throw typeError(i, expected: "table") }
        guard case .table(let t) = try value(i) else { throw typeError(i, expected: "table") }
        return t
    }

    public func optionalTable(_ i: Int32) throws -> LuaTable? {
        if stack.type(at: i) <= LUA_TNIL { return nil }
        return try table(i)
    }

    public func argumentError(_ i: Int32, _ message: String) -> LuaArgumentError {
        LuaArgumentError("bad argument #\(i) to '\(functionName)' (\(message))")
    }

    public func typeError(_ i: Int32, expected: String) -> LuaArgumentError {
        let got = stack.type(at: i) == LUA_TNONE ? "no value" : stack.typeName(at: i)
        return argumentError(i, "\(expected) expected, got \(got)")
    }
}
