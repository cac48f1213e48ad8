/// What a module reports, declared before anything runs: the path, unit, dimension and meaning of one
/// indicator, so that scenarios, alerts, reports and calibration can check references without a tick.
///
/// An indicator may have a city value, a value per zone, and a value per element of its own dimension
/// (link, sector, source, age group × sex, …). Element values are recorded under the variable
/// `path[element]` (`traffic.vc[9-10]`), and expressions select them with the dimension's keyword:
/// `traffic.vc[link 9-10]`, `economy.output[sector manufacturing]`, `population.by_age_sex[65-69, female]`.
public struct IndicatorDescriptor: Sendable, Hashable {
    /// When an indicator's value applies.
    public enum Kind: Sendable, Hashable {
        /// A level at an instant (population, reservoir stock); present from the initial instant.
        case stock
        /// An amount over a step (births, water supplied); absent at the initial instant.
        case flow
    }

    /// How zone values make the city value (for reports and zone levels).
    public enum Aggregation: String, Sendable, Hashable {
        case sum
        /// Σ_z P_z v_z / Σ_z P_z, with P the zone's residents.
        case populationWeightedMean = "population-weighted mean"
        case mean
        case maximum
        /// The city value is computed on its own (a ratio, a median): zone values do not make it.
        case none
    }

    /// Which way is better for the city, for comparisons and rankings.
    public enum Direction: String, Sendable, Hashable {
        case higher, lower, neither
    }

    /// The elements of an indicator's own dimension.
    public struct Elements: Sendable, Hashable {
        /// The dimension's name, also the selector keyword (`link` → `[link 9-10]` or `[links …]`);
        /// empty for a dimension selected without a keyword (`[65-69, female]`).
        public let dimension: String
        /// Element names as recorded (`9-10`, `manufacturing`, `65-69,female`).
        public let names: [String]

        public init(_ dimension: String, _ names: [String]) {
            self.dimension = dimension
            self.names = names
        }
    }

    /// `module.name` (`water.deficit`).
    public let path: String
    public let unit: String
    public let description: String
    public let kind: Kind
    /// Whether a city value is recorded.
    public let hasCityValue: Bool
    /// Whether a value per zone is recorded.
    public let byZone: Bool
    public let aggregation: Aggregation
    public let elements: Elements?
    public let better: Direction

    public init(
        _ path: String, unit: String, _ kind: Kind, description: String, hasCityValue: Bool = true,
        byZone: Bool = false, aggregation: Aggregation = .sum, elements: Elements? = nil, better: Direction = .neither
    ) {
        self.path = path
        self.unit = unit
        self.description = description
        self.kind = kind
        self.hasCityValue = hasCityValue
        self.byZone = byZone
        self.aggregation = aggregation
        self.elements = elements
        self.better = better
    }

    /// The recorded variable of one element.
    public func variable(element: String) -> String { "\(path)[\(element)]" }
}
