import CEditLine
import CLuaShim
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif

/// Line input through libedit: emacs keys, Ctrl-R search, history, tab completion, and
/// history autosuggestions (dim text after the cursor; Right or Ctrl-F takes it).
/// libedit's callbacks cannot capture context, so the active completer lives in a global.
/// libedit is loaded when the first editor is made (see CEditLine); without it lines are
/// read plainly, and the REPL says so once.
final class LineEditor {
    enum Input {
        case line(String)
        /// Ctrl-C at the prompt: the line is dropped.
        case interrupted
        /// Ctrl-D on an empty line.
        case endOfInput
    }

    nonisolated(unsafe) static var completer: ((String) -> [String])?

    init(completer: @escaping (String) -> [String]) {
        LineEditor.completer = completer
        if smsh_edit_load() == 0 {
            FileHandleStderr.write("smsh: no line editing or history: \(String(cString: smsh_edit_error()))\n")
        }
        smsh_edit_configure("smsh", SMSLuaWordBreaks.characters) { text, start, end in
            LineEditor.completions(end: Int(end))
        }
        smsh_edit_set_interrupt_check { smsh_sigint_pending() }
    }

    /// Autosuggestions at the REPL's prompts (a profile's `hints`); never while answering a question.
    var hints = false

    func read(prompt: String, suggest: Bool = true) -> Input {
        smsh_edit_set_hints(hints && suggest ? 1 : 0)
        smsh_sigint_clear()
        guard let raw = smsh_edit_readline(prompt) else {
            if smsh_sigint_pending() != 0 {
                smsh_sigint_clear()
                return .interrupted
            }
            return .endOfInput
        }
        defer { free(raw) }
        if smsh_sigint_pending() != 0 {
            smsh_sigint_clear()
            return .interrupted
        }
        return .line(String(cString: raw))
    }

    func addToHistory(_ entry: String) { smsh_edit_add_history(entry) }

    /// libedit wants: [0] = the text to put in place of the word, [1...] = the matches, NULL.
    private static func completions(end: Int) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
        smsh_edit_completion_over()
        guard let completer, let buffer = smsh_edit_line_buffer() else { return nil }
        let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: max(0, min(end, Int(strlen(buffer)))))
        let before = String(decoding: bytes, as: UTF8.self)
        let matches = completer(before)
        guard !matches.isEmpty else { return nil }
        let list = UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>.allocate(capacity: matches.count + 2)
        list[0] = strdup(matches.count == 1 ? matches[0] : commonPrefix(matches))
        for (i, m) in matches.enumerated() { list[i + 1] = strdup(m) }
        list[matches.count + 1] = nil
        if matches.count == 1 {
            free(list[1])
            list[1] = nil
        }
        return list
    }

    static func commonPrefix(_ words: [String]) -> String {
        guard var prefix = words.first.map(Array.init) else { return "" }
        for w in words.dropFirst() {
            let a = Array(w)
            var n = 0
            while n < prefix.count, n < a.count, prefix[n] == a[n] { n += 1 }
            prefix = Array(prefix[..<n])
        }
        return String(prefix)
    }
}

import SMSLua

enum SMSLuaWordBreaks {
    static var characters: String { Completer.wordBreaks }
}
