import Foundation

/// Inline SVG charts for the decision report: fan charts, probability curves and maps. Pure functions
/// from numbers to SVG text (well-formed XML), so the report needs no script and no network.
enum ReportCharts {
    /// One scenario's band of an indicator over time.
    struct Fan {
        let label: String
        let colour: String
        let years: [Double]
        /// p5, p25, p50, p75, p95 per year (all equal for a deterministic run).
        let p5, p25, p50, p75, p95: [Double]
    }

    /// Scenario colours (colour-blind-safe Okabe–Ito palette).
    static let palette = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]

    static let width = 560.0
    static let height = 250.0
    static let margin = (left: 70.0, right: 16.0, top: 14.0, bottom: 34.0)

    /// A fan chart: p5–p95 band, p25–p75 band and median line per scenario.
    static func fanChart(title: String, unit: String, fans: [Fan]) -> String {
        let years = fans.flatMap(\.years)
        let values = fans.flatMap { $0.p5 + $0.p95 }.filter(\.isFinite)
        guard let x0 = years.min(), let x1 = years.max(), let y0 = values.min(), let y1 = values.max() else { return "" }
        let frame = Frame(x: x0...max(x1, x0 + 1), y: paddedRange(y0, y1))
        var svg = frame.open(cssClass: "fan-chart", label: "\(title) (\(unit))")
        svg += frame.axes(unit: unit)
        for fan in fans {
            svg +=
                "<path class=\"band90\" d=\"\(frame.band(fan.years, fan.p5, fan.p95))\" fill=\"\(fan.colour)\" fill-opacity=\"0.15\" stroke=\"none\"/>"
            svg +=
                "<path class=\"band50\" d=\"\(frame.band(fan.years, fan.p25, fan.p75))\" fill=\"\(fan.colour)\" fill-opacity=\"0.3\" stroke=\"none\"/>"
            svg +=
                "<path class=\"median\" d=\"\(frame.line(fan.years, fan.p50))\" fill=\"none\" stroke=\"\(fan.colour)\" stroke-width=\"2\"/>"
        }
        svg += legend(fans.map { ($0.label, $0.colour) }, frame: frame)
        return svg + "</svg>"
    }

    /// An alert's probability per year and its cumulative probability, with the threshold.
    static func probabilityChart(title: String, years: [Double], probability: [Double], cumulative: [Double], threshold: Double) -> String {
        guard let x0 = years.min(), let x1 = years.max() else { return "" }
        let frame = Frame(x: x0...max(x1, x0 + 1), y: 0...1)
        var svg = frame.open(cssClass: "alert-chart", label: title)
        svg += frame.axes(unit: "probability", percent: true)
        let y = frame.yPosition(threshold)
        svg +=
            "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"#b00\" stroke-dasharray=\"5 4\"/>"
        svg +=
            "<text x=\"\(f(width - margin.right - 4))\" y=\"\(f(y - 4))\" text-anchor=\"end\" class=\"note\">threshold \(Int((threshold * 100).rounded())) %</text>"
        svg += "<path d=\"\(frame.line(years, cumulative))\" fill=\"none\" stroke=\"#999\" stroke-width=\"1.5\" stroke-dasharray=\"2 3\"/>"
        svg += "<path d=\"\(frame.line(years, probability))\" fill=\"none\" stroke=\"#D55E00\" stroke-width=\"2\"/>"
        svg += legend([("in that year", "#D55E00"), ("by that year", "#999")], frame: frame)
        return svg + "</svg>"
    }

    /// The road network coloured by volume/capacity and the zones as circles shaded by an indicator.
    static func map(
        nodes: [Int: (x: Double, y: Double)], links: [(from: Int, to: Int, vc: Double?)],
        zones: [(id: String, x: Double, y: Double, value: Double?)], zoneLabel: String
    ) -> String {
        let xs = nodes.values.map(\.x) + zones.map(\.x)
        let ys = nodes.values.map(\.y) + zones.map(\.y)
        guard let x0 = xs.min(), let x1 = xs.max(), let y0 = ys.min(), let y1 = ys.max() else { return "" }
        let size = 520.0
        let pad = 30.0
        let scale = (size - 2 * pad) / max(x1 - x0, y1 - y0, 1e-9)
        func px(_ x: Double) -> Double { pad + (x - x0) * scale }
        func py(_ y: Double) -> Double { size - pad - (y - y0) * scale }
        var svg =
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"network-map\" viewBox=\"0 0 \(f(size + 170)) \(f(size))\" role=\"img\" aria-label=\"road network and zones\">"
        svg += "<rect width=\"100%\" height=\"100%\" fill=\"#fbfbf8\"/>"
        let zoneValues = zones.compactMap(\.value)
        let (lo, hi) = (zoneValues.min() ?? 0, zoneValues.max() ?? 1)
        for zone in zones {
            let t = zone.value.map { hi > lo ? ($0 - lo) / (hi - lo) : 0.5 }
            let fill = t.map { blend("#deebf7", "#08519c", $0) } ?? "#eeeeee"
            svg +=
                "<circle class=\"zone\" cx=\"\(f(px(zone.x)))\" cy=\"\(f(py(zone.y)))\" r=\"16\" fill=\"\(fill)\" fill-opacity=\"0.85\" stroke=\"#fff\"><title>zone \(escape(zone.id)): \(zone.value.map(compact) ?? "no value")</title></circle>"
        }
        for link in links {
            guard let a = nodes[link.from], let b = nodes[link.to] else { continue }
            // Offset each direction to its own side so two-way links show both colours.
            let (dx, dy) = (px(b.x) - px(a.x), py(b.y) - py(a.y))
            let length = max((dx * dx + dy * dy).squareRoot(), 1e-9)
            let (ox, oy) = (-dy / length * 2.2, dx / length * 2.2)
            let colour = link.vc.map(vcColour) ?? "#888888"
            svg +=
                "<line class=\"link\" x1=\"\(f(px(a.x) + ox))\" y1=\"\(f(py(a.y) + oy))\" x2=\"\(f(px(b.x) + ox))\" y2=\"\(f(py(b.y) + oy))\" stroke=\"\(colour)\" stroke-width=\"3.2\" stroke-linecap=\"round\"><title>link \(link.from)-\(link.to): v/c \(link.vc.map { String(format: "%.2f", $0) } ?? "not modelled")</title></line>"
        }
        for zone in zones {
            svg +=
                "<text x=\"\(f(px(zone.x)))\" y=\"\(f(py(zone.y) + 3.5))\" text-anchor=\"middle\" class=\"zone-label\">\(escape(zone.id))</text>"
        }
        // Legends.
        let lx = size + 10
        svg += "<text x=\"\(f(lx))\" y=\"24\" class=\"legend-title\">volume / capacity</text>"
        for (index, (label, value)) in [("< 0.6", 0.3), ("0.6–0.9", 0.75), ("0.9–1.0", 0.95), ("> 1.0", 1.2)].enumerated() {
            let y = 40.0 + Double(index) * 18
            svg +=
                "<line x1=\"\(f(lx))\" x2=\"\(f(lx + 26))\" y1=\"\(f(y))\" y2=\"\(f(y))\" stroke=\"\(vcColour(value))\" stroke-width=\"4\"/>"
            svg += "<text x=\"\(f(lx + 32))\" y=\"\(f(y + 4))\" class=\"legend\">\(escape(label))</text>"
        }
        if links.allSatisfy({ $0.vc == nil }) {
            svg +=
                "<text x=\"\(f(lx))\" y=\"126\" class=\"legend\">(traffic not run:</text><text x=\"\(f(lx))\" y=\"140\" class=\"legend\">links in grey)</text>"
        }
        svg += "<text x=\"\(f(lx))\" y=\"174\" class=\"legend-title\">zones: \(escape(zoneLabel))</text>"
        for (index, t) in [0.0, 0.5, 1.0].enumerated() {
            let y = 192.0 + Double(index) * 22
            svg += "<circle cx=\"\(f(lx + 10))\" cy=\"\(f(y))\" r=\"8\" fill=\"\(blend("#deebf7", "#08519c", t))\"/>"
            svg += "<text x=\"\(f(lx + 24))\" y=\"\(f(y + 4))\" class=\"legend\">\(compact(lo + t * (hi - lo)))</text>"
        }
        return svg + "</svg>"
    }

    /// Green below 0.6, yellow to 0.9, orange to 1, red above.
    static func vcColour(_ vc: Double) -> String {
        switch vc {
        case ..<0.6: "#1a9850"
        case ..<0.9: "#d9c300"
        case ...1.0: "#f46d43"
        default: "#a50026"
        }
    }

    /// Linear interpolation between two #rrggbb colours.
    static func blend(_ a: String, _ b: String, _ t: Double) -> String {
        func rgb(_ hex: String) -> [Double] {
            let value = Int(hex.dropFirst(), radix: 16) ?? 0
            return [Double((value >> 16) & 255), Double((value >> 8) & 255), Double(value & 255)]
        }
        let (ca, cb) = (rgb(a), rgb(b))
        let mixed = zip(ca, cb).map { Int(($0 + (max(0, min(1, t))) * ($1 - $0)).rounded()) }
        return String(format: "#%02x%02x%02x", mixed[0], mixed[1], mixed[2])
    }

    private static func legend(_ items: [(String, String)], frame: Frame) -> String {
        var svg = ""
        var x = margin.left + 8
        for (label, colour) in items {
            svg += "<rect x=\"\(f(x))\" y=\"\(f(margin.top + 4))\" width=\"12\" height=\"4\" fill=\"\(colour)\"/>"
            svg += "<text x=\"\(f(x + 16))\" y=\"\(f(margin.top + 10))\" class=\"legend\">\(escape(label))</text>"
            x += 24 + Double(label.count) * 6.2
        }
        return svg
    }

    /// Plot area and scales.
    struct Frame {
        let x: ClosedRange<Double>
        let y: ClosedRange<Double>

        func xPosition(_ value: Double) -> Double {
            margin.left + (value - x.lowerBound) / (x.upperBound - x.lowerBound) * (width - margin.left - margin.right)
        }

        func yPosition(_ value: Double) -> Double {
            height - margin.bottom - (value - y.lowerBound) / (y.upperBound - y.lowerBound) * (height - margin.top - margin.bottom)
        }

        func open(cssClass: String, label: String) -> String {
            "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"\(cssClass)\" viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(label))\">"
        }

        func axes(unit: String, percent: Bool = false) -> String {
            var svg = "<g class=\"axes\">"
            for tick in niceTicks(y.lowerBound, y.upperBound) {
                let py = yPosition(tick)
                svg +=
                    "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(py))\" y2=\"\(f(py))\" stroke=\"#e3e3e3\"/>"
                let label = percent ? "\(Int((tick * 100).rounded())) %" : compact(tick)
                svg += "<text x=\"\(f(margin.left - 6))\" y=\"\(f(py + 4))\" text-anchor=\"end\">\(label)</text>"
            }
            for tick in niceTicks(x.lowerBound, x.upperBound, count: 6) where tick == tick.rounded() {
                let px = xPosition(tick)
                svg +=
                    "<line x1=\"\(f(px))\" x2=\"\(f(px))\" y1=\"\(f(height - margin.bottom))\" y2=\"\(f(height - margin.bottom + 4))\" stroke=\"#777\"/>"
                svg += "<text x=\"\(f(px))\" y=\"\(f(height - margin.bottom + 17))\" text-anchor=\"middle\">\(Int(tick))</text>"
            }
            svg +=
                "<line x1=\"\(f(margin.left))\" x2=\"\(f(width - margin.right))\" y1=\"\(f(height - margin.bottom))\" y2=\"\(f(height - margin.bottom))\" stroke=\"#777\"/>"
            svg +=
                "<text x=\"12\" y=\"\(f(margin.top + 4))\" class=\"unit\" transform=\"rotate(-90 12 \(f(margin.top + 4)))\" text-anchor=\"end\">\(escape(unit))</text>"
            return svg + "</g>"
        }

        func line(_ xs: [Double], _ ys: [Double]) -> String {
            zip(xs, ys).filter { $0.1.isFinite }.enumerated()
                .map { ($0.offset == 0 ? "M" : "L") + "\(f(xPosition($0.element.0))),\(f(yPosition($0.element.1)))" }
                .joined(separator: " ")
        }

        func band(_ xs: [Double], _ low: [Double], _ high: [Double]) -> String {
            let points = zip(xs, zip(low, high)).filter { $0.1.0.isFinite && $0.1.1.isFinite }
            guard !points.isEmpty else { return "" }
            let upper = points.map { "\(f(xPosition($0.0))),\(f(yPosition($0.1.1)))" }
            let lower = points.reversed().map { "\(f(xPosition($0.0))),\(f(yPosition($0.1.0)))" }
            return "M" + (upper + lower).joined(separator: " L") + " Z"
        }
    }

    static func paddedRange(_ low: Double, _ high: Double) -> ClosedRange<Double> {
        if high > low {
            let pad = (high - low) * 0.05
            return (low - pad)...(high + pad)
        }
        let pad = max(abs(low) * 0.05, 1)
        return (low - pad)...(high + pad)
    }

    /// About `count` round tick values covering [low, high] (steps of 1, 2 or 5 × 10ⁿ).
    static func niceTicks(_ low: Double, _ high: Double, count: Int = 5) -> [Double] {
        guard high > low else { return [low] }
        let raw = (high - low) / Double(count)
        let magnitude = pow(10, floor(log10(raw)))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var ticks: [Double] = []
        var tick = ceil(low / step) * step
        while tick <= high + step * 1e-9 {
            ticks.append(abs(tick) < step * 1e-9 ? 0 : tick)
            tick += step
        }
        return ticks
    }

    /// 1234567 → "1.23M", 0.0123 → "0.0123".
    static func compact(_ x: Double) -> String {
        let a = abs(x)
        switch a {
        case 1e9...: return String(format: "%.3gG", x / 1e9)
        case 1e6...: return String(format: "%.3gM", x / 1e6)
        case 1e4...: return String(format: "%.3gk", x / 1e3)
        case 1e3...: return String(format: "%.0f", x)
        case 0: return "0"
        default: return String(format: "%.3g", x)
        }
    }

    static func f(_ x: Double) -> String { String(format: "%.1f", x) }
}

/// Text made safe for XML/HTML content and attribute values.
func escape(_ text: String) -> String {
    var out = ""
    out.reserveCapacity(text.count)
    for c in text {
        switch c {
        case "&": out += "&amp;"
        case "<": out += "&lt;"
        case ">": out += "&gt;"
        case "\"": out += "&quot;"
        default: out.append(c)
        }
    }
    return out
}
