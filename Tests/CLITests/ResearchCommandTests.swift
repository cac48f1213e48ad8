import Foundation
import Testing

/// End to end: `citytwin calibrate`, `sensitivity` and `assimilate` on the population-only test scenario.
@Suite("citytwin calibrate, sensitivity, assimilate", .serialized)
struct ResearchCommandTests {
    static let scenario = CLITests.repository.appendingPathComponent("scenarios/test/population-short.yaml").path

    /// Births about 8 % above the baseline's in 2020–2022: the fitted fertility scale must rise above 1.
    static let observed = """
        region,variable,year,value,sd
        sioux-falls,population.births,2020,2935,40
        sioux-falls,population.births,2021,2968,40
        sioux-falls,population.births,2022,3000,40

        """

    @Test func calibrateWritesFitAndCalibratedScenario() throws {
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.observed.write(to: folder.appendingPathComponent("observed.csv"), atomically: true, encoding: .utf8)
        try """
        name: births-fit
        scenario: \(Self.scenario)
        observations: observed.csv
        method: levenberg-marquardt
        parameters:
          population.fertility_scale: {lower: 0.5, upper: 2.0}
        """.write(to: folder.appendingPathComponent("fit.yaml"), atomically: true, encoding: .utf8)
        let result = try CLITests.run([
            "calibrate", folder.appendingPathComponent("fit.yaml").path, "--out",
            folder.appendingPathComponent("out").path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.contains("population.fertility_scale = "))
        let out = folder.appendingPathComponent("out/births-fit")
        let parameters = try String(contentsOf: out.appendingPathComponent("parameters.csv"), encoding: .utf8)
        let estimate = Double(parameters.split(separator: "\n")[1].split(separator: ",")[1])!
        #expect(estimate > 1.05 && estimate < 1.12, "\(parameters)")
        for name in [
            "residuals.csv", "summary.json", "fit.html", "correlation.csv", "calibrated.yaml", "model/zones.csv",
        ] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent(name).path), "\(name)")
        }
        let validate = try CLITests.run(["validate", out.appendingPathComponent("calibrated.yaml").path])
        #expect(validate.status == 0, "\(validate.stderr)")
    }

    @Test func calibrateRejectsBadFiles() throws {
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try (Self.observed + "sioux-falls,population.birth,2024,1,1\n")
            .write(to: folder.appendingPathComponent("observed.csv"), atomically: true, encoding: .utf8)
        try """
        scenario: \(Self.scenario)
        observations: observed.csv
        method: nelder-mead
        parameter:
          population.fertility_scale: [0.5, 2.0]
        """.write(to: folder.appendingPathComponent("fit.yaml"), atomically: true, encoding: .utf8)
        let result = try CLITests.run([
            "calibrate", folder.appendingPathComponent("fit.yaml").path, "--out", folder.path,
        ])
        #expect(result.status == 1)
        #expect(result.stderr.contains("fit.yaml:4:1: error: unknown key `parameter`"), "\(result.stderr)")
        #expect(result.stderr.contains("did you mean `parameters`?"))
        #expect(
            result.stderr.contains("observed.csv:5:13: error: unknown indicator `population.birth`"), "\(result.stderr)"
        )
    }

    @Test func sensitivityWritesIndices() throws {
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try """
        name: screen
        scenario: \(Self.scenario)
        method: morris
        parameters:
          population.fertility_scale: [0.9, 1.1]
          population.mortality_improvement: registry
        indicators: [population.total]
        years: [2023]
        options:
          trajectories: 3
        """.write(to: folder.appendingPathComponent("s.yaml"), atomically: true, encoding: .utf8)
        let result = try CLITests.run([
            "sensitivity", folder.appendingPathComponent("s.yaml").path, "--out", folder.path,
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let csv = try String(contentsOf: folder.appendingPathComponent("screen/indices.csv"), encoding: .utf8)
        #expect(
            csv.hasPrefix(
                "output,parameter,index,value,lower,upper\npopulation.total 2023,population.fertility_scale,mu_star,"))
        #expect(FileManager.default.fileExists(atPath: folder.appendingPathComponent("screen/indices.html").path))
    }

    @Test func assimilateWritesAnalysisForecast() throws {
        let folder = try CLITests.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        try Self.observed.write(to: folder.appendingPathComponent("observed.csv"), atomically: true, encoding: .utf8)
        let result = try CLITests.run([
            "assimilate", "scenarios/test/assimilation-twin.yaml", "--observations",
            folder.appendingPathComponent("observed.csv").path, "--filter", "stochastic",
            "--inflation", "1.05", "--out", folder.path, "--quiet",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        let run = folder.appendingPathComponent("assimilation-twin-assimilated")
        let forecast = try String(contentsOf: run.appendingPathComponent("forecast.csv"), encoding: .utf8)
        #expect(forecast.contains(",population.total,persons,2026,p95,"))
        let analyses = try String(contentsOf: run.appendingPathComponent("assimilation.csv"), encoding: .utf8)
        #expect(analyses.split(separator: "\n").count == 1 + 3 * 2, "a parameter row and a population row per analysis")
        #expect(FileManager.default.fileExists(atPath: run.appendingPathComponent("manifest.json").path))
        // Observations without sd cannot be assimilated.
        try "region,variable,year,value\nsioux-falls,population.total,2022,199000\n"
            .write(to: folder.appendingPathComponent("nosd.csv"), atomically: true, encoding: .utf8)
        let bad = try CLITests.run([
            "assimilate", "scenarios/test/assimilation-twin.yaml", "--observations",
            folder.appendingPathComponent("nosd.csv").path, "--out", folder.path,
        ])
        #expect(bad.status == 1)
        #expect(bad.stderr.contains("nosd.csv:2: error: assimilation needs each observation's `sd`"), "\(bad.stderr)")
    }
}
