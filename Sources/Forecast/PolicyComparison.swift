public import Foundation

/// A baseline and one or more policies compared member by member.
///
/// Members with the same index in two runs of the same seed share their random draws (common random
/// numbers), so the paired difference d_m = x_m(policy) − x_m(baseline) isolates the policy's effect
/// from the uncertainty both runs share. For each indicator and period it reports:
/// - the mean of d and its central 90 % interval (p5 and p95 of the d_m, Hyndman–Fan definition 7);
/// - the relative change, mean(d) / mean(x(baseline)) (nil when the baseline mean is 0);
/// - P(better): the share of members in which the policy is strictly better, by the indicator's
///   declared direction (d > 0 where higher is better, d < 0 where lower is); ties count as not better;
///   nil for indicators with no direction.
/// - P(worse), likewise, so that "no change" (both 0) reads apart from "worse".
/// Periods are chosen years and, for extensive flows (flows aggregated by sum: births, output, water
/// lost, CO₂), the sum over the horizon (every year after the start); ratios and peaks are not summed.
/// Pairs are taken over the first min(M_baseline, M_policy) members; a pair with a NaN is left out.
///
/// Ranking (``Ranking``) follows in ``PolicyRanking``.
public struct PolicyComparison: Sendable, Codable {
    public struct RunInfo: Sendable, Codable, Hashable {
        public let id: String
        public let name: String
        public let version: Int
        public let members: Int
    }

    public struct Delta: Sendable, Codable, Hashable {
        public let policy: String
        public let indicator: String
        public let region: String
        public let unit: String
        public let better: String
        /// "2045", or "2020–2045 cumulated" for a flow summed over the horizon (flows are labelled by the year they happen in).
        public let period: String
        public let baselineMean: Double
        public let policyMean: Double
        public let meanDifference: Double
        public let differenceP5: Double
        public let differenceP95: Double
        public let relativeChange: Double?
        public let probabilityBetter: Double?
        public let probabilityWorse: Double?
        public let pairs: Int
    }

    public struct AlertChange: Sendable, Codable, Hashable {
        public let policy: String
        public let alert: String
        public let baseline: Double
        public let policyProbability: Double
        public var change: Double { policyProbability - baseline }
    }

    public struct TriggerShare: Sendable, Codable, Hashable {
        public let run: String
        public let trigger: String
        public let share: Double
    }

    public let baseline: RunInfo
    public let policies: [RunInfo]
    public let years: [Double]
    public let deltas: [Delta]
    public let alerts: [AlertChange]
    public let triggers: [TriggerShare]
    /// Runs whose scenario has no `when:` trigger.
    public let runsWithoutTriggers: [String]
    public let ranking: PolicyRanking
    public let notes: [String]

    /// Compares archived runs.
    /// - Parameters:
    ///   - indicators: variables at city level (default: the key indicators archived with the baseline).
    ///   - years: years to report (default: the baseline's end year).
    public static func compare(
        _ archive: RunArchive, baseline: String, policies: [String], indicators: [String]? = nil,
        years requested: [Int]? = nil
    ) throws -> PolicyComparison {
        func info(_ id: String) throws -> (RunInfo, RunArchive.Summary) {
            guard let summary = try archive.summary(id) else { throw RunArchive.ArchiveError.unknownRun(id) }
            return (RunInfo(id: id, name: summary.name, version: summary.version, members: summary.members), summary)
        }
        let (base, baseSummary) = try info(baseline)
        let others = try policies.map { try info($0) }
        func label(_ run: RunInfo, among all: [RunInfo]) -> String {
            all.filter { $0.name == run.name }.count > 1 ? "\(run.name)@v\(run.version)" : run.name
        }
        let all = [base] + others.map(\.0)
        let labels = all.map { label($0, among: all) }
        var notes: [String] = []
        // Pairing members by index shares their draws only when the seeds agree.
        func seed(_ id: String) -> String? {
            guard let data = try? archive.manifest(id), let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
                let seed = object["seed"]
            else { return nil }
            return "\(seed)"
        }
        let baseSeed = seed(baseline)
        for (run, _) in others where seed(run.id) != baseSeed {
            notes.append(
                "\(run.name) has seed \(seed(run.id) ?? "?"), the baseline \(baseSeed ?? "?"): members do not share their draws, "
                    + "so the intervals mix the policy's effect with sampling noise")
        }
        let years = (requested ?? [baseSummary.endYear]).map(Double.init)
        let region = baseSummary.model
        let available = try archive.series(baseline).filter { $0.region == region }
        let chosen: [RunArchive.Series]
        if let indicators {
            chosen = indicators.compactMap { name in
                let found = available.first { $0.variable == name }
                if found == nil { notes.append("\(name): no member values archived for the baseline; left out") }
                return found
            }
        } else {
            chosen = available.filter { $0.better != "neither" }
        }
        var deltas: [Delta] = []
        var ranking = PolicyRanking.Accumulator(options: labels)
        for series in chosen {
            let baseValues = try archive.memberValues(baseline, variable: series.variable, region: region)
            var perOption: [[(year: Double, values: [Double])]] = [baseValues]
            var complete = true
            for (run, _) in others {
                let values = try archive.memberValues(run.id, variable: series.variable, region: region)
                if values.isEmpty {
                    notes.append("\(series.variable): not archived member by member for \(run.name); left out")
                    complete = false
                    break
                }
                perOption.append(values)
            }
            guard complete, !baseValues.isEmpty else { continue }
            let isFlow = series.kind == "flow" && series.aggregation == "sum"
            let startYear = Double(baseSummary.startYear)
            for (p, (run, _)) in others.enumerated() {
                let policyValues = perOption[p + 1]
                for year in years {
                    guard let b = baseValues.first(where: { $0.year == year })?.values,
                        let x = policyValues.first(where: { $0.year == year })?.values
                    else {
                        notes.append("\(series.variable): no values in \(Int(year)) for \(run.name)")
                        continue
                    }
                    if let delta = Self.delta(baseline: b, policy: x, better: series.better) {
                        deltas.append(
                            Delta(
                                policy: labels[p + 1], indicator: series.variable, region: region, unit: series.unit,
                                better: series.better, period: ForecastTable.format(year: year),
                                baselineMean: delta.baselineMean, policyMean: delta.policyMean,
                                meanDifference: delta.mean, differenceP5: delta.p5, differenceP95: delta.p95,
                                relativeChange: delta.relative, probabilityBetter: delta.better, probabilityWorse: delta.worse,
                                pairs: delta.pairs))
                    }
                }
                if isFlow {
                    let b = cumulated(baseValues, from: startYear)
                    let x = cumulated(policyValues, from: startYear)
                    let last = baseValues.last.map { Int($0.year) } ?? baseSummary.endYear
                    if let delta = Self.delta(baseline: b, policy: x, better: series.better) {
                        deltas.append(
                            Delta(
                                policy: labels[p + 1], indicator: series.variable, region: region, unit: series.unit,
                                better: series.better, period: "\(baseSummary.startYear)–\(last) cumulated",
                                baselineMean: delta.baselineMean, policyMean: delta.policyMean,
                                meanDifference: delta.mean, differenceP5: delta.p5, differenceP95: delta.p95,
                                relativeChange: delta.relative, probabilityBetter: delta.better, probabilityWorse: delta.worse,
                                pairs: delta.pairs))
                    }
                }
            }
            // Ranking: flows summed over the horizon, stocks at the last chosen year.
            if series.better != "neither" {
                let year = years.last ?? Double(baseSummary.endYear)
                let values = perOption.map { option -> [Double] in
                    isFlow ? cumulated(option, from: startYear) : (option.first { $0.year == year }?.values ?? [])
                }
                ranking.add(indicator: series.variable, values: values, higherIsBetter: series.better == "higher")
            }
        }
        let baseAlerts = try archive.alerts(baseline)
        var alerts: [AlertChange] = []
        for (p, (run, _)) in others.enumerated() {
            let policyAlerts = try archive.alerts(run.id)
            for alert in baseAlerts {
                guard let match = policyAlerts.first(where: { $0.name == alert.name }) else { continue }
                alerts.append(
                    AlertChange(
                        policy: labels[p + 1], alert: alert.name, baseline: alert.probabilityWithin,
                        policyProbability: match.probabilityWithin))
            }
        }
        var triggers: [TriggerShare] = []
        var without: [String] = []
        for (index, run) in all.enumerated() {
            let shares = try archive.triggers(run.id)
            if shares.isEmpty { without.append(labels[index]) }
            triggers += shares.map { TriggerShare(run: labels[index], trigger: $0.intervention, share: $0.share) }
        }
        return PolicyComparison(
            baseline: base, policies: others.map(\.0), years: years, deltas: deltas, alerts: alerts,
            triggers: triggers, runsWithoutTriggers: without, ranking: ranking.result(), notes: notes)
    }

    /// Each member's sum over the years from `start` on (NaN years skipped).
    static func cumulated(_ series: [(year: Double, values: [Double])], from start: Double) -> [Double] {
        guard let count = series.first?.values.count else { return [] }
        var sums = [Double](repeating: 0, count: count)
        for (year, values) in series where year >= start {
            for m in 0..<min(count, values.count) where !values[m].isNaN { sums[m] += values[m] }
        }
        return sums
    }

    /// The paired statistics of policy − baseline.
    static func delta(baseline: [Double], policy: [Double], better: String)
        -> (
            mean: Double, p5: Double, p95: Double, baselineMean: Double, policyMean: Double, relative: Double?, better: Double?,
            worse: Double?, pairs: Int
        )?
    {
        var differences: [Double] = []
        var sumBase = 0.0
        var sumPolicy = 0.0
        for m in 0..<min(baseline.count, policy.count) where !baseline[m].isNaN && !policy[m].isNaN {
            differences.append(policy[m] - baseline[m])
            sumBase += baseline[m]
            sumPolicy += policy[m]
        }
        guard !differences.isEmpty else { return nil }
        let n = Double(differences.count)
        let mean = differences.reduce(0, +) / n
        let up = Double(differences.filter { $0 > 0 }.count) / n
        let down = Double(differences.filter { $0 < 0 }.count) / n
        let (improved, worsened): (Double?, Double?) =
            switch better {
            case "higher": (up, down)
            case "lower": (down, up)
            default: (nil, nil)
            }
        let sorted = differences.sorted()
        let baseMean = sumBase / n
        return (
            mean, EnsembleStatistic.quantile(sorted, 0.05), EnsembleStatistic.quantile(sorted, 0.95), baseMean,
            sumPolicy / n, baseMean == 0 ? nil : mean / abs(baseMean), improved, worsened, differences.count
        )
    }

    // MARK: Output

    public static let csvHeader = [
        "policy", "indicator", "region", "unit", "better", "period", "baseline_mean", "policy_mean",
        "difference_mean", "difference_p5", "difference_p95", "relative_change", "probability_better",
        "probability_worse", "pairs",
    ]

    /// compare.csv: one row per policy, indicator and period.
    public var csv: String {
        var text = Self.csvHeader.joined(separator: ",") + "\n"
        for d in deltas {
            func number(_ x: Double?) -> String { x.map { ForecastTable.format($0) } ?? "" }
            let text1: [String] = [d.policy, d.indicator, d.region, d.unit, d.better, d.period].map { ForecastTable.quoted($0) }
            let numbers: [String] = [
                d.baselineMean, d.policyMean, d.meanDifference, d.differenceP5, d.differenceP95,
                d.relativeChange, d.probabilityBetter, d.probabilityWorse,
            ].map(number)
            let fields = text1 + numbers + ["\(d.pairs)"]
            text += fields.joined(separator: ",") + "\n"
        }
        return text
    }

    /// compare.json: everything, pretty and with sorted keys.
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }

    /// The comparison as text tables for a terminal.
    public var text: String {
        var lines: [String] = []
        lines.append("baseline: \(baseline.name) v\(baseline.version) (\(baseline.id), \(baseline.members) members)")
        for p in policies { lines.append("policy:   \(p.name) v\(p.version) (\(p.id), \(p.members) members)") }
        lines.append("")
        var table: [[String]] = [["policy", "indicator", "period", "baseline", "Δ mean", "90 % interval", "Δ %", "P(better)", "P(worse)"]]
        for d in deltas {
            table.append([
                d.policy, "\(d.indicator) [\(d.unit)]", d.period, Self.number(d.baselineMean), Self.signed(d.meanDifference),
                "[\(Self.signed(d.differenceP5)), \(Self.signed(d.differenceP95))]",
                d.relativeChange.map { String(format: "%+.1f %%", 100 * $0) } ?? "—",
                d.probabilityBetter.map { String(format: "%.0f %%", 100 * $0) } ?? "—",
                d.probabilityWorse.map { String(format: "%.0f %%", 100 * $0) } ?? "—",
            ])
        }
        lines += Self.aligned(table)
        if !alerts.isEmpty {
            lines.append("")
            var rows: [[String]] = [["policy", "alert", "P(baseline)", "P(policy)", "change"]]
            for a in alerts {
                rows.append([
                    a.policy, a.alert, String(format: "%.0f %%", 100 * a.baseline), String(format: "%.0f %%", 100 * a.policyProbability),
                    String(format: "%+.0f points", 100 * a.change),
                ])
            }
            lines += Self.aligned(rows)
        }
        lines.append("")
        if triggers.isEmpty {
            lines.append("triggers: none in these runs")
        } else {
            var rows: [[String]] = [["run", "trigger", "members in which it fired"]]
            for t in triggers { rows.append([t.run, t.trigger, String(format: "%.0f %%", 100 * t.share)]) }
            lines += Self.aligned(rows)
        }
        lines.append("")
        lines.append("ranking across \(ranking.indicators.count) indicators (equal weights; see README \"Comparing policies\"):")
        var rows: [[String]] = [["rank", "option", "expected regret", "best in", "mean rank"]]
        for (index, option) in ranking.options.enumerated() {
            rows.append([
                "\(index + 1)", option.name, String(format: "%.3f", option.expectedRegret),
                String(format: "%.0f %% of members", 100 * option.shareBest), String(format: "%.2f", option.meanRank),
            ])
        }
        lines += Self.aligned(rows)
        lines += notes.map { "note: \($0)" }
        return lines.joined(separator: "\n") + "\n"
    }

    public static func number(_ x: Double) -> String {
        if x == 0 { return "0" }
        let magnitude = abs(x)
        if magnitude >= 1e12 || magnitude < 1e-3 { return String(format: "%.3g", x) }
        if magnitude >= 100 { return String(format: "%.0f", x) }
        return String(format: "%.3g", x)
    }

    public static func signed(_ x: Double) -> String { x > 0 ? "+" + number(x) : number(x) }

    public static func aligned(_ rows: [[String]]) -> [String] {
        guard let first = rows.first else { return [] }
        let widths = first.indices.map { column in rows.map { $0[column].count }.max() ?? 0 }
        return rows.map { row in
            zip(row, widths).map { $0.0.padding(toLength: $0.1, withPad: " ", startingAt: 0) }.joined(separator: "  ")
                .trimmingCharacters(in: .whitespaces)
        }
    }
}
