#if canImport(Glibc)
import Glibc
#endif
import NIOConcurrencyHelpers

/// A time zone by IANA identifier ("Asia/Bangkok"), read from the system's tzdata through the C
/// library, for send windows. Foundation's `TimeZone(identifier:)` knows named zones only with
/// FoundationInternationalization, whose ICU data (~34 MB) smsh does not link (Package.swift).
public final class SystemTimeZone: Equatable, @unchecked Sendable {
    public let identifier: String
    private let lock = NIOLock()
    /// The last answer, by minute: offsets change at most at a transition, a whole minute in
    /// tzdata, so a campaign asking once per send reads the zone once per minute of clock.
    private var cached: (minute: Int64, offset: Int)?

    /// `TZ` is process-wide: every switch to a zone and back happens under this lock.
    private static let environmentLock = NIOLock()

    /// Nil when the identifier names no zone file (`$TZDIR`, else /usr/share/zoneinfo).
    public init?(identifier: String) {
        guard identifier == "UTC" || Self.zoneFileExists(identifier) else { return nil }
        self.identifier = identifier
    }

    public static func == (a: SystemTimeZone, b: SystemTimeZone) -> Bool { a.identifier == b.identifier }

    /// The zone's offset from UTC, in seconds, at `epochSeconds`.
    public func secondsFromGMT(at epochSeconds: Double) -> Int {
        let minute = Int64((epochSeconds / 60).rounded(.down))
        return lock.withLock {
            if let cached, cached.minute == minute { return cached.offset }
            let offset = identifier == "UTC" ? 0 : Self.offset(zone: identifier, at: time_t(minute * 60))
            cached = (minute, offset)
            return offset
        }
    }

    private static func offset(zone: String, at time: time_t) -> Int {
        environmentLock.withLock {
            let previous = getenv("TZ").map { String(cString: $0) }
            setenv("TZ", ":" + zone, 1)
            tzset()
            var t = time, parts = tm()
            localtime_r(&t, &parts)
            if let previous { setenv("TZ", previous, 1) } else { unsetenv("TZ") }
            tzset()
            return parts.tm_gmtoff
        }
    }

    /// A relative name of letters, digits, `_+-` and `/` (never `..`) whose file starts with
    /// the TZif magic: glibc silently takes an unknown zone for UTC, so it is checked first.
    private static func zoneFileExists(_ identifier: String) -> Bool {
        guard !identifier.isEmpty, !identifier.hasPrefix("/"), !identifier.contains(".."),
              identifier.utf8.allSatisfy({ $0 < 128 && ($0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                  || $0 == UInt8(ascii: "+") || Character(Unicode.Scalar($0)).isLetter || Character(Unicode.Scalar($0)).isNumber) })
        else { return false }
        let dir = getenv("TZDIR").map { String(cString: $0) } ?? "/usr/share/zoneinfo"
        guard let file = fopen(dir + "/" + identifier, "rb") else { return false }
        defer { fclose(file) }
        var magic = [UInt8](repeating: 0, count: 4)
        return fread(&magic, 1, 4, file) == 4 && magic == Array("TZif".utf8)
    }
}
