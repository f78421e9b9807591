/// The doc registry of the file readers (`sms.csv`, `sms.numbers`).
public extension SMSDocs {
    static let csv = FunctionDoc(
        "sms.csv", params: [DocParam("path", "string"), DocParam("options", table: csvOptions, optional: true)],
        returns: [DocReturn("iterator", "fun(): table<string, string>?, integer", "each row and its line")], """
        for row, line in sms.csv("contacts.csv") do ... row.phone, row.name ... end
        Reads a CSV file (RFC 4180) one row at a time (constant memory): the first row names
        the columns; each row is a new table keyed by those names, with the file line where
        it starts. Quoted fields may hold separators, line breaks and "" for a quote; CRLF,
        a UTF-8 byte order mark and blank lines are fine. Leaving the loop early (break,
        error) closes the file.
        Errors: CSV_INVALID naming the file and line ("contacts.csv:7: unterminated quoted
        field", a row with more or fewer fields than the header, text after a closing quote,
        an empty file); INVALID_ARGUMENT for a file that cannot be opened.
        Example: for row, line in sms.csv("contacts.csv") do print(line, row.phone) end
        """)

    static let numbers = FunctionDoc(
        "sms.numbers", params: [DocParam("path", "string"), DocParam("options", table: numbersOptions, optional: true)],
        returns: [DocReturn("list", table: numberList)], """
        Reads phone numbers from a text file (one per line, blank lines skipped) or, with
        column, from that CSV column (by header name); normalises, de-duplicates and checks
        them in Swift. #list = valid distinct numbers; list.duplicates = how many repeats were
        removed; list.invalid = {{line=, value=, reason=}, ...} (file lines). The list is
        accepted as msisdns by sms.send and sms.preview.
        Errors: INVALID_ARGUMENT for a file that cannot be read or an unknown column (naming
        the columns there are); CSV_INVALID for a malformed CSV file.
        Example: local list = sms.numbers("numbers.txt"); sms.send{sender="SMSHDEMO", content="Hi", msisdns=list}
        """)
}
