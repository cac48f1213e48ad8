import Foundation
import Testing

@testable import Forecast

#if canImport(FoundationXML)
    import FoundationXML
#endif

@Suite("decision report")
struct ReportTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// Counts elements by "name.class" while parsing the report as XML (which it must be: well-formed).
    final class Census: NSObject, XMLParserDelegate {
        var counts: [String: Int] = [:]
        var text = ""

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            counts[name, default: 0] += 1
            for cssClass in (attributes["class"] ?? "").split(separator: " ") { counts["\(name).\(cssClass)", default: 0] += 1 }
            if let id = attributes["id"] { counts["#\(id)", default: 0] += 1 }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    @Test func reportIsWellFormedWithChartsTableAndMap() throws {
        let (archive, folder) = try Synthetic.temporaryArchive()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base: [[Double]] = (0..<5).map { t in (0..<20).map { Double(100 + 3 * t + $0) } }
        let policy = base.map { $0.map { $0 - 4 } }
        let series: (String, [[Double]]) -> [(variable: String, kind: String, better: String, unit: String, values: [[Double]])] = { _, v in
            [("population.total", "stock", "higher", "persons", v), ("emissions.co2", "flow", "lower", "t", v)]
        }
        try archive.store(
            Synthetic.record(
                id: "base1", name: "baseline <&>", members: 20, series: series("b", base),
                alerts: [Synthetic.alert("reservoir low", probabilities: [0, 0.1, 0.3, 0.5, 0.6])]))
        try archive.store(
            Synthetic.record(
                id: "pol1", name: "policy", members: 20, series: series("p", policy),
                alerts: [Synthetic.alert("reservoir low", probabilities: [0, 0, 0.1, 0.2, 0.3])]))
        let html = try DecisionReport.html(
            archive, run: "base1", compare: ["pol1"],
            options: .init(modelDirectory: Self.repository.appendingPathComponent("models/sioux-falls").path))
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(!html.contains("http://") || !html.contains("src=\"http"), "nothing loaded from the network")
        #expect(!html.contains("<script"))
        let parser = XMLParser(data: Data(html.utf8))
        let census = Census()
        parser.delegate = census
        #expect(parser.parse(), "well-formed: \(parser.parserError.map { "\($0)" } ?? "")")
        let c = census.counts
        #expect(c["svg.fan-chart"] == 2, "one fan chart per key indicator")
        #expect((c["path.band90"] ?? 0) == 4 && (c["path.median"] ?? 0) == 4, "two scenarios in each chart")
        #expect(c["svg.alert-chart"] == 2)
        #expect(c["table.comparison"] == 1)
        #expect(c["svg.network-map"] == 1)
        #expect(c["circle.zone"] == 24, "the sample city's 24 zones")
        #expect(c["line.link"] == 76, "the Sioux Falls network's 76 links")
        for section in ["#indicators", "#comparison", "#alerts", "#map", "#districts", "#events", "#provenance"] {
            #expect(c[section] == 1, "section \(section)")
        }
        #expect(census.text.contains("baseline <&>"), "names are escaped and read back intact")
        #expect(census.text.contains("Raised in 2022"))
    }
}
