/// Every module's structured documentation, in one list: what `help()` shows, what
/// `smsh docs --luals` writes and what `smsh lint`'s luacheck standard allows all come from it.
public enum DocRegistry {
    /// The modules every smsh Lua state has, in the order `help()` lists them, then the globals.
    public static let modules: [ModuleDoc] = [SMSDocs.moduleDoc, JSONDocs.moduleDoc, LogDocs.moduleDoc, GlobalDocs.moduleDoc]

    /// The globals `smsh test` adds to specs.
    public static let specHelpers = GlobalDocs.specHelpers

    /// The module named `name` (`sms`), if documented.
    public static func module(_ name: String) -> ModuleDoc? { modules.first { $0.name == name } }

    /// The request tables the `sms` module's parsers read, each with the field names its
    /// parser accepts (`LuaTableFields.checkKnown`): a test checks the docs list exactly these.
    static let parsedFields: [String: Set<String>] = [
        SMSDocs.sendRequest.name: SMSModule.sendFields,
        SMSDocs.previewRequest.name: SMSModule.previewFields,
        SMSDocs.messagesQuery.name: SMSModule.messagesFields,
        SMSDocs.recipientsQuery.name: SMSModule.recipientsFields,
        SMSDocs.eachRecipientOptions.name: RecipientCursor.fields,
        SMSDocs.waitOptions.name: MessageWaiting.optionFields,
        SMSDocs.campaignRequest.name: Campaign.fields,
        SMSDocs.sendWindow.name: Campaign.windowFields,
        SMSDocs.retryRequest.name: RecipientRetry.fields,
        SMSDocs.csvOptions.name: CSVBinding.fields,
        SMSDocs.numbersOptions.name: NumberListBinding.fields,
    ]
}
