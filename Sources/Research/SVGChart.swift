import Foundation

/// Small inline-SVG charts for self-contained HTML pages (open offline, no scripts).
enum SVGChart {
    static let width = 520.0
    static let height = 300.0
    static let margin = (left: 70.0, right: 15.0, top: 30.0, bottom: 40.0)

    /// A series plotted as a line (`line`) and points with optional error bars (`points`).
    static func lineAndPoints(
        title: String, line: [(x: Double, y: Double)], points: [(x: Double, y: Double, sd: Double?)],
        lineLabel: String, pointLabel: String
    ) -> String {
        let ys = line.map(\.y) + points.flatMap { [$0.y - ($0.sd ?? 0), $0.y + ($0.sd ?? 0)] }
        let xs = line.map(\.x) + points.map(\.x)
        guard let (xMin, xMax) = range(xs), let (yMin, yMax) = range(ys) else { return "" }
        let sx = { (x: Double) in margin.left + (x - xMin) / (xMax - xMin) * (width - margin.left - margin.right) }
        let sy = { (y: Double) in
            height - margin.bottom - (y - yMin) / (yMax - yMin) * (height - margin.top - margin.bottom)
        }
        var svg = header(title: title, xMin: xMin, xMax: xMax, yMin: yMin, yMax: yMax)
        if !line.isEmpty {
            let path = line.map { "\(f(sx($0.x))),\(f(sy($0.y)))" }.joined(separator: " ")
            svg += "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"2\" points=\"\(path)\"/>\n"
        }
        for p in points {
            if let sd = p.sd {
                svg +=
                    "<line x1=\"\(f(sx(p.x)))\" x2=\"\(f(sx(p.x)))\" y1=\"\(f(sy(p.y - sd)))\" y2=\"\(f(sy(p.y + sd)))\" stroke=\"#d62728\"/>\n"
            }
            svg += "<circle cx=\"\(f(sx(p.x)))\" cy=\"\(f(sy(p.y)))\" r=\"3.5\" fill=\"#d62728\"/>\n"
        }
        svg +=
            "<text x=\"\(margin.left + 10)\" y=\"\(margin.top + 12)\" font-size=\"11\" fill=\"#1f77b4\">— \(escape(lineLabel))</text>\n"
        svg +=
            "<text x=\"\(margin.left + 10)\" y=\"\(margin.top + 26)\" font-size=\"11\" fill=\"#d62728\">● \(escape(pointLabel))</text>\n"
        return svg + "</svg>\n"
    }

    /// Horizontal bars with intervals: one group per label, one bar per measure.
    static func bars(
        title: String, labels: [String],
        measures: [(name: String, colour: String, values: [Double], intervals: [ClosedRange<Double>?])]
    ) -> String {
        let rowHeight = 14.0 * Double(max(measures.count, 1)) + 10
        let h = margin.top + rowHeight * Double(labels.count) + 40
        let left = 260.0
        let all = measures.flatMap { m in
            m.values + m.intervals.compactMap { $0 }.flatMap { [$0.lowerBound, $0.upperBound] }
        }
        let lo = min(0, all.min() ?? 0)
        let hi = max(all.max() ?? 1, lo + 1e-12)
        let sx = { (x: Double) in left + (x - lo) / (hi - lo) * (width + 100 - left - margin.right) }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width + 100))\" height=\"\(Int(h))\" font-family=\"sans-serif\">\n"
        svg += "<text x=\"10\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>\n"
        for (k, label) in labels.enumerated() {
            let y0 = margin.top + Double(k) * rowHeight
            svg +=
                "<text x=\"\(left - 6)\" y=\"\(f(y0 + rowHeight / 2))\" font-size=\"11\" text-anchor=\"end\">\(escape(label))</text>\n"
            for (j, measure) in measures.enumerated() {
                let y = y0 + 5 + 14 * Double(j)
                let v = measure.values[k]
                let (a, b) = (sx(min(0, v)), sx(max(0, v)))
                svg +=
                    "<rect x=\"\(f(a))\" y=\"\(f(y))\" width=\"\(f(max(b - a, 0.5)))\" height=\"11\" fill=\"\(measure.colour)\"/>\n"
                if let interval = measure.intervals[k] {
                    svg +=
                        "<line x1=\"\(f(sx(interval.lowerBound)))\" x2=\"\(f(sx(interval.upperBound)))\" y1=\"\(f(y + 5.5))\" y2=\"\(f(y + 5.5))\" stroke=\"black\"/>\n"
                }
            }
        }
        let axisY = margin.top + rowHeight * Double(labels.count) + 5
        svg += "<line x1=\"\(f(sx(lo)))\" x2=\"\(f(sx(hi)))\" y1=\"\(f(axisY))\" y2=\"\(f(axisY))\" stroke=\"#555\"/>\n"
        for t in [lo, (lo + hi) / 2, hi] {
            svg +=
                "<text x=\"\(f(sx(t)))\" y=\"\(f(axisY + 14))\" font-size=\"10\" text-anchor=\"middle\">\(label(t))</text>\n"
        }
        for (j, measure) in measures.enumerated() {
            svg +=
                "<rect x=\"\(f(left + Double(j) * 120))\" y=\"\(f(axisY + 22))\" width=\"10\" height=\"10\" fill=\"\(measure.colour)\"/>"
            svg +=
                "<text x=\"\(f(left + Double(j) * 120 + 14))\" y=\"\(f(axisY + 31))\" font-size=\"11\">\(escape(measure.name))</text>\n"
        }
        return svg + "</svg>\n"
    }

    /// A self-contained page.
    static func page(title: String, body: String) -> String {
        """
        <!DOCTYPE html>
        <html lang="en"><head><meta charset="utf-8"><title>\(escape(title))</title>
        <style>body{font-family:sans-serif;margin:2em;max-width:72em}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:2px 8px;text-align:right}th{background:#f4f4f4}svg{margin:0.5em 1em 0.5em 0}</style>
        </head><body>
        <h1>\(escape(title))</h1>
        \(body)
        </body></html>

        """
    }

    static func table(_ header: [String], _ rows: [[String]]) -> String {
        "<table><tr>" + header.map { "<th>\(escape($0))</th>" }.joined() + "</tr>\n"
            + rows.map { "<tr>" + $0.map { "<td>\(escape($0))</td>" }.joined() + "</tr>" }.joined(separator: "\n")
            + "</table>\n"
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }

    static func label(_ value: Double) -> String {
        if value == 0 { return "0" }
        let magnitude = abs(value)
        if magnitude >= 1e5 || magnitude < 1e-3 { return String(format: "%.3g", value) }
        return String(format: magnitude >= 100 ? "%.0f" : "%.3g", value)
    }

    static func f(_ value: Double) -> String { String(format: "%.1f", value) }

    private static func range(_ values: [Double]) -> (Double, Double)? {
        let finite = values.filter(\.isFinite)
        guard var lo = finite.min(), var hi = finite.max() else { return nil }
        if hi - lo < 1e-12 * max(abs(hi), 1) {
            lo -= max(abs(lo) * 0.05, 1)
            hi += max(abs(hi) * 0.05, 1)
        }
        let pad = (hi - lo) * 0.05
        return (lo - pad, hi + pad)
    }

    private static func header(title: String, xMin: Double, xMax: Double, yMin: Double, yMax: Double) -> String {
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(width))\" height=\"\(Int(height))\" font-family=\"sans-serif\">\n"
        svg += "<text x=\"10\" y=\"18\" font-size=\"13\" font-weight=\"bold\">\(escape(title))</text>\n"
        let (x0, x1) = (margin.left, width - margin.right)
        let (y0, y1) = (height - margin.bottom, margin.top)
        svg +=
            "<line x1=\"\(x0)\" x2=\"\(x1)\" y1=\"\(y0)\" y2=\"\(y0)\" stroke=\"#555\"/><line x1=\"\(x0)\" x2=\"\(x0)\" y1=\"\(y0)\" y2=\"\(y1)\" stroke=\"#555\"/>\n"
        for k in 0...4 {
            let fraction = Double(k) / 4
            let x = x0 + fraction * (x1 - x0)
            let y = y0 - fraction * (y0 - y1)
            svg +=
                "<text x=\"\(f(x))\" y=\"\(f(y0 + 16))\" font-size=\"10\" text-anchor=\"middle\">\(label(xMin + fraction * (xMax - xMin)))</text>\n"
            svg +=
                "<text x=\"\(f(x0 - 5))\" y=\"\(f(y + 3))\" font-size=\"10\" text-anchor=\"end\">\(label(yMin + fraction * (yMax - yMin)))</text>\n"
        }
        return svg
    }
}
