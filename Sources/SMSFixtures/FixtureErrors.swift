import SMSClient

/// The errors fixtures raise. They are `SMSError`s (status nil, not retryable) so that they
/// reach a Lua script as the same error value every other failure is.
extension SMSError.Code {
    /// Replay met a request that no recorded interaction matches.
    public static let unmatchedRequest = "UNMATCHED_REQUEST"
    /// Replay-only mode and the cassette file does not exist.
    public static let cassetteMissing = "CASSETTE_MISSING"
    /// The cassette file is not JSON, has the wrong shape, or has another format version.
    public static let cassetteInvalid = "CASSETTE_INVALID"
    /// The cassette could not be read or written (permissions, disk full, a directory in the way).
    public static let cassetteIO = "CASSETTE_IO"
}

/// Paths and problems pass through `VisibleText`: a cassette's bytes (a NUL in a corrupt file)
/// or an odd path are shown escaped, never raw into a terminal or log.
enum FixtureError {
    static func unmatched(_ message: String) -> SMSError {
        SMSError(status: nil, code: SMSError.Code.unmatchedRequest, message: message, retryable: false)
    }

    static func missing(_ path: String) -> SMSError {
        SMSError(
            status: nil, code: SMSError.Code.cassetteMissing,
            message: "cassette \(VisibleText.escaped(path)) does not exist (record mode 'none' only replays; record it with mode 'once')",
            retryable: false)
    }

    static func invalid(_ path: String, _ problem: String) -> SMSError {
        SMSError(
            status: nil, code: SMSError.Code.cassetteInvalid,
            message: "cassette \(VisibleText.escaped(path)): \(VisibleText.escaped(problem))", retryable: false)
    }

    static func io(_ path: String, _ problem: String) -> SMSError {
        SMSError(
            status: nil, code: SMSError.Code.cassetteIO,
            message: "cassette \(VisibleText.escaped(path)): \(VisibleText.escaped(problem))", retryable: false)
    }
}
