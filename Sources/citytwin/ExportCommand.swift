import ArgumentParser
import Forecast
import Foundation

/// `citytwin export`: a run in a format other tools read.
struct ExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Export an archived run: --format iamc writes the IAMC long table that pyam loads."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case iamc }

    @OptionGroup var archive: ArchiveOptions

    @Argument(help: ArgumentHelp("The run (id, folder or scenario file).", valueName: "run"))
    var reference: String

    @Option(name: .long, help: "iamc")
    var format: Format = .iamc

    @Option(name: .long, help: "The output file (default: <run name>.iamc.csv).")
    var out: String?

    func run() throws {
        let store = try archive.open()
        let id = try RunReference.resolve(
            reference, archive: store, out: archive.out, threads: ProcessInfo.processInfo.activeProcessorCount, quiet: true)
        let name = try store.summary(id)!.name
        let path = out ?? "\(name).iamc.csv"
        let rows = try IAMCExport.write(store, run: id, to: path)
        StandardError.line("wrote \(rows) rows of run \(id) to \(path)")
    }
}
