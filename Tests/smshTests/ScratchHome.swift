import Foundation

/// A throwaway HOME with XDG config and state folders, so a test run of the binary never
/// sees the operator's own profiles, keys or journal.
struct ScratchHome {
    let path: String

    /// `config` is the folder made under `.config` (e.g. `smsh` or `smsh/plugins`).
    init(tag: String, config: String = "smsh") throws {
        path = "/tmp/smsh-\(tag)-\(UUID().uuidString.prefix(8))"
        try FileManager.default.createDirectory(atPath: path + "/.config/" + config, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(atPath: path + "/state", withIntermediateDirectories: true)
    }

    func remove() { try? FileManager.default.removeItem(atPath: path) }

    /// HOME and XDG folders pointing here; SMSH_API_KEY, SMSH_BASE_URL and SMSH_PROFILE as
    /// given in `api` (empty by default, so the operator's own never leak in); then `extra`.
    func env(api: [String: String] = [:], _ extra: [String: String] = [:]) -> [String: String] {
        var e = ["HOME": path, "XDG_CONFIG_HOME": path + "/.config", "XDG_STATE_HOME": path + "/state",
                 "SMSH_API_KEY": "", "SMSH_BASE_URL": "", "SMSH_PROFILE": "", "SMSH_SANDBOX_STATE": ""]
        for (k, v) in api { e[k] = v }
        for (k, v) in extra { e[k] = v }
        return e
    }
}
