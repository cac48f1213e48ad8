import Foundation
import Testing

@testable import Forecast

@Suite("forecast verification")
struct VerificationTests {
    /// Φ⁻¹ by bisection on Φ(z) = erfc(−z/√2)/2 (to 1e-12: far below the tolerance used).
    static func inverseNormal(_ p: Double) -> Double {
        var (low, high) = (-10.0, 10.0)
        for _ in 0..<80 {
            let mid = (low + high) / 2
            if 0.5 * erfc(-mid / 2.0.squareRoot()) < p { low = mid } else { high = mid }
        }
        return (low + high) / 2
    }

    /// An ensemble at the normal's quantiles (i + ½)/M reproduces the closed form of Gneiting & Raftery
    /// (2007, eq. 5): CRPS(N(μ, σ²), y) = σ[z(2Φ(z) − 1) + 2φ(z) − 1/√π].
    @Test(arguments: [(0.0, 1.0, 0.0), (10.0, 2.0, 13.0), (-5.0, 0.5, -5.9), (100.0, 20.0, 40.0)])
    func crpsMatchesTheNormalClosedForm(mean: Double, sd: Double, y: Double) {
        let m = 4000
        let members = (0..<m).map { mean + sd * Self.inverseNormal((Double($0) + 0.5) / Double(m)) }
        let ensemble = ForecastVerification.crps(members: members, observation: y)
        let exact = ForecastVerification.normalCRPS(mean: mean, standardDeviation: sd, observation: y)
        // Tolerance: the quantile ensemble's CDF is a step function off the normal by at most 1/M in
        // probability, so its CRPS differs by O(σ/M); 2e-3 σ leaves room for the tails' discretisation.
        #expect(abs(ensemble - exact) < 2e-3 * sd, "ensemble \(ensemble) vs closed form \(exact)")
    }

    @Test func crpsEqualsTheDefinitionOnSmallEnsembles() {
        // Brute force: (1/M) Σ|x−y| − 1/(2M²) ΣΣ|xi−xj|.
        let x = [3.0, -1.0, 4.0, 1.5, 9.0, 2.6]
        let y = 2.0
        let m = Double(x.count)
        let brute = x.map { abs($0 - y) }.reduce(0, +) / m - x.flatMap { a in x.map { abs(a - $0) } }.reduce(0, +) / (2 * m * m)
        #expect(abs(ForecastVerification.crps(members: x, observation: y) - brute) < 1e-12)
        #expect(ForecastVerification.crps(members: [5], observation: 2) == 3, "a point forecast scores its absolute error")
    }

    @Test func scoresStoredInTheArchive() throws {
        let (archive, folder) = try Synthetic.temporaryArchive()
        defer { try? FileManager.default.removeItem(at: folder) }
        let values: [[Double]] = [(0..<20).map { Double($0) }, (0..<20).map { Double($0) + 1 }]
        try archive.store(Synthetic.record(id: "r", name: "run", members: 20, series: [("pop", "stock", "higher", "persons", values)]))
        let observations = [
            Observation(region: "testcity", variable: "pop", year: 2020, value: 9.5),
            Observation(region: "testcity", variable: "pop", year: 2021, value: 100),
            Observation(region: "testcity", variable: "missing", year: 2021, value: 1),
        ]
        let (scores, unmatched) = try ForecastVerification.score(archive, run: "r", observations: observations)
        #expect(unmatched.map(\.variable) == ["missing"])
        let score = try #require(scores.first)
        #expect(score.count == 2 && score.coverage50 == 0.5 && score.coverage90 == 0.5)
        try archive.storeVerification("r", observed: "obs.csv", scores: scores)
        #expect(try archive.verifications("r").first?.score == score)
    }
}
