#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import SMSClient

/// Project plugins (`./.smsh/plugins`) are code from whatever folder smsh starts in (a
/// cloned repository, a download), so they load only after `smsh trust` in that folder. The
/// state store's named values (namespace `trusted-plugins`) map the folder's real path to a
/// SHA-256 over its plugin files; an added, removed or edited file breaks the match and the
/// plugins are skipped until trusted again. The user's own plugin folder is always trusted.
public struct PluginTrust {
    /// The last component of a path (what NSString's lastPathComponent gave, without full Foundation).
    public static func fileName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    public static let namespace = "trusted-plugins"

    /// What the record says about a folder's plugins as they are now.
    public enum Verdict: Equatable, Sendable {
        case trusted
        case notTrusted
        /// Trusted once, but a file was added, removed or edited since.
        case changed
    }

    /// A folder `smsh trust --list` shows.
    public struct Entry: Equatable, Sendable {
        public let folder: String
        public let verdict: Verdict

        public init(folder: String, verdict: Verdict) {
            self.folder = folder
            self.verdict = verdict
        }
    }

    /// Opened only when a folder has plugins to check: most runs have none and never touch SQLite.
    private let store: () throws -> StateStore

    public init(store: @escaping () throws -> StateStore) {
        self.store = store
    }

    /// The plugin folder of a project folder.
    public static func pluginFolder(of folder: String) -> String { folder + "/.smsh/plugins" }

    /// The `*.lua` files of each folder, each folder in name order; missing folders are skipped.
    /// What a trust record covers, and what PluginLoader loads.
    public static func files(in directories: [String]) -> [String] {
        directories.flatMap { dir -> [String] in
            // Most runs have no plugin folder: one stat() says so without setting up a listing.
            var info = stat()
            guard stat(dir, &info) == 0, info.st_mode & S_IFMT == S_IFDIR else { return [] }
            let names = (try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []
            return names.filter { $0.hasSuffix(".lua") && !$0.hasPrefix(".") }.sorted().map { dir + "/" + $0 }
        }
    }

    /// The folder's canonical path (symlinks and `..` resolved), which keys the record; nil
    /// when it does not exist.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// `sha256:<hex>` over the files (name, size and contents of each, in name order); nil
    /// when one cannot be read. Lengths are hashed so no two file sets share a byte stream.
    public static func digest(files: [String]) -> String? {
        var hasher = SHA256()
        for file in files.sorted(by: { PluginTrust.fileName($0) < PluginTrust.fileName($1) }) {
            guard let data = FileManager.default.contents(atPath: file) else { return nil }
            hasher.update(PluginTrust.fileName(file))
            hasher.update(byte: 0)
            hasher.update(String(data.count))
            hasher.update(byte: 0)
            hasher.update(Array(data))
        }
        return "sha256:" + SHA256.hexString(hasher.finalize())
    }

    /// The verdict for `folder` (a real path) whose plugin folder holds `files`.
    public func verdict(folder: String, files: [String]) throws -> Verdict {
        guard let recorded = try store().value(namespace: PluginTrust.namespace, key: folder) else { return .notTrusted }
        return PluginTrust.digest(files: files) == recorded ? .trusted : .changed
    }

    /// Records `folder`'s plugin files as they are now; returns them (empty: nothing to trust,
    /// nothing recorded).
    public func trust(folder: String) throws -> [String] {
        let files = PluginTrust.files(in: [PluginTrust.pluginFolder(of: folder)])
        guard !files.isEmpty else { return [] }
        guard let digest = PluginTrust.digest(files: files) else {
            throw PluginTrustError(message: "cannot read every file of \(PluginTrust.pluginFolder(of: folder))")
        }
        try store().setValue(digest, namespace: PluginTrust.namespace, key: folder)
        return files
    }

    /// Forgets `folder`; false when it was not trusted.
    public func revoke(folder: String) throws -> Bool {
        let s = try store()
        guard try s.value(namespace: PluginTrust.namespace, key: folder) != nil else { return false }
        try s.setValue(nil, namespace: PluginTrust.namespace, key: folder)
        return true
    }

    /// Every trusted folder, with whether its plugins still match.
    public func list() throws -> [Entry] {
        try store().values(namespace: PluginTrust.namespace).map { record in
            let files = PluginTrust.files(in: [PluginTrust.pluginFolder(of: record.key)])
            return Entry(folder: record.key, verdict: PluginTrust.digest(files: files) == record.value ? .trusted : .changed)
        }
    }

    /// The plugin files a session loads: the user's folder's, then the project's if it is
    /// trusted. A skipped project folder yields the ONE line to show (why, and the command
    /// that trusts it); the session goes on without those plugins.
    public func loadable(configDirectory: String, workingDirectory: String) -> (files: [String], skipped: String?) {
        let user = PluginTrust.files(in: [configDirectory + "/plugins"])
        let project = PluginTrust.files(in: [PluginTrust.pluginFolder(of: workingDirectory)])
        guard !project.isEmpty else { return (user, nil) }
        let folder = PluginTrust.realPath(workingDirectory) ?? workingDirectory
        let shown = PluginTrust.pluginFolder(of: folder)
        let names = project.map { PluginTrust.fileName($0) }.joined(separator: ", ")
        do {
            switch try verdict(folder: folder, files: project) {
            case .trusted:
                return (user + project, nil)
            case .notTrusted:
                return (user, "skipped the plugins in \(shown) (\(names)): this folder is not trusted; to load them, run: smsh trust \(folder)")
            case .changed:
                return (user, "skipped the plugins in \(shown) (\(names)): they changed since `smsh trust`; check them, then run: smsh trust \(folder)")
            }
        } catch {
            return (user, "skipped the plugins in \(shown): cannot read the trust record (\(error))")
        }
    }
}

public struct PluginTrustError: Error, CustomStringConvertible, Sendable {
    public let message: String
    public init(message: String) { self.message = message }
    public var description: String { message }
}
