/// A zone of the city: its id (as the model's files spell it), position and base-year attributes.
public struct Zone: Sendable, Hashable {
    public let id: String
    public let x: Double
    public let y: Double
    /// Share of the city's population living here at the base year (sums to one over zones).
    public let populationShare: Double
    /// Jobs located here at the base year.
    public let jobs: Double
    /// The district the zone belongs to (zone → district → city), from zones.csv's optional
    /// `district` column; nil when the model declares no districts.
    public let district: String?

    public init(id: String, x: Double, y: Double, populationShare: Double, jobs: Double, district: String? = nil) {
        self.district = district
        self.id = id
        self.x = x
        self.y = y
        self.populationShare = populationShare
        self.jobs = jobs
    }
}
