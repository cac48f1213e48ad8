import Foundation

/// One indicator's scores against observations (`citytwin verify`).
public struct VerificationScore: Sendable, Hashable, Codable {
    public let variable: String
    public let region: String
    /// Observations scored.
    public let count: Int
    /// Mean CRPS over the observations, in the indicator's unit (lower is better; nil when neither
    /// member values nor a deterministic value were archived).
    public let crps: Double?
    /// Share of observations inside the central 50 % interval (p25–p75); 0.5 for a calibrated ensemble.
    public let coverage50: Double?
    /// Share inside the central 90 % interval (p5–p95); 0.9 for a calibrated ensemble.
    public let coverage90: Double?
    /// Mean |median − observation|.
    public let meanAbsoluteError: Double

    public init(
        variable: String, region: String, count: Int, crps: Double?, coverage50: Double?, coverage90: Double?,
        meanAbsoluteError: Double
    ) {
        self.variable = variable
        self.region = region
        self.count = count
        self.crps = crps
        self.coverage50 = coverage50
        self.coverage90 = coverage90
        self.meanAbsoluteError = meanAbsoluteError
    }
}

/// An observed value: `region,variable,year,value`.
public struct Observation: Sendable, Hashable {
    public let region: String
    public let variable: String
    public let year: Double
    public let value: Double

    public init(region: String, variable: String, year: Double, value: Double) {
        self.region = region
        self.variable = variable
        self.year = year
        self.value = value
    }
}

/// Scores an archived forecast against observations: the continuous ranked probability score, the
/// coverage of the central 50 % and 90 % intervals, and the mean absolute error of the median.
///
/// CRPS of a forecast CDF F for an observation y is ∫ (F(x) − 𝟙{x ≥ y})² dx (Matheson & Winkler 1976).
/// For an ensemble x₁ … x_M we use the empirical CDF in its kernel ("energy") form,
///
///     CRPS = (1/M) Σᵢ |xᵢ − y| − 1/(2M²) Σᵢ Σⱼ |xᵢ − xⱼ|
///
/// (Gneiting & Raftery 2007, J. Am. Stat. Assoc. 102:359, eq. 21; identical to Hersbach 2000's
/// decomposition for the ensemble's step CDF). The double sum is computed in O(M log M) from the sorted
/// members: Σᵢ Σⱼ |xᵢ − xⱼ| = 2 Σₖ (2k − M + 1) x₍ₖ₎ (k from 0). For a point forecast (M = 1) it is
/// |x − y|. For a normal forecast it converges to the closed form
/// σ [z (2Φ(z) − 1) + 2φ(z) − 1/√π], z = (y − μ)/σ (Gneiting & Raftery 2007, eq. 5), which the tests check.
public enum ForecastVerification {
    public static func crps(members: [Double], observation y: Double) -> Double {
        let x = members.filter { !$0.isNaN }.sorted()
        let m = Double(x.count)
        guard !x.isEmpty else { return .nan }
        var absolute = 0.0
        var spread = 0.0
        for (k, value) in x.enumerated() {
            absolute += abs(value - y)
            spread += (2 * Double(k) - m + 1) * value
        }
        return absolute / m - spread / (m * m)
    }

    /// CRPS of N(μ, σ²) for y (Gneiting & Raftery 2007, eq. 5).
    public static func normalCRPS(mean: Double, standardDeviation sigma: Double, observation y: Double) -> Double {
        let z = (y - mean) / sigma
        let pdf = exp(-z * z / 2) / (2 * Double.pi).squareRoot()
        let cdf = 0.5 * erfc(-z / 2.0.squareRoot())
        return sigma * (z * (2 * cdf - 1) + 2 * pdf - 1 / Double.pi.squareRoot())
    }

    /// Reads observations (`region,variable,year,value`, a header line, `#` comments allowed).
    public static func readObservations(_ path: String) throws -> [Observation] {
        let text = try String(contentsOfFile: path, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).enumerated().map { ($0.offset + 1, String($0.element)) }
        lines.removeAll { $0.1.trimmingCharacters(in: .whitespaces).isEmpty || $0.1.hasPrefix("#") }
        guard let header = lines.first else { throw VerificationError.malformed(path, 1, "the file is empty") }
        let columns = header.1.split(separator: ",").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        guard let r = columns.firstIndex(of: "region"), let v = columns.firstIndex(of: "variable"),
            let t = columns.firstIndex(of: "year"), let x = columns.firstIndex(of: "value")
        else {
            throw VerificationError.malformed(path, header.0, "the header must name the columns region, variable, year, value")
        }
        return try lines.dropFirst().map { number, line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map {
                $0.trimmingCharacters(in: .whitespacesAndNewlines)
            }
            guard fields.count == columns.count else {
                throw VerificationError.malformed(path, number, "\(fields.count) fields, the header has \(columns.count)")
            }
            guard let year = Double(fields[t]), let value = Double(fields[x]) else {
                throw VerificationError.malformed(path, number, "year and value must be numbers")
            }
            return Observation(region: fields[r], variable: fields[v], year: year, value: value)
        }
    }

    public enum VerificationError: Error, CustomStringConvertible {
        case malformed(String, Int, String)

        public var description: String {
            switch self {
            case .malformed(let file, let line, let message): "\(file):\(line): error: \(message)"
            }
        }
    }

    /// Scores per (variable, region), and the observations that the run does not cover.
    public static func score(_ archive: RunArchive, run id: String, observations: [Observation]) throws
        -> (scores: [VerificationScore], unmatched: [Observation])
    {
        var groups: [String: [Observation]] = [:]
        var order: [String] = []
        for observation in observations {
            let key = observation.variable + "\u{1}" + observation.region
            if groups[key] == nil { order.append(key) }
            groups[key, default: []].append(observation)
        }
        var scores: [VerificationScore] = []
        var unmatched: [Observation] = []
        for key in order {
            let group = groups[key]!
            let (variable, region) = (group[0].variable, group[0].region)
            let members = Dictionary(
                try archive.memberValues(id, variable: variable, region: region).map { ($0.year, $0.values) },
                uniquingKeysWith: { a, _ in a })
            let rows = try archive.forecastRows(id, variable: variable, region: region)
            var crps: [Double] = []
            var inside50: [Bool] = []
            var inside90: [Bool] = []
            var errors: [Double] = []
            for observation in group {
                let y = observation.value
                if let values = members[observation.year] {
                    let sorted = values.filter { !$0.isNaN }.sorted()
                    guard !sorted.isEmpty else { unmatched.append(observation); continue }
                    crps.append(self.crps(members: sorted, observation: y))
                    let q = { EnsembleStatistic.quantile(sorted, $0) }
                    inside50.append(q(0.25) <= y && y <= q(0.75))
                    inside90.append(q(0.05) <= y && y <= q(0.95))
                    errors.append(abs(q(0.5) - y))
                    continue
                }
                let atYear = rows.filter { $0.year == observation.year }
                func statistic(_ name: String) -> Double? { atYear.first { $0.statistic == name }?.value }
                if let value = statistic("value") {
                    crps.append(abs(value - y))
                    errors.append(abs(value - y))
                } else if let median = statistic("p50") {
                    errors.append(abs(median - y))
                    if let p25 = statistic("p25"), let p75 = statistic("p75") { inside50.append(p25 <= y && y <= p75) }
                    if let p5 = statistic("p5"), let p95 = statistic("p95") { inside90.append(p5 <= y && y <= p95) }
                } else {
                    unmatched.append(observation)
                }
            }
            guard !errors.isEmpty else { continue }
            func share(_ flags: [Bool]) -> Double? { flags.isEmpty ? nil : Double(flags.filter { $0 }.count) / Double(flags.count) }
            scores.append(
                VerificationScore(
                    variable: variable, region: region, count: errors.count,
                    crps: crps.count == errors.count ? crps.reduce(0, +) / Double(crps.count) : nil,
                    coverage50: share(inside50), coverage90: share(inside90),
                    meanAbsoluteError: errors.reduce(0, +) / Double(errors.count)))
        }
        return (scores, unmatched)
    }
}
