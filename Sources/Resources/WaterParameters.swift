import CityTwinCore

/// Parameters of the city water system. Volumes are cubic metres (1 US gallon = 3.785411784 L).
///
/// Levers (plain stored properties a scenario may override): `perCapitaDemand`, `leakage`,
/// `capacityAdditions` (new capacity from a year), `droughts`.
public struct WaterParameters: Sendable, Hashable {
    /// Residential demand per person, litres per day. Lever.
    public var perCapitaDemand: Double
    /// Non-residential demand per job, litres per day, by sector (S entries) or one value for all.
    public var perJobDemand: [Double]
    /// Share of water put into the network that is lost before it reaches a tap (0…1). Lever.
    public var leakage: Double
    /// Monthly demand factors (12 values, normalised to mean 1); all 1 for a flat year.
    public var seasonalDemand: [Double]
    /// Sources in dispatch order.
    public var sources: [WaterSource]
    /// Capacity changes by year, in m³/day. Lever.
    public var capacityAdditions: [CapacityAddition]
    /// System-wide treatment capacity (m³/day): total supply cannot exceed it. nil: no limit.
    public var treatmentCapacity: Double?
    /// The reservoir (or aquifer store) that `fromReservoir` sources draw on.
    public var reservoir: Reservoir
    /// Substeps per base tick (12 = monthly balance inside a yearly tick).
    public var substeps: Int
    /// Multiplies the reservoir's inflow every year (1 by default; a scenario's drought lever). Lever.
    public var inflowScale: Double = 1

    public init(
        perCapitaDemand: Double, perJobDemand: [Double], leakage: Double, seasonalDemand: [Double]? = nil,
        sources: [WaterSource], capacityAdditions: [CapacityAddition] = [], treatmentCapacity: Double? = nil,
        reservoir: Reservoir, substeps: Int = 12
    ) {
        precondition((0..<1).contains(leakage), "leakage must be in [0, 1)")
        precondition(substeps >= 1, "substeps must be at least 1")
        self.perCapitaDemand = perCapitaDemand
        self.perJobDemand = perJobDemand
        self.leakage = leakage
        let seasonal = seasonalDemand ?? Array(repeating: 1, count: 12)
        precondition(seasonal.count == 12, "seasonal demand needs 12 monthly factors")
        let mean = seasonal.reduce(0, +) / 12
        self.seasonalDemand = seasonal.map { $0 / mean }
        self.sources = sources
        self.capacityAdditions = capacityAdditions
        self.treatmentCapacity = treatmentCapacity
        self.reservoir = reservoir
        self.substeps = substeps
    }
}

/// A water source: a pipeline, a well field or a river intake, with a daily capacity.
public struct WaterSource: Sendable, Hashable {
    public var name: String
    /// Maximum supply, m³ per day.
    public var capacity: Double
    /// Whether withdrawals come out of the reservoir stock (and so stop when it is empty).
    public var fromReservoir: Bool
    /// The share of the system input this source is asked for in normal operation (the dispatch rule);
    /// nil for "in proportion to capacity".
    public var dispatchShare: Double?

    public init(name: String, capacity: Double, fromReservoir: Bool, dispatchShare: Double? = nil) {
        self.name = name
        self.capacity = capacity
        self.fromReservoir = fromReservoir
        self.dispatchShare = dispatchShare
    }
}

/// A storage (reservoir or aquifer store) with inflow, evaporation and spill:
///
///     S(t+Δ) = S(t) + I − W − spill − E,   E = e · S(t) · Δ,   spill = max(0, S + I − W − E − C)
///     I = I_natural + ρ · f_d · W       (ρ: induced recharge share, f_d the drought factor times the inflow scale)
///
/// An aquifer connected to a river recharges partly by induced streambed infiltration: pumping lowers the
/// water table next to the river, which then loses water to the aquifer, so part ρ of what the wells
/// withdraw flows back in within the step (Theis 1941; for the Big Sioux aquifer USGS WRI 82-4064). A drought
/// lowers the river and this inflow with the same factor as the natural recharge.
public struct Reservoir: Sendable, Hashable {
    /// Storage capacity C, m³.
    public var capacity: Double
    /// Stock at the start of the run, m³.
    public var initialStock: Double
    /// Evaporation (and seepage) as a fraction of the stock per year, e.
    public var evaporationRate: Double
    /// Inflow model.
    public var inflow: Inflow
    /// Monthly shares of the yearly inflow (12 values, normalised to sum 1).
    public var monthlyInflowShares: [Double]
    /// Droughts: inflow multiplied by `factor` in the years [from, until]. Lever.
    public var droughts: [Drought]
    /// Share ρ of the withdrawals replaced within the step by induced recharge (0…1; 0 for a reservoir that
    /// is not fed by its own withdrawals).
    public var inducedRechargeShare: Double = 0

    public init(
        capacity: Double, initialStock: Double, evaporationRate: Double = 0, inflow: Inflow,
        monthlyInflowShares: [Double]? = nil, droughts: [Drought] = []
    ) {
        precondition(capacity >= 0 && initialStock >= 0 && initialStock <= capacity, "0 ≤ initial stock ≤ capacity")
        self.capacity = capacity
        self.initialStock = initialStock
        self.evaporationRate = evaporationRate
        self.inflow = inflow
        let shares = monthlyInflowShares ?? Array(repeating: 1, count: 12)
        precondition(shares.count == 12, "monthly inflow shares need 12 values")
        let total = shares.reduce(0, +)
        self.monthlyInflowShares = shares.map { $0 / total }
        self.droughts = droughts
    }
}

/// Yearly inflow into the reservoir, m³ per year.
public enum Inflow: Sendable, Hashable {
    /// A fixed series by year; years before the first use the first value, after the last the last.
    case series(years: [Int], values: [Double])
    /// Independent yearly lognormal draws with this mean (m³/year) and coefficient of variation, from the
    /// run's random stream keyed by (seed, member, "water", tick).
    case lognormal(mean: Double, cv: Double)

    func value(in year: Int, random: inout RandomStream) -> Double {
        switch self {
        case .series(let years, let values):
            guard let last = years.lastIndex(where: { $0 <= year }) else { return values.first ?? 0 }
            return values[last]
        case .lognormal(let mean, let cv):
            return drawLognormal(mean: mean, cv: cv, random: &random)
        }
    }
}

/// A drought: the reservoir's inflow is multiplied by `factor` in years `from…until`.
public struct Drought: Sendable, Hashable {
    public var from: Int
    public var until: Int
    public var factor: Double

    public init(from: Int, until: Int, factor: Double) {
        self.from = from
        self.until = until
        self.factor = factor
    }
}
