public import Foundation

/// Writes a run's files so that a reader never sees a half-written run.
///
/// The files go into a hidden temporary folder beside the destination, which is then renamed into
/// place (an atomic rename on one file system). An earlier run of the same name is replaced only
/// after the new one is complete; if anything fails, the earlier run is left as it was.
public enum RunFolderWriter {
    /// Writes `files` (name → contents) as the folder `destination`.
    public static func write(_ files: [(name: String, contents: Data)], to destination: URL) throws {
        let manager = FileManager.default
        let parent = destination.deletingLastPathComponent()
        try manager.createDirectory(at: parent, withIntermediateDirectories: true)
        let suffix = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(suffix)")
        try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            for file in files {
                try file.contents.write(to: staging.appendingPathComponent(file.name), options: .atomic)
            }
            if manager.fileExists(atPath: destination.path) {
                let old = parent.appendingPathComponent(".\(destination.lastPathComponent).old-\(suffix)")
                try manager.moveItem(at: destination, to: old)
                do {
                    try manager.moveItem(at: staging, to: destination)
                } catch {
                    try? manager.moveItem(at: old, to: destination)
                    throw error
                }
                try? manager.removeItem(at: old)
            } else {
                try manager.moveItem(at: staging, to: destination)
            }
        } catch {
            try? manager.removeItem(at: staging)
            throw error
        }
    }
}
