/// A model parameter file that cannot be used, with the place to fix it.
///
/// Loading errors are the user's to fix, so each names the file, the line (when known) and the key path,
/// and says what was expected. The CLI prints `description` and exits non-zero.
public struct ParameterLoadError: Error, Equatable, CustomStringConvertible {
    /// The file, as the user named it (e.g. `models/sioux-falls/resources/water_sources.csv`).
    public let file: String
    /// One-based line, or nil when the source has no line information.
    public let line: Int?
    /// Dotted key path or `column` name, e.g. `resources.water.leakage`.
    public let path: String
    /// What is wrong and how to fix it.
    public let message: String

    public init(file: String, line: Int?, path: String, message: String) {
        self.file = file
        self.line = line
        self.path = path
        self.message = message
    }

    public var description: String {
        let place = line.map { "\(file):\($0)" } ?? file
        return path.isEmpty ? "\(place): \(message)" : "\(place): \(path): \(message)"
    }
}
