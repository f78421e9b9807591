/// How many SMS parts a text takes, by the rule API.md states: text that fits the GSM 7-bit
/// alphabet is 1 part up to 160 septets, else parts of 153 (extension characters
/// `^{}\[~]|€` and form feed count 2); any other character (Thai included) makes the whole
/// text UCS-2: 1 part up to 70 UTF-16 units, else parts of 67. Credits = parts × recipients.
public struct MessageParts: Sendable, Equatable {
    public enum Encoding: String, Sendable {
        case gsm7
        case ucs2
    }

    public let parts: Int
    public let encoding: Encoding
    /// Length in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2.
    public let characters: Int

    public init(parts: Int, encoding: Encoding, characters: Int) {
        self.parts = parts
        self.encoding = encoding
        self.characters = characters
    }

    public static func of(_ text: String) -> MessageParts {
        var septets = 0
        var isGSM = true
        for scalar in text.unicodeScalars {
            if gsmBasic.contains(scalar) {
                septets += 1
            } else if gsmExtension.contains(scalar) {
                septets += 2
            } else {
                isGSM = false
                break
            }
        }
        if isGSM {
            return MessageParts(parts: septets <= 160 ? 1 : (septets + 152) / 153, encoding: .gsm7, characters: septets)
        }
        let units = text.utf16.count
        return MessageParts(parts: units <= 70 ? 1 : (units + 66) / 67, encoding: .ucs2, characters: units)
    }

    /// GSM 03.38 basic character set.
    static let gsmBasic: Set<Unicode.Scalar> = Set(
        ("@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
            + "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà").unicodeScalars)

    /// GSM 03.38 extension table: each takes an escape septet plus its own.
    static let gsmExtension: Set<Unicode.Scalar> = Set("^{}\\[~]|€\u{0C}".unicodeScalars)
}
