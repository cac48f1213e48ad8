public import Economy
public import Population
public import Traffic
public import Resources

/// A zone of the city: its id (as the model's files spell it), position and attributes.
public struct Zone: Sendable, Hashable {
    public let id: String
    public let x: Double
    public let y: Double
    /// Share of the city's population living here at the base year (sums to one over zones).
    public let populationShare: Double
    /// Jobs located here at the base year.
    public let jobs: Double
}

/// A city as its model folder describes it: pure data, hashable for provenance.
public struct CityModel: Sendable, Hashable {
    public var name: String
    public var description: String
    /// The year of the initial state.
    public var baseYear: Int
    /// The model folder.
    public var directory: String
    public var zones: [Zone]
    public var population: PopulationParameters
    /// The input-output economy (`economy:` in model.yaml), if the model has one.
    public var economy: EconomyParameters?
    /// Water, energy, waste and emissions (`resources:`), if the model has them.
    public var resources: ResourcesParameters?
    /// The `traffic:` section, if the model has one.
    public var traffic: TrafficModel?
    /// Every file read, with its hash.
    public var inputs: [InputFile]
}
