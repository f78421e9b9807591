/// Every module's structured documentation, in one list: what `help()` shows, what
/// `smsh docs --luals` writes and what `smsh lint`'s luacheck standard allows all come from it.
public enum DocRegistry {
    /// The modules every smsh Lua state has, in the order `help()` lists them, then the globals.
    public static let modules: [ModuleDoc] = [SMSDocs.moduleDoc, JSONDocs.moduleDoc, LogDocs.moduleDoc, GlobalDocs.moduleDoc]

    /// The globals `smsh test` adds to specs.
    public static let specHelpers = GlobalDocs.specHelpers

    /// The module named `name` (`sms`), if documented.
    public static func module(_ name: String) -> ModuleDoc? { modules.first { $0.name == name } }
}
