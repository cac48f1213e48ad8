public import Foundation

/// Writes a run's files so that a reader never sees a half-written run, and never loses a folder that is
/// not a CityTwin run.
///
/// - Only run folders are replaced: each carries a marker file (``marker``); a destination that exists
///   without it (a model folder, a user's documents) is refused before any computation
///   (``prepare(_:expectedBytes:)``).
/// - The files go into a hidden staging folder beside the destination, which is then renamed into place
///   (an atomic rename on one file system). Replacing an earlier run takes two renames — the earlier run
///   aside to `.<name>.old-<pid>`, the new one into place — and a run killed between them is repaired on
///   the next start: ``prepare(_:expectedBytes:)`` puts the earlier run back and removes staging folders
///   left by processes that no longer run.
/// - If anything fails, the earlier run is left as it was.
public enum RunFolderWriter {
    /// The file that marks a folder as a CityTwin run (the writer only ever replaces such folders).
    public static let marker = ".citytwin-run"

    /// Why a run folder cannot be written, found before the computation starts.
    public struct Refusal: Error, CustomStringConvertible {
        public let description: String
    }

    /// Checks, before a run computes anything, that `destination` can be written: its parent can be
    /// created and written, its name fits the file system, the destination is absent or a CityTwin run,
    /// and the volume has room for `expectedBytes`. Also repairs an interrupted replace of this
    /// destination and removes stale staging folders beside it.
    public static func prepare(_ destination: URL, expectedBytes: Int = 0) throws {
        let manager = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        // Staging names add `.` + `.partial-<pid>-<random>` (at most 32 bytes) to the name.
        guard name.utf8.count + 32 <= 255 else {
            throw Refusal(description: "the run folder name `\(name)` is too long for the file system (at most 223 bytes)")
        }
        var isDirectory: ObjCBool = false
        if manager.fileExists(atPath: parent.path, isDirectory: &isDirectory), !isDirectory.boolValue {
            throw Refusal(description: "\(parent.path) is a file, not a folder; choose another --out")
        }
        do {
            try manager.createDirectory(at: parent, withIntermediateDirectories: true)
            let probe = parent.appendingPathComponent(".citytwin-probe-\(ProcessInfo.processInfo.processIdentifier)")
            try Data().write(to: probe)
            try manager.removeItem(at: probe)
        } catch {
            throw Refusal(description: "cannot write in \(parent.path) (\(error.localizedDescription)); choose another --out")
        }
        try repair(destination)
        if manager.fileExists(atPath: destination.path, isDirectory: &isDirectory) {
            let marked = manager.fileExists(atPath: destination.appendingPathComponent(marker).path)
            guard isDirectory.boolValue, marked else {
                throw Refusal(
                    description: "\(destination.path) exists and is not a CityTwin run folder; it is left alone — "
                        + "choose another --out or scenario name")
            }
        }
        if expectedBytes > 0, let free = try? manager.attributesOfFileSystem(forPath: parent.path)[.systemFreeSize] as? NSNumber,
            free.int64Value < Int64(expectedBytes) * 2
        {
            throw Refusal(
                description: "\(parent.path) has \(free.int64Value / 1_000_000) MB free; the run needs about "
                    + "\(expectedBytes / 1_000_000) MB (twice that while it replaces an earlier run)")
        }
    }

    /// Puts back an earlier run whose replacement was interrupted, and removes staging and set-aside
    /// folders of `destination` left by processes that are no longer running.
    static func repair(_ destination: URL) throws {
        let manager = FileManager.default
        let parent = destination.deletingLastPathComponent()
        let name = destination.lastPathComponent
        let entries = (try? manager.contentsOfDirectory(atPath: parent.path)) ?? []
        for entry in entries.sorted() {
            for (kind, isOld) in [(".\(name).partial-", false), (".\(name).old-", true)] where entry.hasPrefix(kind) {
                let pid = Int32(entry.dropFirst(kind.count).split(separator: "-").first ?? "") ?? 0
                guard pid > 0, !processIsRunning(pid) else { continue }
                let url = parent.appendingPathComponent(entry)
                if isOld, !manager.fileExists(atPath: destination.path) {
                    try manager.moveItem(at: url, to: destination)  // the replace stopped between its renames
                } else {
                    try? manager.removeItem(at: url)
                }
            }
        }
    }

    static func processIsRunning(_ pid: Int32) -> Bool {
        pid == ProcessInfo.processInfo.processIdentifier || kill(pid, 0) == 0 || errno == EPERM
    }

    /// Writes `files` (name → contents) as the folder `destination`, with the run marker.
    public static func write(_ files: [(name: String, contents: Data)], to destination: URL) throws {
        try write(to: destination) { staging in
            for file in files {
                try file.contents.write(to: staging.appendingPathComponent(file.name), options: .atomic)
            }
        }
    }

    /// Writes the folder `destination`: `fill` writes its contents into a staging folder (which already
    /// holds the run marker), which then replaces the destination as described above.
    public static func write(to destination: URL, fill: (URL) throws -> Void) throws {
        let manager = FileManager.default
        try prepare(destination)
        let parent = destination.deletingLastPathComponent()
        let suffix = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(suffix)")
        try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            try Data("CityTwin run folder: replaced only by the next run of the same name\n".utf8)
                .write(to: staging.appendingPathComponent(marker))
            try fill(staging)
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
