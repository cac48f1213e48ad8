import ArgumentParser
import CityTwinCore

/// `citytwin`: the command-line face of the engine.
@main
struct CityTwin: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "citytwin",
        abstract: "A digital twin of a city: run what-if scenarios against a baseline and write forecasts.",
        version: EngineVersion.current,
        subcommands: [
            RunCommand.self, ValidateCommand.self, DescribeCommand.self, GraphCommand.self, AssignCommand.self, RunsCommand.self,
            CompareCommand.self, ReportCommand.self, VerifyCommand.self, ExportCommand.self, CalibrateCommand.self,
            SensitivityCommand.self, AssimilateCommand.self, CheckCommand.self,
        ]
    )
}
