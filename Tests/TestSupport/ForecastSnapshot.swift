import CityTwinCore
import Foundation

/// Golden forecasts: a forecast.csv compared with a recorded copy under a test target's Snapshots/ folder,
/// numerically and row by row, and re-recorded deliberately with `RECORD_SNAPSHOTS=1` (review the diff).
public enum ForecastSnapshot {
    /// Whether this test run records snapshots instead of comparing with them (`RECORD_SNAPSHOTS=1`).
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1" }

    /// How many differing rows a failure lists before it only counts the rest.
    public static let rowsShown = 10

    /// The differences between a recorded forecast and a new one, as readable lines (empty when they agree).
    ///
    /// Rows are matched by position (a run writes its rows in a fixed order). Every text column (model,
    /// scenario, region, variable, unit, year, statistic) must be equal; values agree when
    ///
    ///     |new − recorded| ≤ relativeTolerance · max(|new|, |recorded|, 1)
    ///
    /// that is, relatively for magnitudes of at least 1 and absolutely below (a quantity that cancels to
    /// 0 on one machine may be 1e-12 on another); two NaNs agree.
    public static func differences(recorded: String, new: String, file: String, relativeTolerance: Double) throws -> [String] {
        let old = try CSVTable(text: recorded, file: file)
        let now = try CSVTable(text: new, file: "new forecast.csv")
        guard old.header == now.header else {
            return ["header differs: recorded \(old.header.joined(separator: ",")), new \(now.header.joined(separator: ","))"]
        }
        guard let valueColumn = old.header.firstIndex(of: "value") else { return ["\(file) has no `value` column"] }
        var lines: [String] = []
        var differing = 0
        func report(_ line: String) {
            differing += 1
            if differing <= rowsShown { lines.append(line) }
        }
        for (a, b) in zip(old.rows, now.rows) {
            let keysA = a.cells.enumerated().filter { $0.offset != valueColumn }.map(\.element)
            let keysB = b.cells.enumerated().filter { $0.offset != valueColumn }.map(\.element)
            let rowText = keysA.joined(separator: ",")
            guard keysA == keysB else {
                report("\(file):\(a.line): row differs: recorded \(a.cells.joined(separator: ",")), new \(b.cells.joined(separator: ","))")
                continue
            }
            let x = Double(a.cells[valueColumn]), y = Double(b.cells[valueColumn])
            guard let x, let y else {
                if a.cells[valueColumn] != b.cells[valueColumn] {
                    report("\(file):\(a.line): \(rowText): recorded \(a.cells[valueColumn]), new \(b.cells[valueColumn])")
                }
                continue
            }
            if x.isNaN && y.isNaN { continue }
            let scale = max(abs(x), abs(y), 1)
            if !(abs(y - x) <= relativeTolerance * scale) {
                let relative = abs(y - x) / scale
                report("\(file):\(a.line): \(rowText): recorded \(x), new \(y) (relative difference \(relative) > \(relativeTolerance))")
            }
        }
        if old.rows.count != now.rows.count {
            let extra =
                old.rows.count > now.rows.count
                ? "first missing row: \(old.rows[now.rows.count].cells.joined(separator: ","))"
                : "first extra row: \(now.rows[old.rows.count].cells.joined(separator: ","))"
            lines.insert("\(file): recorded \(old.rows.count) rows, new \(now.rows.count); \(extra)", at: 0)
        }
        if differing > rowsShown { lines.append("… and \(differing - rowsShown) more differing rows") }
        return lines
    }
}
