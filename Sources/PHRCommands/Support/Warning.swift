import Foundation

/// Something done as asked that looks like a mistake: one line on stderr, `phr: warning: …`, after
/// the change is made (the exit status stays 0, and `phr undo` takes the change back).
enum Warning {
    static func say(_ text: String) {
        FileHandle.standardError.write(Data("phr: warning: \(TerminalText.visible(text))\n".utf8))
    }
}
