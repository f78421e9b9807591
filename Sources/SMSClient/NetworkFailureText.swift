import AsyncHTTPClient
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOCore
import NIOPosix
#if canImport(Glibc)
import Glibc
#endif

/// Network errors from NIO and AsyncHTTPClient as `TransportFailure`s whose messages say what
/// happened in plain words and where: a DNS failure as a DNS failure, a refused connection as
/// refused by `host:port`. Their own descriptions carry type names, `(errno: 111)` and texts
/// such as `connection reset (error set): Connection refused`, which tell an operator little.
///
/// `HTTPTransport.failure(for:)` asks this first (after TLS): nil means "not one of these".
/// Each case keeps the classification `HTTPTransport` made for it (never-connected failures
/// are `.connectionRefused`, "certainly not sent").
public enum NetworkFailureText {
    static func describe(_ error: Error, host: String, port: Int?) -> TransportFailure? {
        let place = port.map { "\(host):\($0)" } ?? host
        if let e = error as? NIOConnectionError {
            if e.connectionErrors.isEmpty, e.dnsAError != nil || e.dnsAAAAError != nil {
                return .connectionRefused(dns(host: e.host))
            }
            if let first = e.connectionErrors.first {
                return .connectionRefused(connectText(first.error, place: "\(e.host):\(e.port)"))
            }
            return .connectionRefused("could not connect to \(e.host):\(e.port)")
        }
        if error is SocketAddressError.UnknownHost { return .connectionRefused(dns(host: host)) }
        if let e = error as? SocketAddressError {
            switch e {
            case .failedToParseIPString: return .connectionRefused("could not connect to \(place): not a valid IP address")
            default: return .connectionRefused(dns(host: host))
            }
        }
        if let e = error as? IOError {
            switch e.errnoCode {
            case ECONNREFUSED, ENETUNREACH, EHOSTUNREACH, EADDRNOTAVAIL:
                return .connectionRefused(connectText(e, place: place))
            case ECONNRESET, EPIPE:
                return .connectionLost("\(place) reset the connection before answering")
            default:
                return .connectionLost("network error talking to \(place): \(errnoText(e.errnoCode))")
            }
        }
        if let e = error as? HTTPClientError {
            switch e {
            case .remoteConnectionClosed:
                return .connectionLost("\(place) closed the connection before answering")
            case .cancelled:
                return .connectionLost("the request to \(place) was cancelled")
            case .writeTimeout:
                return .connectionLost("sending the request to \(place) took too long")
            // Proxy errors (handshake timeouts, 407) are HTTPTransport's own to name.
            case .connectTimeout, .tlsHandshakeTimeout, .getConnectionFromPoolTimeout:
                return .connectionRefused("could not connect to \(place) in time")
            case .readTimeout, .deadlineExceeded:
                return .timeout("no response from \(place) in time")
            case .invalidURL, .emptyHost, .emptyScheme:
                return .connectionRefused("invalid URL for \(place)")
            default:
                return nil
            }
        }
        return nil
    }

    /// Why a server (`smsh serve`) could not listen on `host:port`, in plain words: the port in
    /// use, a privileged port, an address not on this machine.
    public static func listenFailure(_ error: Error, host: String, port: Int) -> String {
        let place = "\(host):\(port)"
        if error is SocketAddressError || error is SocketAddressError.UnknownHost {
            return "cannot listen on \(place): \(host) is not an address of this machine"
        }
        // The simulator's server wraps NIO's IOError in its own error, whose text still ends
        // in IOError's `(errno: N)`.
        guard let code = (error as? IOError)?.errnoCode ?? errnoCode(in: "\(error)") else {
            return "cannot listen on \(place)"
        }
        switch code {
        case EADDRINUSE: return "cannot listen on \(place): the port is already in use (choose another with --port, or --port 0 for any free one)"
        case EACCES: return "cannot listen on \(place): permission denied (ports below 1024 need privileges; choose another with --port)"
        case EADDRNOTAVAIL: return "cannot listen on \(place): \(host) is not an address of this machine"
        default: return "cannot listen on \(place): \(errnoText(code))"
        }
    }

    /// N in a text ending like IOError's description, `... (errno: N)`.
    static func errnoCode(in text: String) -> CInt? {
        guard let r = text.ranges(of: "(errno: ").last else { return nil }
        return CInt(text[r.upperBound...].prefix { $0.isNumber })
    }

    /// A connection attempt's error as "… refused the connection" and the like.
    private static func connectText(_ error: Error, place: String) -> String {
        guard let io = error as? IOError else { return "could not connect to \(place)" }
        switch io.errnoCode {
        case ECONNREFUSED: return "\(place.contains(":") ? place : "the server at " + place) refused the connection (is it running, on that port?)"
        case ENETUNREACH: return "could not connect to \(place): the network is unreachable"
        case EHOSTUNREACH: return "could not connect to \(place): no route to the host"
        case ETIMEDOUT: return "could not connect to \(place): no answer"
        default: return "could not connect to \(place): \(errnoText(io.errnoCode))"
        }
    }

    private static func dns(host: String) -> String {
        "DNS lookup of \(host) failed: no such host, or no DNS server answered (check the base URL's host name)"
    }

    /// The system's text for an errno value, in lower case and without the number.
    static func errnoText(_ code: CInt) -> String {
        guard let text = strerror(code) else { return "system error" }
        return String(cString: text).lowercased()
    }
}
