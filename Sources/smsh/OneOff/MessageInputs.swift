import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSClient

/// What `smsh send` and `smsh preview` say and to whom: the options behind `sms.send`'s
/// fields, checked before anything is sent. Problems name the option (exit 2); invalid
/// numbers in a --to-file name the line and value (INVALID_MSISDN, exit 1, as in a script).
struct MessageInputs: ParsableArguments {
    @Option(help: ArgumentHelp("The approved sender name, up to 11 characters (default: the profile's sender).", valueName: "name"))
    var sender: String?

    @Option(help: ArgumentHelp("The message text (up to 1,000 characters).", valueName: "text"))
    var text: String?

    @Option(help: ArgumentHelp("Send this template instead of --text.", valueName: "id"))
    var templateId: Int64?

    @Option(name: .customLong("var"), help: ArgumentHelp("A template placeholder's value, name=value (repeatable): --var name=Toon fills {{name}}.", valueName: "name=value"))
    var variables: [String] = []

    @Option(parsing: .upToNextOption, help: ArgumentHelp("A recipient's number, 0812345678 or 66812345678 (repeatable; several may follow one --to).", valueName: "number"))
    var to: [String] = []

    @Option(help: ArgumentHelp("Read the recipients from this file: one number per line, or with --column a CSV file's column.", valueName: "file"))
    var toFile: String?

    @Option(help: ArgumentHelp("With --to-file: the CSV column that holds the numbers (the header row names it).", valueName: "name"))
    var column: String?

    @Option(help: ArgumentHelp("Send to this contact group instead of numbers.", valueName: "id"))
    var group: Int64?

    /// Send-only; `smsh preview` hides it (see `PreviewCommand`).
    @Option(help: ArgumentHelp("Send later: an ISO 8601 time with offset (2026-06-01T10:00:00+07:00) or epoch seconds.", valueName: "time"))
    var schedule: String?

    /// Conflicts and bad values; what is missing is checked in `request` (ArgumentParser
    /// reports an unknown option only after `validate`, and `--bogus` must be named as such).
    func validate() throws {
        if text != nil && templateId != nil { throw ValidationError("Use either --text or --template-id, not both.") }
        if !variables.isEmpty && templateId == nil { throw ValidationError("--var fills a template's placeholders: it needs --template-id.") }
        for v in variables where !v.contains("=") || v.hasPrefix("=") {
            throw ValidationError("--var must be name=value, not '\(v)'.")
        }
        // --to and --to-file make one list; a contact group is another kind of recipient.
        if group != nil && (!to.isEmpty || toFile != nil) { throw ValidationError("Use --group alone, or --to and --to-file (which combine).") }
        if column != nil && toFile == nil { throw ValidationError("--column needs --to-file FILE.") }
        for (i, raw) in to.enumerated() {
            if case .failure(let reason) = MSISDN.normalize(raw) {
                throw ValidationError("--to number \(i + 1) ('\(raw)') is not a Thai mobile number (\(reason)); nothing was sent.")
            }
        }
        if let schedule { _ = try scheduledTime(schedule) }
        // A text in another encoding (TIS-620 Thai) reaches Swift with U+FFFD in place of its
        // bytes: sending that would charge for a garbled message.
        let typed = [("--text", text), ("--sender", sender)] + variables.map { ("--var", Optional($0)) }
        for case let (option, value?) in typed where value.unicodeScalars.contains("\u{FFFD}") && CommandLineBytes.hasInvalidUTF8 {
            throw ValidationError("\(option) is not UTF-8 text (convert it first, e.g. with iconv -f TIS-620 -t UTF-8); nothing was sent.")
        }
    }

    /// `--schedule`: digits are epoch seconds, anything else ISO 8601.
    func scheduledTime(_ text: String) throws -> ScheduledTime {
        let time: ScheduledTime = Double(text).map { .epochSeconds($0) } ?? .iso8601(text)
        do {
            _ = try time.wireValue()
        } catch let e as SMSError {
            throw ValidationError("--schedule: \(e.message)")
        }
        return time
    }

    /// The request, with the numbers read and checked, and how many repeated numbers the
    /// --to-file reader dropped (the send's own `duplicatesRemoved` cannot see them: add them
    /// with `counting`). `command` names the errors.
    func request(command: String, defaultSender: String?) throws -> (SendRequest, fileDuplicates: Int) {
        if text == nil && templateId == nil { throw OneOff.usageError(command, "give the message: --text TEXT or --template-id ID") }
        if to.isEmpty && toFile == nil && group == nil {
            throw OneOff.usageError(command, "give the recipients: --to NUMBER, --to-file FILE or --group ID")
        }
        guard let sender = sender ?? defaultSender else {
            throw OneOff.usageError(command, "--sender is required (or set sender in the profile)")
        }
        var vars: [String: JSONValue]?
        if !variables.isEmpty {
            vars = [:]
            for v in variables {
                let eq = v.firstIndex(of: "=")!
                vars?[String(v[..<eq])] = .string(String(v[v.index(after: eq)...]))
            }
        }
        let (numbers, fileDuplicates) = try numbers(command: command)
        let request = SendRequest(
            sender: sender, content: text, templateId: templateId, variables: vars, msisdns: numbers,
            contactGroupId: group, scheduledTime: try schedule.map(scheduledTime))
        return (request, fileDuplicates)
    }

    /// A send's or preview's result with --to-file's repeated lines added to `duplicatesRemoved`,
    /// so `smsh send --to-file` says what `--to` with the same numbers says.
    static func counting(fileDuplicates: Int, in result: [String: JSONValue]) -> [String: JSONValue] {
        guard fileDuplicates > 0 else { return result }
        var result = result
        let removed: Int64
        switch result["duplicatesRemoved"] {
        case .int(let n)?: removed = n
        case .double(let d)?: removed = Int64(d)
        default: removed = 0
        }
        result["duplicatesRemoved"] = .int(removed + Int64(fileDuplicates))
        return result
    }

    /// Runs the send or preview; the request's own checks (made before anything goes out)
    /// come back as usage errors naming the option instead of the field.
    func namingOptions<T>(command: String, _ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch let e as SMSError where e.status == nil && e.code == SMSError.Code.invalidArgument && e.field != nil {
            // The numbers came from --to-file when one was given (2,000,001 lines, say).
            let option = toFile != nil && (e.field ?? "").hasPrefix("msisdns") ? (to.isEmpty ? "--to-file" : "--to/--to-file") : MessageInputs.option(for: e.field)
            throw OneOff.usageError(command, "\(option): \(e.message)")
        }
    }

    /// --to's numbers and --to-file's (read by the reader `sms.numbers` uses) as one list: a
    /// number in both is sent once, and counted in the send's `duplicatesRemoved`.
    private func numbers(command: String) throws -> (MSISDNList?, duplicates: Int) {
        guard let toFile else { return (to.isEmpty ? nil : MSISDNList(to), 0) }
        let file: NumberFile
        do {
            file = try NumberFile.read(path: toFile, column: column)
        } catch let e as SMSError where e.code == SMSError.Code.invalidArgument {
            throw OneOff.usageError(command, "\(e.field == "column" ? "--column" : "--to-file"): \(e.message)")
        }
        if let first = file.invalid.first {
            let more = file.invalid.count > 1 ? " (and \(file.invalid.count - 1) more invalid line(s))" : ""
            throw SMSError(status: nil, code: SMSError.Code.invalidMSISDN,
                           message: "\(command): \(toFile) line \(first.line): \(SMSError.quoted(first.value)) is not a Thai mobile number (\(first.reason))\(more); nothing was sent",
                           retryable: false, field: "--to-file", notSent: true)
        }
        if file.numbers.count == 0 { throw OneOff.usageError(command, "--to-file: \(toFile) has no numbers") }
        if to.isEmpty { return (file.numbers, file.duplicates) }
        // --to's first, then the file's: the send removes the numbers given twice.
        var reader = MSISDNList.Reader(capacity: to.count + file.numbers.count)
        for number in to { try reader.append(number) }
        for number in try file.numbers.normalForms() { try reader.append(number) }
        return (reader.finish(), file.duplicates)
    }

    /// The option behind a request field, for error messages.
    static func option(for field: String?) -> String {
        switch field ?? "" {
        case "sender": return "--sender"
        case "content": return "--text"
        case "templateId": return "--template-id"
        case let f where f.hasPrefix("variables"): return "--var"
        case let f where f.hasPrefix("msisdns"): return "--to"
        case "contactGroupId": return "--group"
        case "scheduledTime": return "--schedule"
        default: return field ?? "argument"
        }
    }
}
