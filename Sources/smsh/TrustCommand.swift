import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import SMSLua
import SMSState

/// `smsh trust [DIR]`, `--list`, `--revoke [DIR]`: which folders' `./.smsh/plugins` may run
/// (see PluginTrust). Trust covers the files as they are now; an edit needs a new `smsh trust`.
struct TrustCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trust",
        abstract: "Allow the plugins in a folder's .smsh/plugins to load (they are skipped until then).",
        discussion: HelpText.sentences("""
            Plugins in $XDG_CONFIG_HOME/smsh/plugins always load. Those in ./.smsh/plugins of
            the folder smsh runs in are code from that folder, so they load only after
            `smsh trust` there. Trust records a SHA-256 of the plugin files (names and
            contents) in the state store ($XDG_STATE_HOME/smsh/state.sqlite3): a file that
            is added, removed or edited makes smsh skip the folder again, with a message,
            until it is trusted anew.

            Examples:
              smsh trust                  trust ./.smsh/plugins as it is now (lists them)
              smsh trust ~/src/campaigns  trust another folder's plugins
              smsh trust --list           every trusted folder, and whether it changed
              smsh trust --revoke         stop loading ./.smsh/plugins
            """)
    )

    @Argument(help: ArgumentHelp("The folder whose .smsh/plugins to trust (default: the current folder).", valueName: "dir"))
    var directory: String?

    @Flag(help: "List the trusted folders.") var list = false
    @Flag(help: "Stop trusting the folder.") var revoke = false

    func validate() throws {
        if list && (revoke || directory != nil) {
            throw ValidationError("--list takes no folder and no --revoke")
        }
    }

    func run() throws {
        let trust = PluginTrust(store: { try SQLiteStateStore(path: SQLiteStateStore.defaultPath()) })
        do {
            if list {
                let entries = try trust.list()
                if entries.isEmpty { print("no folder is trusted") }
                for e in entries {
                    print("\(e.folder)\t\(e.verdict == .trusted ? "trusted" : "changed since trusted (skipped)")")
                }
                return
            }
            let given = directory ?? PluginLoader.currentDirectory()
            guard let folder = PluginTrust.realPath(given) else {
                writeUsageError("smsh trust: no such folder: \(given)")
                throw ExitCode(ExitCodes.usage)
            }
            if revoke {
                print(try trust.revoke(folder: folder) ? "no longer trusted: \(folder)" : "was not trusted: \(folder)")
                return
            }
            let files = try trust.trust(folder: folder)
            guard !files.isEmpty else {
                writeUsageError("smsh trust: no plugins (*.lua) in \(PluginTrust.pluginFolder(of: folder)); nothing to trust")
                throw ExitCode(ExitCodes.scriptError)
            }
            print("trusted \(PluginTrust.pluginFolder(of: folder)) as it is now:")
            for f in files { print("  " + PluginTrust.fileName(f)) }
        } catch let e as StateStoreError {
            writeUsageError("smsh trust: \(e.description)")
            throw ExitCode(ExitCodes.scriptError)
        } catch let e as PluginTrustError {
            writeUsageError("smsh trust: \(e.description)")
            throw ExitCode(ExitCodes.scriptError)
        }
    }
}
