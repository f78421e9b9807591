import LuaHost
import SMSDocs

extension GlobalDocs {
    /// Attaches `doc` to the global function `name` (one defined in Lua), so `help(name)` shows it.
    public static func attach(_ doc: FunctionDoc, toGlobalIn lua: LuaState) {
        let s = lua.stack
        guard HelpFunction.resolve(doc.name, s) else { return }
        s.setDoc(doc.helpText, forValueAt: -1)
        s.pop()
    }
}
