import Foundation

/// A file that went into a run, with its SHA-256 for the manifest's provenance.
public struct InputFile: Sendable, Hashable, Codable {
    /// The path as the user gave or the model named it.
    public let path: String
    public let sha256: String

    public init(path: String, sha256: String) {
        self.path = path
        self.sha256 = sha256
    }
}

/// Reads the files of a model or scenario, refusing what is not UTF-8 text, and remembers each one's
/// hash for provenance. One reader is shared by every domain while a model loads (a class, so that the
/// domains' loaders append to one list).
public final class InputFiles {
    public private(set) var files: [InputFile] = []

    public init() {}

    /// The text of a file, hashed; an unreadable file is an input error at `reference` (the line that
    /// named it) when given; bytes that are not UTF-8 are an error naming the byte offset.
    public func text(at path: String, referencedFrom reference: SourceLocation? = nil) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let what = FileManager.default.fileExists(atPath: path) ? "cannot read \(path)" : "no such file: \(path)"
            throw InputErrors([
                InputError(
                    reference ?? SourceLocation(file: path), what,
                    hint: "paths are relative to the file that names them")
            ])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            let offset = InputFiles.firstInvalidUTF8Offset(data) ?? 0
            let line = data.prefix(offset).reduce(1) { $1 == 0x0A ? $0 + 1 : $0 }
            throw InputErrors([
                InputError(
                    SourceLocation(file: path, line: line),
                    "the file is not UTF-8 text (invalid byte at offset \(offset))",
                    hint: "save the file as UTF-8")
            ])
        }
        files.append(InputFile(path: path, sha256: SHA256.hex(data)))
        return text
    }

    /// A CSV table, hashed.
    public func table(at path: String, referencedFrom reference: SourceLocation? = nil) throws -> CSVTable {
        try CSVTable(text: text(at: path, referencedFrom: reference), file: path)
    }

    /// The offset of the first byte that does not continue a valid UTF-8 sequence.
    static func firstInvalidUTF8Offset(_ data: Data) -> Int? {
        var decoder = UTF8()
        var iterator = data.makeIterator()
        var offset = 0
        var consumed = 0
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar):
                offset += UTF8.width(scalar)
                consumed = offset
            case .emptyInput: return nil
            case .error: return consumed
            }
        }
    }
}

/// The directory part of a file path: `a/b.yaml` → `a`, `/b.yaml` → `/`, `b.yaml` → `` (the current directory).
///
/// Used instead of `NSString.deletingLastPathComponent`, which traps on a one-character relative path (`c`) in
/// swift-corelibs-foundation (found by fuzzing: a scenario naming `model: c`).
public func directory(of path: String) -> String {
    var path = Substring(path)
    while path.count > 1, path.hasSuffix("/") { path = path.dropLast() }
    guard let slash = path.lastIndex(of: "/") else { return "" }
    return slash == path.startIndex ? "/" : String(path[..<slash])
}

/// Joins a path relative to a directory, leaving absolute paths alone.
public func resolve(_ path: String, relativeTo directory: String) -> String {
    if path.hasPrefix("/") { return path }
    return URL(fileURLWithPath: directory).appendingPathComponent(path).standardizedFileURL.relativePath(from: directory)
}

extension URL {
    /// This file URL's path, kept relative when `directory` was relative (for readable messages).
    fileprivate func relativePath(from directory: String) -> String {
        if directory.hasPrefix("/") { return path }
        let cwd = FileManager.default.currentDirectoryPath
        return path.hasPrefix(cwd + "/") ? String(path.dropFirst(cwd.count + 1)) : path
    }
}
