/// Facts about this client that appear on the wire.
public enum SMSClientInfo {
    /// Sent as `User-Agent: smsh/<version>`.
    public static let version = "0.1.0"

    public static var userAgent: String { "smsh/\(version)" }
}
