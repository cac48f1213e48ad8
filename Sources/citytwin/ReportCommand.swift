import ArgumentParser
import Forecast
import Foundation

/// `citytwin report`: the decision report as one self-contained HTML file.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write a self-contained HTML decision report: fan charts, comparison, alerts, map, events, provenance."
    )

    @OptionGroup var archive: ArchiveOptions

    @Argument(help: ArgumentHelp("The run (id, folder or scenario file); the baseline when --compare is given.", valueName: "run"))
    var reference: String

    @Option(name: .long, parsing: .upToNextOption, help: "Runs to compare with it.")
    var compare: [String] = []

    @Option(name: .long, help: "Indicator that shades the zones on the map (default: population.total).")
    var zoneIndicator: String?

    @Option(name: .long, help: "The model folder for the map (default: from the run's manifest).")
    var model: String?

    @Option(name: .long, help: "The HTML file to write.")
    var out: String = "report.html"

    @Option(name: .long, help: "Threads when a scenario must be run first.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    func run() throws {
        let store = try archive.open()
        let id = try RunReference.resolve(reference, archive: store, out: archive.out, threads: threads, quiet: true)
        let others = try compare.map { try RunReference.resolve($0, archive: store, out: archive.out, threads: threads, quiet: true) }
        let html = try DecisionReport.html(
            store, run: id, compare: others,
            options: .init(zoneIndicator: zoneIndicator, modelDirectory: model))
        try Data(html.utf8).write(to: URL(fileURLWithPath: out), options: .atomic)
        StandardError.line("wrote \(out) (\(html.utf8.count / 1024) KB)")
    }
}
