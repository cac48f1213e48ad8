import Foundation

/// A small reader for the reference-case CSV fixtures (header row, numeric or text cells).
struct FixtureCSV {
    let header: [String]
    let rows: [[String]]

    init(_ relativePath: String, file: String = #filePath) throws {
        let url = URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Fixtures/\(relativePath)")
        let text = try String(contentsOf: url, encoding: .utf8)
        let lines = text.split(whereSeparator: \.isNewline).map(String.init).filter { !$0.isEmpty }
        header = lines[0].split(separator: ",").map(String.init)
        rows = lines.dropFirst().map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    }

    func column(_ name: String) -> [Double] {
        guard let index = header.firstIndex(of: name) else { fatalError("no column \(name) in \(header)") }
        return rows.map { Double($0[index])! }
    }

    func text(_ name: String) -> [String] {
        guard let index = header.firstIndex(of: name) else { fatalError("no column \(name) in \(header)") }
        return rows.map { $0[index] }
    }
}
