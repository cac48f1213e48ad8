/// Where an indicator value applies: the whole city, or one zone (by index into the model's zones).
public enum Region: Sendable, Hashable, Comparable {
    case city
    case zone(Int)
}

/// One recorded value: a variable named by its path (`population.total`), its unit, and the region.
public struct IndicatorSample: Sendable, Hashable {
    /// The variable's path, e.g. `population.births` or `population.by_age_sex[0-4,female]`.
    public let variable: String
    public let unit: String
    public let region: Region
    public let value: Double

    public init(_ variable: String, unit: String, region: Region = .city, value: Double) {
        self.variable = variable
        self.unit = unit
        self.region = region
        self.value = value
    }
}
