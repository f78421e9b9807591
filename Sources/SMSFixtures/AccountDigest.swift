import SMSClient
/// The account part of a state-store scope: the first 16 hex digits of the API key's SHA-256.
/// It tells accounts apart without the key itself being stored or recoverable.
public enum AccountDigest {
    public static func of(apiKey: String) -> String {
        String(SHA256.hex(Array(apiKey.utf8)).prefix(16))
    }
}
