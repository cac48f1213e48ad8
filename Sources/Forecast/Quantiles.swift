/// Summary statistics of an ensemble's values for one indicator, region and year.
///
/// Quantiles interpolate linearly between order statistics (Hyndman & Fan 1996, definition 7, the
/// default of R and NumPy): with n sorted values x₀ ≤ … ≤ x_{n−1}, Q(p) = x_⌊h⌋ + (h − ⌊h⌋)(x_⌊h⌋₊₁ − x_⌊h⌋)
/// where h = (n − 1)·p.
public enum EnsembleStatistic: String, Sendable, CaseIterable {
    case mean
    case p5
    case p25
    case p50
    case p75
    case p95

    var probability: Double? {
        switch self {
        case .mean: nil
        case .p5: 0.05
        case .p25: 0.25
        case .p50: 0.5
        case .p75: 0.75
        case .p95: 0.95
        }
    }

    /// Every statistic of `values` (NaNs are left out; all-NaN gives nil).
    public static func summarise(_ values: [Double]) -> [Double]? {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return nil }
        // Sum in member order so the mean does not depend on how members were scheduled.
        let mean = values.reduce(0) { $1.isNaN ? $0 : $0 + $1 } / Double(sorted.count)
        return allCases.map { statistic in
            guard let p = statistic.probability else { return mean }
            return quantile(sorted, p)
        }
    }

    /// The p-quantile of ascending `sorted` values (definition 7).
    static func quantile(_ sorted: [Double], _ p: Double) -> Double {
        let h = Double(sorted.count - 1) * p
        let lower = Int(h.rounded(.down))
        let upper = min(lower + 1, sorted.count - 1)
        return sorted[lower] + (h - Double(lower)) * (sorted[upper] - sorted[lower])
    }
}
