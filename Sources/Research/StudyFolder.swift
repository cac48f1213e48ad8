import Forecast
public import Foundation

/// Writes a study's output folder (files and copied folders) the way run folders are written: checked
/// before the computation (``RunFolderWriter/prepare(_:expectedBytes:)``), staged in a hidden folder
/// beside the destination and renamed into place, marked as a CityTwin output so that only such folders
/// are ever replaced.
public enum StudyFolder {
    public static func write(
        _ files: [(name: String, contents: Data)], copying folders: [(source: URL, name: String)] = [],
        to destination: URL
    ) throws {
        let manager = FileManager.default
        try RunFolderWriter.prepare(destination)
        let parent = destination.deletingLastPathComponent()
        let suffix = "\(ProcessInfo.processInfo.processIdentifier)-\(UInt32.random(in: 0...UInt32.max))"
        let staging = parent.appendingPathComponent(".\(destination.lastPathComponent).partial-\(suffix)")
        try manager.createDirectory(at: staging, withIntermediateDirectories: false)
        do {
            try Data("CityTwin output folder: replaced only by the next run of the same name\n".utf8)
                .write(to: staging.appendingPathComponent(RunFolderWriter.marker))
            for folder in folders {
                try manager.copyItem(at: folder.source, to: staging.appendingPathComponent(folder.name))
            }
            for file in files {
                let url = staging.appendingPathComponent(file.name)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, options: .atomic)
            }
            if manager.fileExists(atPath: destination.path) {
                let old = parent.appendingPathComponent(".\(destination.lastPathComponent).old-\(suffix)")
                try manager.moveItem(at: destination, to: old)
                do { try manager.moveItem(at: staging, to: destination) } catch {
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
