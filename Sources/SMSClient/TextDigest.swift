/// A short, stable digest of a text (the first 16 hex digits of its SHA-256): names a
/// campaign's send in its send-once key, so a re-run finds the same key for the same text.
public enum TextDigest {
    public static func of(_ text: String) -> String {
        String(SHA256.hex(Array(text.utf8)).prefix(16))
    }
}
