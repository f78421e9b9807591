import CLua
import CLuaShim
import LuaHost
import SMSClient

/// The one conversion of Swift errors into Lua error values for the `sms` module: a table
/// `{status=, code=, message=, retryable=, field=}` whose `__tostring` gives
/// `CODE (status): message`, so scripts can branch on `err.code` and people can read it.
extension SMSError: LuaErrorConvertible {
    public func pushLuaError(_ stack: LuaStack) {
        stack.newTable(fieldCount: 5)
        if let status {
            stack.push(Int64(status))
            stack.setField("status", in: -2)
        }
        stack.push(code)
        stack.setField("code", in: -2)
        stack.push(message)
        stack.setField("message", in: -2)
        stack.push(retryable)
        stack.setField("retryable", in: -2)
        if let field {
            stack.push(field)
            stack.setField("field", in: -2)
        }
        SMSErrorValue.pushMetatable(stack)
        stack.setMetatable(forValueAt: -2)
    }
}

enum SMSErrorValue {
    static let registryKey = "smsh.sms.Error"

    /// One shared metatable: `__tostring` renders the fields, `__name` is `sms.Error`.
    static func pushMetatable(_ stack: LuaStack) {
        if stack.getField(registryKey, in: smsh_registryindex()) == LUA_TTABLE { return }
        stack.pop()
        stack.newTable(fieldCount: 2)
        stack.push { s in
            s.push(render(s, at: 1))
            return 1
        }
        stack.setField("__tostring", in: -2)
        stack.push("sms.Error")
        stack.setField("__name", in: -2)
        stack.pushCopy(of: -1)
        stack.setField(registryKey, in: smsh_registryindex())
    }

    /// `CODE (status): message` from the table's current fields (raw reads only).
    static func render(_ s: LuaStack, at index: Int32) -> String {
        guard s.type(at: index) == LUA_TTABLE else { return "sms.Error" }
        s.getField("code", in: index)
        s.getField("status", in: index)
        s.getField("message", in: index)
        defer { s.pop(3) }
        let code = s.string(at: -3) ?? "ERROR"
        let message = s.string(at: -1) ?? ""
        if let status = s.integer(at: -2) { return "\(code) (\(status)): \(message)" }
        return "\(code): \(message)"
    }

    /// An SMSError about an argument, prefixed with the Lua function's name so the message
    /// says where the mistake is: `sms.send: 'msisdns[3]' = "12ab" is not a Thai mobile number`.
    static func prefixed(_ error: SMSError, function: String) -> SMSError {
        guard error.status == nil, error.field != nil || error.code == SMSError.Code.invalidArgument
            || error.code == SMSError.Code.invalidMSISDN, !error.message.hasPrefix(function + ":")
        else { return error }
        var e = error
        e.message = "\(function): \(error.message)"
        return e
    }
}
