import CLua
import CLuaShim

/// A Lua error seen from Swift: a failed load or call.
public struct LuaError: Error, CustomStringConvertible, @unchecked Sendable {
    public enum Kind: Sendable { case syntax, runtime, memory, handler }

    public let kind: Kind
    /// The error value made readable (its `__tostring` when it has one), without traceback.
    public let message: String
    /// `stack traceback:` lines, when the call ran with a traceback handler.
    public let traceback: String?
    /// The error value itself, when it could be copied (tables lose their metatables).
    public let value: LuaValue
    /// Identifies the original error value kept in the registry, so re-raising it from a
    /// Swift callback raises the very same Lua value (metatable included).
    let token: Int64

    public var description: String {
        if let traceback { return message + "\n" + traceback }
        return message
    }

    /// True for a syntax error at the end of input: the REPL continues the chunk.
    public var isIncompleteChunk: Bool {
        kind == .syntax && message.hasSuffix("<eof>")
    }
}

/// Swift errors that know which Lua value they become (e.g. the `sms` module's error tables).
/// Others become their `description` as a Lua string.
public protocol LuaErrorConvertible: Error {
    /// Pushes exactly one value: the Lua error value. Must not raise (raw operations only).
    func pushLuaError(_ stack: LuaStack)
}

/// A wrong argument to a Swift-backed function: raised as a string with the caller's position,
/// `bad argument #1 to 'send' (table expected, got string)` like `luaL_argerror`.
public struct LuaArgumentError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

extension LuaError: LuaErrorConvertible {
    public func pushLuaError(_ stack: LuaStack) {
        // Same error still in the registry slot? Re-raise the original value.
        if stack.pushKeptError(token: token) { return }
        stack.push(value, depthLimit: 200)
    }
}

enum LuaStatus {
    static func kind(_ status: Int32) -> LuaError.Kind {
        switch status {
        case LUA_ERRSYNTAX: return .syntax
        case LUA_ERRMEM: return .memory
        case LUA_ERRERR: return .handler
        default: return .runtime
        }
    }
}
