import ArgumentParser
import Forecast
import Foundation

/// `citytwin compare`: policies against a baseline, member by member.
struct CompareCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "compare",
        abstract: "Compare policies with a baseline member by member (common random numbers) and rank them.",
        discussion: """
            Runs may be named by id, folder or scenario file (a scenario is run first unless its run is archived). \
            For each indicator (key indicators by default) prints the mean difference, its 90 % interval and the \
            probability that the policy is better, at the chosen years and summed over the horizon for flows; the \
            change in each alert's probability; the share of members in which each trigger fired; and the options \
            ranked by expected regret. Writes compare.csv and compare.json to --out.
            """
    )

    @OptionGroup var archive: ArchiveOptions

    @Argument(help: "The baseline run.")
    var baseline: String

    @Argument(help: "One or more policy runs.")
    var policies: [String]

    @Option(name: .long, parsing: .upToNextOption, help: "Years to compare (default: the end year), e.g. --years 2030 2045.")
    var years: [Int] = []

    @Option(name: .long, parsing: .upToNextOption, help: "Indicators to compare (default: the key indicators).")
    var indicators: [String] = []

    @Option(name: .long, help: "Folder for compare.csv and compare.json.")
    var out: String?

    @Option(name: .long, help: "Threads when a scenario must be run first.")
    var threads: Int = ProcessInfo.processInfo.activeProcessorCount

    @Flag(name: .long, help: "No progress line.")
    var quiet = false

    func run() throws {
        let store = try archive.open()
        let base = try RunReference.resolve(baseline, archive: store, out: archive.out, threads: threads, quiet: quiet)
        let others = try policies.map { try RunReference.resolve($0, archive: store, out: archive.out, threads: threads, quiet: quiet) }
        let comparison = try PolicyComparison.compare(
            store, baseline: base, policies: others,
            indicators: indicators.isEmpty ? nil : indicators,
            years: years.isEmpty ? nil : years)
        print(comparison.text, terminator: "")
        if let out {
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(comparison.csv.utf8).write(to: folder.appendingPathComponent("compare.csv"), options: .atomic)
            try comparison.json().write(to: folder.appendingPathComponent("compare.json"), options: .atomic)
            StandardError.line("wrote \(out)/compare.csv and compare.json")
        }
    }
}
