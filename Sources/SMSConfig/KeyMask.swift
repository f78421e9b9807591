/// Shows an API key without revealing it: `sk_…9f` (first 3 and last 2 characters at most;
/// a short key shows less, so the visible part is never most of the key).
public enum KeyMask {
    public static func mask(_ key: String?) -> String {
        guard let key, !key.isEmpty else { return "(none)" }
        let c = Array(key)
        if c.count >= 12 { return String(c.prefix(3)) + "…" + String(c.suffix(2)) }
        if c.count >= 6 { return String(c.prefix(1)) + "…" + String(c.suffix(1)) }
        return "…"
    }
}
