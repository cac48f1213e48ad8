import Foundation
import Testing

@testable import Forecast

@Suite("policy comparison and ranking")
struct ComparisonTests {
    /// Ten members; the policy adds +2 in members 0…6 and −1 in members 7…9 (so d is known exactly).
    @Test func knownDifferencesAndProbabilities() throws {
        let (archive, folder) = try Synthetic.temporaryArchive()
        defer { try? FileManager.default.removeItem(at: folder) }
        let base: [[Double]] = [(0..<10).map { Double($0) }, (0..<10).map { Double(10 + $0) }]
        let shift: [Double] = (0..<10).map { $0 < 7 ? 2 : -1 }
        let policy = base.map { zip($0, shift).map(+) }
        try archive.store(
            Synthetic.record(
                id: "b", name: "baseline", members: 10,
                series: [("jobs", "stock", "higher", "jobs", base), ("co2", "flow", "lower", "t", base)],
                alerts: [Synthetic.alert("low", probabilities: [0.1, 0.3])]))
        try archive.store(
            Synthetic.record(
                id: "p", name: "policy", members: 10,
                series: [("jobs", "stock", "higher", "jobs", policy), ("co2", "flow", "lower", "t", policy)],
                alerts: [Synthetic.alert("low", probabilities: [0.1, 0.2])], triggers: [("restrict", 0.4)]))
        let c = try PolicyComparison.compare(archive, baseline: "b", policies: ["p"])
        let jobs = try #require(c.deltas.first { $0.indicator == "jobs" && $0.period == "2021" })
        // Tolerance: sums of ten small integers are exact in binary floating point.
        #expect(abs(jobs.meanDifference - 1.1) < 1e-12)
        #expect(jobs.probabilityBetter == 0.7, "higher is better: members 0…6 improve")
        // Definition 7 on sorted d = [−1, −1, −1, 2 × 7]: p5 at h = 0.45 → −1, p95 at h = 8.55 → 2.
        #expect(jobs.differenceP5 == -1 && jobs.differenceP95 == 2)
        #expect(abs(jobs.relativeChange! - 1.1 / 14.5) < 1e-12)
        let co2 = try #require(c.deltas.first { $0.indicator == "co2" && $0.period == "2021" })
        #expect(co2.probabilityBetter == 0.3, "lower is better: members 7…9 improve")
        // A flow is also summed over the horizon, 2020 and 2021 (flows are labelled by the year they happen
        // in), each shifted by the same differences: twice the numbers.
        let cumulated = try #require(c.deltas.first { $0.indicator == "co2" && $0.period == "2020–2021 cumulated" })
        #expect(abs(cumulated.meanDifference - 2.2) < 1e-12)
        #expect(c.deltas.contains { $0.indicator == "jobs" && $0.period.hasSuffix("cumulated") } == false, "stocks are not summed")
        let alert = try #require(c.alerts.first)
        #expect(abs(alert.change - (-0.1)) < 1e-12)
        #expect(c.triggers.map(\.share) == [0.4] && c.runsWithoutTriggers == ["baseline"])
        #expect(c.csv.hasPrefix("policy,indicator,region,unit,better,period,"))
        #expect(try JSONSerialization.jsonObject(with: c.json()) is [String: Any])
        #expect(c.text.contains("P(better)"))
    }

    /// Three options, two indicators (higher better), two members, worked by hand.
    ///
    /// Indicator A: member 0 → (1, 3, 2), member 1 → (2, 0, 4); min 0, max 4 → u = x/4.
    /// Indicator B: member 0 → (10, 10, 20), member 1 → (20, 10, 10); min 10, max 20 → u = (x−10)/10.
    /// U (mean of the two): member 0 → (0.125, 0.375, 0.75), member 1 → (0.75, 0, 0.5).
    /// Regret: member 0 → (0.625, 0.375, 0), member 1 → (0, 0.75, 0.25); expected → (0.3125, 0.5625, 0.125).
    /// Best: option 2 in member 0, option 0 in member 1 → shares (0.5, 0, 0.5).
    /// Ranks A: m0 (3, 1, 2), m1 (2, 3, 1); B: m0 (2.5, 2.5, 1), m1 (1, 2.5, 2.5).
    /// Mean rank = (sum over 2 indicators × 2 members) / 4 → (8.5/4, 9/4, 6.5/4).
    @Test func rankingWorkedByHand() {
        let ranking = PolicyRanking.rank(
            options: ["o0", "o1", "o2"],
            indicators: [
                ("A", true, [[1, 2], [3, 0], [2, 4]]),
                ("B", true, [[10, 20], [10, 10], [20, 10]]),
            ])
        let byName = Dictionary(uniqueKeysWithValues: ranking.options.map { ($0.name, $0) })
        // Tolerance: a few additions of multiples of 1/8.
        #expect(abs(byName["o0"]!.expectedRegret - 0.3125) < 1e-12)
        #expect(abs(byName["o1"]!.expectedRegret - 0.5625) < 1e-12)
        #expect(abs(byName["o2"]!.expectedRegret - 0.125) < 1e-12)
        #expect(byName["o0"]!.shareBest == 0.5 && byName["o1"]!.shareBest == 0 && byName["o2"]!.shareBest == 0.5)
        #expect(byName["o0"]!.meanRank == 8.5 / 4 && byName["o1"]!.meanRank == 9.0 / 4 && byName["o2"]!.meanRank == 6.5 / 4)
        #expect(ranking.options.map(\.name) == ["o2", "o0", "o1"], "lowest expected regret first")
    }

    @Test func lowerIsBetterFlipsTheScale() {
        let ranking = PolicyRanking.rank(options: ["a", "b"], indicators: [("cost", false, [[1, 1], [2, 2]])])
        #expect(ranking.options.first?.name == "a")
        #expect(ranking.options.first?.shareBest == 1)
    }
}
