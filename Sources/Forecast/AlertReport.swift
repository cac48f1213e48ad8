public import Foundation

/// The outcome of one early-warning rule over an ensemble.
public struct AlertReport: Sendable, Codable, Hashable {
    public struct YearProbability: Sendable, Codable, Hashable {
        public let year: Double
        /// Share of members in which the condition holds in this year.
        public let probability: Double
        /// Share of members in which it has held in this year or an earlier one (from the start).
        public let cumulativeProbability: Double
    }

    public struct ZoneWarning: Sendable, Codable, Hashable {
        public let zone: String
        /// First year the zone's probability reaches the threshold.
        public let firstYear: Double
        public let maximumProbability: Double
    }

    public let name: String
    public let condition: String
    public let withinYears: Int
    public let probabilityAtLeast: Double
    public let members: Int
    public let probabilityByYear: [YearProbability]
    /// Share of members in which the condition holds in at least one year of the horizon: the
    /// probability that it happens "within N years".
    public let probabilityWithin: Double
    /// First year within the horizon whose probability (that the condition holds in that year)
    /// reaches the threshold; nil if none does.
    public let firstYear: Double?
    /// Zones whose probability reaches the threshold (rules with `by_zone: true`).
    public let zones: [ZoneWarning]

    public var isRaised: Bool { firstYear != nil || !zones.isEmpty }

    /// One line for the run's summary.
    public var summary: String {
        let peak = probabilityByYear.map(\.probability).max() ?? 0
        var text = "alert \"\(name)\": "
        if let firstYear {
            text += "RAISED — P(\(condition)) reaches \(Self.percent(probabilityAtLeast)) in \(Int(firstYear))"
        } else {
            text += "not raised — P(\(condition)) stays below \(Self.percent(probabilityAtLeast)) for \(withinYears) years"
        }
        text += " (peak \(Self.percent(peak)); within \(withinYears) years \(Self.percent(probabilityWithin)); \(members) members)"
        if !zones.isEmpty {
            text += "; zones " + zones.map { "\($0.zone) from \(Int($0.firstYear))" }.joined(separator: ", ")
        }
        return text
    }

    static func percent(_ p: Double) -> String { String(format: "%.0f %%", 100 * p) }

    /// alerts.json: every rule's report, pretty and with sorted keys.
    public static func json(_ reports: [AlertReport]) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(["alerts": reports])
    }
}
