import CompressNIO
import NIOCore
import SMSClient

/// Big response bodies (a 1,000-recipient page is ~100 KB of JSON) kept out of the cassette
/// document: each goes, byte for byte and gzip-compressed, into `<cassette>.bodies/<sha256>.gz`
/// (0600), and the interaction names that file (`SidecarBody`). Pages of recipients repeat
/// their keys, statuses and timestamps, so gzip keeps them at a few bytes per recipient while
/// the small interactions stay plain, readable JSON. Replay reads one body when it serves it
/// and keeps none, so memory stays flat however many pages a script reads.
public enum SidecarBodies {
    /// Bodies longer than this (bytes) go to a sidecar.
    public static let threshold = 16 * 1024

    /// `fixtures/paging.json` → `paging.bodies` (relative to the cassette's folder).
    public static func folderName(forCassette path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let stem = name.hasSuffix(".json") ? String(name.dropLast(5)) : name
        return stem + ".bodies"
    }

    /// The cassette's own folder ("" for the working directory).
    static func cassetteFolder(_ path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "" }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    /// Compresses `bytes` into a sidecar of the cassette at `cassettePath` and returns its reference.
    static func store(_ bytes: [UInt8], forCassette cassettePath: String) throws -> SidecarBody {
        var input = ByteBufferAllocator().buffer(capacity: bytes.count)
        input.writeBytes(bytes)
        let compressed: [UInt8]
        do {
            // Level 1: on pages of recipients it stores 3.72 bytes per recipient against 3.68 at
            // zlib's default level 6, which took 1 ms per 85 KB page (scripts/bench/recording).
            var out = try input.compress(with: .gzip(configuration: .init(compressionLevel: .fastestCompression)))
            compressed = out.readBytes(length: out.readableBytes) ?? []
        } catch {
            throw FixtureError.io(cassettePath, "cannot compress a response body (\(error))")
        }
        let digest = SHA256.hex(compressed)
        let folder = cassetteFolder(cassettePath)
        let relative = folderName(forCassette: cassettePath) + "/" + digest + ".gz"
        let ref = SidecarBody(file: relative, sha256: digest, bytes: bytes.count, folder: folder)
        let directory = (folder.isEmpty ? "" : folder + "/") + folderName(forCassette: cassettePath)
        try PrivateFiles.makeFolder(directory, for: cassettePath)
        // Same digest, same bytes: a body already stored is not written again.
        if !CassetteFile.exists(ref.path) { try PrivateFiles.write(compressed, to: ref.path, durable: false) }
        return ref
    }

    /// The body's bytes, checked against the digest and size the cassette recorded.
    static func load(_ ref: SidecarBody, cassette name: String) throws -> [UInt8] {
        guard CassetteFile.exists(ref.path) else {
            throw FixtureError.invalid(name, "the response body file \(ref.file) is missing")
        }
        let compressed = try CassetteFile.readAll(ref.path)
        guard SHA256.hex(compressed) == ref.sha256 else {
            throw FixtureError.invalid(name, "the response body file \(ref.file) does not match its sha256")
        }
        var input = ByteBufferAllocator().buffer(capacity: compressed.count)
        input.writeBytes(compressed)
        var output = ByteBufferAllocator().buffer(capacity: max(ref.bytes, 1))
        do {
            try input.decompress(to: &output, with: .gzip())
        } catch {
            throw FixtureError.invalid(name, "the response body file \(ref.file) is not gzip data of \(ref.bytes) bytes (\(error))")
        }
        let bytes = output.readBytes(length: output.readableBytes) ?? []
        guard bytes.count == ref.bytes else {
            throw FixtureError.invalid(name, "the response body file \(ref.file) holds \(bytes.count) bytes, not \(ref.bytes)")
        }
        return bytes
    }

    /// The sidecar files in the cassette's bodies folder that `cassette` does not reference
    /// (left by an earlier recording of the same cassette).
    static func unreferenced(by cassette: Cassette, at cassettePath: String) -> [String] {
        let folder = cassetteFolder(cassettePath)
        let name = folderName(forCassette: cassettePath)
        let directory = (folder.isEmpty ? "" : folder + "/") + name
        let used = Set(cassette.interactions.compactMap { i -> String? in
            if case .sidecar(let ref) = i.response.body { return ref.file } else { return nil }
        })
        return PrivateFiles.names(in: directory).filter { $0.hasSuffix(".gz") && !used.contains(name + "/" + $0) }
            .map { directory + "/" + $0 }
    }
}

extension RecordedResponse {
    /// The response replay gives back, reading a sidecar body when there is one.
    func replayed(cassette name: String) throws -> TransportResponse {
        guard case .sidecar(let ref) = body else { return transportResponse }
        return TransportResponse(status: status, headers: headers, body: try SidecarBodies.load(ref, cassette: name))
    }
}

extension Redactor {
    /// `bytes` with every secret replaced, for bodies stored as bytes (sidecars). A secret is
    /// found as it appears in the raw text; JSON escapes inside a key do not occur in practice
    /// (keys are printable ASCII and servers echo them verbatim).
    func redact(bytes: [UInt8]) -> [UInt8] {
        var out = bytes
        for secret in secrets {
            let needle = Array(secret.utf8)
            guard let first = needle.first, out.count >= needle.count else { continue }
            var result: [UInt8] = []
            var i = 0
            var changed = false
            let placeholder = Array(Redactor.placeholder.utf8)
            while i < out.count {
                if out[i] == first, i + needle.count <= out.count, out[i..<i + needle.count].elementsEqual(needle) {
                    if !changed {
                        result.reserveCapacity(out.count)
                        result.append(contentsOf: out[0..<i])
                        changed = true
                    }
                    result.append(contentsOf: placeholder)
                    i += needle.count
                } else {
                    if changed { result.append(out[i]) }
                    i += 1
                }
            }
            if changed { out = result }
        }
        return out
    }
}
