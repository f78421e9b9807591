import ArgumentParser
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
#if canImport(Glibc)
import Glibc
#endif
import LuaHost

struct ReplCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "repl",
        abstract: "Interactive Lua with the sms module (the default when smsh gets no script).",
        discussion: HelpText.sentences("""
            A line is first tried as an expression (`return <line>`), so `sms.credit()` prints
            the result; an incomplete chunk continues on a `>>` prompt. Tab completes globals,
            fields (sms.se<TAB>) and the field names of a call's table (sms.send{se<TAB>).
            Ctrl-R searches history; Ctrl-C clears the line or interrupts a running call;
            Ctrl-D exits. The rest of the newest history line that starts with what you typed
            shows dimmed; Right arrow or Ctrl-F takes it (`hints = false` in a profile: off).
            REPL commands start with ':' (:help, :quit, :sandbox, :profile [NAME], and those
            plugins add); :sandbox and :profile NAME keep the session's globals. The prompt shows the profile and the sandbox: smsh(prod)>,
            smsh[sandbox]>, smsh(staging)[sandbox]>.
            With piped (non-terminal) input, the input runs as a script.

            Examples:
              smsh --sandbox
              smsh --profile staging
              smsh repl
            """)
    )

    @OptionGroup var session: SessionOptions

    func run() throws {
        StderrMessages.format = session.settings.logFormat
        if !isatty(0).boolValue {
            // Like lua5.4: piped input is a script.
            let script = try ScriptSession.orExit { try ScriptSession(options: session.settings) }
            script.lua.setLuaArgTable(argv: ReplCommand.argv, script: 0)
            try ScriptSession.runOrExit {
                try script.lua.loadFile(nil)
                try script.lua.stack.call(nargs: 0, nresults: 0)
            }
            return
        }
        let loop = try ReplLoop(options: session.settings)
        // As lua5.4 with no script: argv[0] at arg[0], the options from arg[1].
        loop.script.lua.setLuaArgTable(argv: ReplCommand.argv, script: 0)
        var running = loop
        running.run()
    }

    /// The command line's bytes.
    static var argv: [[UInt8]] { (0..<Int(CommandLine.argc)).map(CommandLineBytes.argument) }
}

extension Int32 {
    var boolValue: Bool { self != 0 }
}
