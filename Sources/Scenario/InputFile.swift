import Foundation

/// A file that went into a run, with its SHA-256 for the manifest's provenance.
public struct InputFile: Sendable, Hashable, Codable {
    /// The path as the user gave or the model named it.
    public let path: String
    public let sha256: String
}

/// Reads the files of a model or scenario and remembers each one's hash.
struct InputReader {
    private(set) var files: [InputFile] = []

    /// The text of a file, hashed; an unreadable file is an input error at `reference` (the line that
    /// named it) when given.
    mutating func text(at path: String, referencedFrom reference: SourceLocation? = nil) throws -> String {
        guard let data = FileManager.default.contents(atPath: path) else {
            let what = FileManager.default.fileExists(atPath: path) ? "cannot read \(path)" : "no such file: \(path)"
            throw InputErrors([InputError(reference ?? SourceLocation(file: path), what,
                                          hint: "paths are relative to the file that names them")])
        }
        guard let text = String(data: data, encoding: .utf8) else {
            throw InputErrors([InputError(SourceLocation(file: path), "the file is not UTF-8 text")])
        }
        files.append(InputFile(path: path, sha256: SHA256.hex(data)))
        return text
    }

    /// A CSV table, hashed.
    mutating func table(at path: String, referencedFrom reference: SourceLocation?) throws -> CSVTable {
        try CSVTable(text: text(at: path, referencedFrom: reference), file: path)
    }
}

/// Joins a path relative to a directory, leaving absolute paths alone.
func resolve(_ path: String, relativeTo directory: String) -> String {
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
