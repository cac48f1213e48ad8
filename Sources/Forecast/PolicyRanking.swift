/// Options (the baseline and each policy) ranked across indicators under uncertainty.
///
/// For indicator i, option k and member m (members paired by index), let s = x where higher is better
/// and s = −x where lower is better (flows summed over the horizon, stocks at the last compared year).
/// Indicators are put on one scale by min–max normalisation over every option and member:
///
///     u_{k,i,m} = (s_{k,i,m} − min s_i) / (max s_i − min s_i)     (1 if s_i does not vary)
///
/// so 1 is the best outcome seen anywhere in the comparison and 0 the worst. They are combined with
/// equal weights, U_{k,m} = (1/I) Σᵢ u_{k,i,m}, and
/// - regret R_{k,m} = max_j U_{j,m} − U_{k,m} (how far option k falls short of the best option in that
///   future), expected regret E_m[R_{k,m}] (Savage 1951; as used in robust decision making, Lempert
///   et al. 2006), options ordered by it (lowest first);
/// - share best: the share of members in which U_k is the highest (ties shared equally);
/// - mean rank: each indicator's rank among options in each member (1 = best, ties averaged), averaged
///   over indicators and members — the "rank per indicator then average" reading, reported beside.
/// Only the first min over options of M members are used.
public struct PolicyRanking: Sendable, Codable, Hashable {
    public struct Option: Sendable, Codable, Hashable {
        public let name: String
        public let expectedRegret: Double
        public let shareBest: Double
        public let meanRank: Double
    }

    /// Options, best (lowest expected regret) first.
    public let options: [Option]
    /// Indicators combined.
    public let indicators: [String]
    public let members: Int

    /// Builds the ranking one indicator at a time, holding options × members numbers.
    struct Accumulator {
        let names: [String]
        var indicators: [String] = []
        /// Σᵢ u_{k,i,m}, by option then member.
        var utility: [[Double]] = []
        var rankSum: [[Double]] = []
        var members = Int.max

        init(options: [String]) { names = options }

        mutating func add(indicator: String, values: [[Double]], higherIsBetter: Bool) {
            precondition(values.count == names.count, "one value list per option")
            let count = values.map(\.count).min() ?? 0
            guard count > 0 else { return }
            if count < members {
                members = count
                utility = utility.map { Array($0.prefix(count)) }
                rankSum = rankSum.map { Array($0.prefix(count)) }
            }
            if utility.isEmpty {
                utility = Array(repeating: Array(repeating: 0, count: members), count: names.count)
                rankSum = utility
            }
            let scores = values.map { option in option.prefix(members).map { higherIsBetter ? $0 : -$0 } }
            let finite = scores.joined().filter { $0.isFinite }
            guard let low = finite.min(), let high = finite.max() else { return }
            indicators.append(indicator)
            for m in 0..<members {
                for k in names.indices {
                    let s = scores[k][m]
                    utility[k][m] += !s.isFinite ? 0 : high > low ? (s - low) / (high - low) : 1
                    // Rank 1 = best; ties share the average of the ranks they span.
                    let better = names.indices.filter { scores[$0][m] > s }.count
                    let equal = names.indices.filter { scores[$0][m] == s }.count
                    rankSum[k][m] += Double(better) + Double(equal + 1) / 2
                }
            }
        }

        func result() -> PolicyRanking {
            guard !indicators.isEmpty else {
                return PolicyRanking(
                    options: names.map { Option(name: $0, expectedRegret: 0, shareBest: 0, meanRank: 0) },
                    indicators: [], members: 0)
            }
            let i = Double(indicators.count)
            var regret = [Double](repeating: 0, count: names.count)
            var best = [Double](repeating: 0, count: names.count)
            for m in 0..<members {
                let u = names.indices.map { utility[$0][m] / i }
                let top = u.max()!
                let winners = names.indices.filter { u[$0] >= top - 1e-12 }
                for k in names.indices { regret[k] += top - u[k] }
                for k in winners { best[k] += 1 / Double(winners.count) }
            }
            let n = Double(members)
            let options = names.indices.map { k in
                Option(
                    name: names[k], expectedRegret: regret[k] / n, shareBest: best[k] / n,
                    meanRank: rankSum[k].reduce(0, +) / (n * i))
            }
            return PolicyRanking(
                options: options.sorted { ($0.expectedRegret, -$0.shareBest) < ($1.expectedRegret, -$1.shareBest) },
                indicators: indicators, members: members)
        }
    }

    /// Ranks options from values given directly: `values[i][k][m]` for indicator i, option k, member m.
    public static func rank(options: [String], indicators: [(name: String, higherIsBetter: Bool, values: [[Double]])]) -> PolicyRanking {
        var accumulator = Accumulator(options: options)
        for indicator in indicators {
            accumulator.add(indicator: indicator.name, values: indicator.values, higherIsBetter: indicator.higherIsBetter)
        }
        return accumulator.result()
    }
}
