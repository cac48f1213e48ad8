/// A zone of the city: its id (as the model's files spell it), position and base-year attributes.
public struct Zone: Sendable, Hashable {
    public let id: String
    public let x: Double
    public let y: Double
    /// Share of the city's population living here at the base year (sums to one over zones).
    public let populationShare: Double
    /// Jobs located here at the base year.
    public let jobs: Double

    public init(id: String, x: Double, y: Double, populationShare: Double, jobs: Double) {
        self.id = id
        self.x = x
        self.y = y
        self.populationShare = populationShare
        self.jobs = jobs
    }
}
