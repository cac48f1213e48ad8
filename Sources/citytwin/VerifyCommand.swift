import ArgumentParser
import Forecast
import Foundation

/// `citytwin verify`: an archived forecast against what was observed.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Score a run against observations: CRPS, 50 % and 90 % interval coverage, mean absolute error.",
        discussion: "The observed file has columns region,variable,year,value. Scores are stored in the archive."
    )

    @OptionGroup var archive: ArchiveOptions

    @Argument(help: ArgumentHelp("The run (id, folder or scenario file).", valueName: "run"))
    var reference: String

    @Option(name: .long, help: "Observed values (CSV: region,variable,year,value).")
    var observed: String

    func run() throws {
        let store = try archive.open()
        let id = try RunReference.resolve(
            reference, archive: store, out: archive.out, threads: ProcessInfo.processInfo.activeProcessorCount, quiet: true)
        let observations: [Observation]
        do {
            observations = try ForecastVerification.readObservations(observed)
        } catch let error as ForecastVerification.VerificationError {
            StandardError.line(error.description)
            throw ExitCode.failure
        }
        let (scores, unmatched) = try ForecastVerification.score(store, run: id, observations: observations)
        try store.storeVerification(id, observed: observed, scores: scores)
        func percent(_ x: Double?) -> String { x.map { String(format: "%.0f %%", 100 * $0) } ?? "—" }
        var rows = [["variable", "region", "n", "CRPS", "50 % coverage", "90 % coverage", "MAE"]]
        for s in scores {
            rows.append([
                s.variable, s.region, "\(s.count)", s.crps.map { PolicyComparison.number($0) } ?? "—", percent(s.coverage50),
                percent(s.coverage90), PolicyComparison.number(s.meanAbsoluteError),
            ])
        }
        print(PolicyComparison.aligned(rows).joined(separator: "\n"))
        for o in unmatched.prefix(10) {
            StandardError.line("note: \(o.variable) [\(o.region)] \(Int(o.year)) is not in run \(id); not scored")
        }
        if unmatched.count > 10 { StandardError.line("note: \(unmatched.count - 10) more observations not in the run") }
        StandardError.line("stored \(scores.count) scores for run \(id) in \(archive.path)")
    }
}
