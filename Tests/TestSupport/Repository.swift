public import Foundation

/// The repository checkout the tests run from: models/, scenarios/ and docs/ are part of it (unlike
/// ../shared), found relative to this file so the tests run on any machine and from any directory.
public enum Repository {
    /// The repository root (this file is Tests/TestSupport/Repository.swift).
    public static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// A file or folder inside the repository, by its path from the root.
    public static func url(_ relativePath: String) -> URL {
        root.appendingPathComponent(relativePath)
    }

    /// The same, as a path string.
    public static func path(_ relativePath: String) -> String {
        url(relativePath).path
    }
}
