#if canImport(Glibc)
import Glibc
#endif

/// How many terminal columns text takes, so table columns line up when a cell holds Thai
/// (vowel and tone marks above or below a consonant take no column), emoji or CJK (two
/// columns each): `String.count` counts characters, and "ทำ" is one character in two columns.
enum TerminalWidth {
    /// The columns of `text` as glibc's `wcwidth` measures them (Unicode 15 on Debian 12), in
    /// the built-in C.UTF-8 locale whatever the process's locale is. Within a character, what
    /// follows a zero-width joiner (👨‍👩‍👧) is drawn into the first picture and adds nothing.
    static func columns(_ text: String) -> Int {
        // Plain ASCII (most cells: numbers, uuids, statuses) is one column per byte.
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) { return text.utf8.count }
        // Without the locale wcwidth knows only ASCII: a character per column is nearer.
        guard let utf8Locale else { return text.count }
        let previous = uselocale(utf8Locale)
        defer { uselocale(previous) }
        var total = 0
        for character in text {
            for scalar in character.unicodeScalars {
                if scalar.value == 0x200D { break }
                total += max(0, Int(system_wcwidth(Int32(bitPattern: scalar.value))))
            }
        }
        return total
    }

    /// `newlocale` once: C.UTF-8 for character classes only.
    nonisolated(unsafe) private static let utf8Locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", nil)
}

/// glibc's `wcwidth(3)`. Swift's Glibc module leaves it out (it sits behind _XOPEN_SOURCE in
/// <wchar.h>); a plain C function of an int returning an int, so declaring it here is safe.
@_silgen_name("wcwidth")
private func system_wcwidth(_ character: Int32) -> Int32
