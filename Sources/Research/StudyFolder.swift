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
        try RunFolderWriter.write(to: destination) { staging in
            let manager = FileManager.default
            for folder in folders {
                try manager.copyItem(at: folder.source, to: staging.appendingPathComponent(folder.name))
            }
            for file in files {
                let url = staging.appendingPathComponent(file.name)
                try manager.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                try file.contents.write(to: url, options: .atomic)
            }
        }
    }
}
