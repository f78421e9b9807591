/// The command line as the bytes the kernel passed. `CommandLine.arguments` repairs
/// invalid UTF-8 (a TIS-620 Thai text, a Latin-1 file name) into U+FFFD, which must neither
/// be sent as an SMS nor reach a Lua script in place of the bytes lua5.4 would give it.
enum CommandLineBytes {
    /// argv[i] as bytes.
    static func argument(_ i: Int) -> [UInt8] {
        guard i >= 0, i < Int(CommandLine.argc), let p = CommandLine.unsafeArgv[i] else { return [] }
        var bytes: [UInt8] = []
        var q = p
        while q.pointee != 0 {
            bytes.append(UInt8(bitPattern: q.pointee))
            q += 1
        }
        return bytes
    }

    /// True when some argument is not valid UTF-8, so a U+FFFD in a parsed option may be a
    /// repair rather than what the user typed.
    static var hasInvalidUTF8: Bool {
        (0..<Int(CommandLine.argc)).contains { String(validating: argument($0), as: UTF8.self) == nil }
    }

    /// The last `count` arguments as bytes, each only where it decodes to the string given
    /// (a rewritten or repaired-then-unmatched argument keeps its string's UTF-8).
    static func tail(_ given: [String]) -> [[UInt8]] {
        let argc = Int(CommandLine.argc)
        return given.enumerated().map { k, s in
            let raw = argument(argc - given.count + k)
            return String(decoding: raw, as: UTF8.self) == s ? raw : Array(s.utf8)
        }
    }
}
