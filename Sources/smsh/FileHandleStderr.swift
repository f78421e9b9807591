import LuaHost

enum FileHandleStderr {
    static func write(_ text: String) { writeToStandardError(text) }
}
