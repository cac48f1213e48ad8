import Foundation

/// Messages and progress for people go to standard error, so standard output stays clean for data.
enum StandardError {
    static func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func line(_ text: String) { write(text + "\n") }

    /// Whether standard error is a terminal (progress is redrawn in place only there).
    static let isTerminal = isatty(FileHandle.standardError.fileDescriptor) != 0

    /// A progress line redrawn in place: "baseline 2031 [#####.....] 11/30". Where standard error is
    /// not a terminal (a log file, CI), only every tenth tick and the last are written, one per line.
    static func progress(_ label: String, completed: Int, total: Int) {
        if !isTerminal {
            if completed % 10 == 0 || completed == total { line("\(label) \(completed)/\(total)") }
            return
        }
        let width = 30
        let filled = total > 0 ? completed * width / total : width
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        write("\r\(label) [\(bar)] \(completed)/\(total)" + (completed == total ? "\n" : ""))
    }
}
