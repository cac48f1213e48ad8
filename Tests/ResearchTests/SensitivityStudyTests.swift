import Foundation
import Research
import Testing

@Suite("Sensitivity analysis of registry parameters")
struct SensitivityStudyTests {
    func study(_ method: String, options: String) throws -> (URL, SensitivityStudy) {
        let folder = try Repository.scratch("sensitivity")
        let file = folder.appendingPathComponent("sensitivity.yaml").path
        try """
        name: small
        scenario: \(Repository.path("scenarios/test/population-short.yaml"))
        method: \(method)
        parameters:
          population.fertility_scale: [0.8, 1.2]
          population.net_migration_scale: [0.5, 1.5]
          population.sex_ratio_at_birth: [1.0, 1.1]
        indicators: [population.births, population.total@3]
        years: [2025]
        options:
        \(options)
        """.write(toFile: file, atomically: true, encoding: .utf8)
        return (folder, try SensitivityStudy.load(file))
    }

    /// Births in 2025 depend on the fertility scale (directly) and on net migration (through women of
    /// childbearing age), not at all on the sex ratio at birth (it splits births by sex): the indices must rank them so.
    @Test("Sobol indices rank fertility first for births; every output from the same runs")
    func sobol() throws {
        let (folder, study) = try study("sobol", options: "  base_samples: 16\n  bootstrap: 100\n  threads: 2")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = study.run()
        // The two outputs share one set of runs: at most N·(d + 2), fewer where design points coincide.
        #expect(result.modelRuns <= 16 * 5)
        let births = result.rows.filter { $0.output == "population.births 2025" }
        let st = births.map { $0.value("ST")! }
        print("births 2025 ST: \(st)")
        #expect(st[0] > st[1] && st[1] > st[2])
        #expect(abs(st[2]) < 1e-9)
        #expect(st[0] > 0.5)
        #expect(result.csv.hasPrefix("output,parameter,index,value,lower,upper\n"))
        #expect(result.html.contains("<svg"))
    }

    @Test("Morris μ* ranks the same way; results independent of threads")
    func morris() throws {
        let (folder, one) = try study("morris", options: "  trajectories: 4\n  threads: 1")
        defer { try? FileManager.default.removeItem(at: folder) }
        var two = one
        two.threads = 2
        let (a, b) = (one.run(), two.run())
        #expect(a.csv == b.csv)
        let mu = a.rows.filter { $0.output == "population.births 2025" }.map { $0.value("mu_star")! }
        #expect(mu[0] > mu[2])
    }
}
