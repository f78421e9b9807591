#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import NIOSSL

/// A TLS handshake error from NIOSSL as a `TransportFailure` whose message names the host and
/// a short reason. NIOSSL's own descriptions carry BoringSSL's type names, numeric codes and
/// the source path of the build folder (`... at /build/.../handshake.cc:320`), none of which
/// helps an operator; the reason name in the middle of them does.
///
/// A failed handshake means no byte of the request was written, so every case here is
/// "certainly not sent".
enum TLSFailureText {
    static func describe(_ error: Error, host: String, caFile: String?) -> TransportFailure? {
        if let extra = error as? NIOSSLExtraError {
            switch extra {
            case .failedToValidateHostname, .serverHostnameImpossibleToMatch:
                return .tlsFailure("TLS: certificate of \(host) is for another host name (hostname mismatch)")
            default:
                return .tlsFailure("TLS: handshake with \(host) failed (\(extra.kind))")
            }
        }
        guard let error = error as? NIOSSLError else { return nil }
        switch error {
        case .handshakeFailed(let failure):
            let reasons = reasonNames(failure)
            if reasons.contains("CERTIFICATE_VERIFY_FAILED") {
                // BoringSSL keeps the verification result (self-signed, unknown issuer,
                // expired) off its error stack, and AHC offers no verify callback to read it.
                return .tlsFailure(
                    "TLS: certificate of \(host) not trusted (self-signed or unknown issuer;"
                        + " trust its CA with ca_file or SSL_CERT_FILE)")
            }
            if case .sslError(let stack) = failure, stack == [.eofDuringHandshake] {
                // The server hung up mid-handshake: nothing sent, but a second try may work.
                return .connectionRefused("TLS: \(host) closed the connection during the handshake")
            }
            let shown = reasons.isEmpty ? "no reason given" : reasons.map(readable).joined(separator: ", ")
            return .tlsFailure("TLS: handshake with \(host) failed (\(shown))")
        case .noCertificateToValidate:
            return .tlsFailure("TLS: \(host) sent no certificate")
        case .unableToValidateCertificate, .cannotMatchULabel:
            return .tlsFailure("TLS: certificate of \(host) could not be checked")
        case .failedToLoadCertificate, .noSuchFilesystemObject:
            return .tlsFailure("TLS: the CA file \(caFile ?? "(none)") (ca_file or SSL_CERT_FILE) could not be read as PEM certificates")
        default:
            return nil
        }
    }

    /// BoringSSL's reason names (`CERTIFICATE_VERIFY_FAILED`) from descriptions shaped
    /// `Error: 268435581 error:1000007d:SSL routines:OPENSSL_internal:CERTIFICATE_VERIFY_FAILED at /path:320`.
    static func reasonNames(_ error: BoringSSLError) -> [String] {
        let stack: NIOBoringSSLErrorStack
        switch error {
        case .sslError(let s), .unknownError(let s), .invalidSNIName(let s), .failedToSetALPN(let s): stack = s
        default: return [String(describing: error)]
        }
        return stack.compactMap { entry in
            let text = entry.description
            guard let start = text.firstRange(of: "error:") else { return nil }
            // code, library, function, then `REASON at /path:line`.
            let fields = text[start.upperBound...].split(separator: ":", maxSplits: 3)
            guard fields.count == 4 else { return nil }
            let reason = fields[3].split(separator: " ", maxSplits: 1).first.map(String.init) ?? ""
            return reason.isEmpty ? nil : reason
        }
    }

    /// `WRONG_VERSION_NUMBER` -> `wrong version number`.
    static func readable(_ reason: String) -> String {
        reason.lowercased().replacing("_", with: " ")
    }
}

extension NIOSSLExtraError {
    /// `NIOSSLExtraError.invalidSNIHostname: ...` -> `invalidSNIHostname`.
    fileprivate var kind: String {
        let text = description.replacing("NIOSSLExtraError.", with: "")
        return String(text.split(separator: ":", maxSplits: 1).first ?? "")
    }
}
