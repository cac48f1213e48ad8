/// Parameters of the city electricity system. Energy in MWh, power in MW.
///
/// Levers: `evShare`, `renewableShareTarget`, `capacityAdditions` (new capacity from a year),
/// `householdDemand`.
public struct EnergyParameters: Sendable, Hashable {
    /// Residential electricity per person, kWh per year.
    public var householdDemand: Double
    /// Commercial and industrial electricity per unit of sector output in the base year, kWh per money unit
    /// of output (S values, in the economy's sector order).
    public var sectorIntensity: [Double]
    /// Yearly decline of every sector's electricity per unit of real output (efficiency), 0…1. Lever.
    /// The intensity `t` years after the start is `i_s · (1 − d)^t`. Without it, electricity per person
    /// rises with output per person, which the US has not seen since the mid-1990s.
    public var intensityDecline: Double = 0
    /// Share of road vehicle-km driven electrically (0…1). Lever.
    public var evShare: Double
    /// Share of the non-electric vehicle-km driven on diesel (the rest on gasoline).
    public var dieselShare: Double
    /// Electricity per electric vehicle-km, kWh/km.
    public var evConsumption: Double
    /// Vehicle-km per person per year, used when no traffic module provides `traffic.vkt`.
    public var vktPerCapita: Double
    /// Average load ÷ peak load (0…1]: peak = mean load / loadFactor.
    public var loadFactor: Double
    /// Sources in dispatch (merit) order; renewables are dispatched first regardless.
    public var sources: [EnergySource]
    /// Capacity changes by year, MW. Lever.
    public var capacityAdditions: [CapacityAddition]
    /// If set, renewable capacity is scaled up (never down) each year until renewables could supply
    /// this share of demand. Lever.
    public var renewableShareTarget: Double?
    /// The regional grid the city buys from and sells to; nil for an island system.
    public var grid: GridConnection?

    public init(
        householdDemand: Double, sectorIntensity: [Double], evShare: Double, dieselShare: Double,
        evConsumption: Double, vktPerCapita: Double, loadFactor: Double, sources: [EnergySource],
        capacityAdditions: [CapacityAddition] = [], renewableShareTarget: Double? = nil
    ) {
        precondition((0...1).contains(evShare) && (0...1).contains(dieselShare), "shares must be in [0, 1]")
        precondition(loadFactor > 0 && loadFactor <= 1, "load factor must be in (0, 1]")
        self.householdDemand = householdDemand
        self.sectorIntensity = sectorIntensity
        self.evShare = evShare
        self.dieselShare = dieselShare
        self.evConsumption = evConsumption
        self.vktPerCapita = vktPerCapita
        self.loadFactor = loadFactor
        self.sources = sources
        self.capacityAdditions = capacityAdditions
        self.renewableShareTarget = renewableShareTarget
    }
}

/// The city's connection to the regional grid: it imports what its own sources do not supply, up to the
/// import limit, at a price and with the grid's emission factor, and exports what its must-run
/// (renewable) sources make beyond demand.
public struct GridConnection: Sendable, Hashable {
    /// Largest import, MW (times the step's hours: the energy limit). Lever.
    public var importLimit: Double
    /// Price of imported electricity, money per MWh.
    public var importPrice: Double
    /// CO₂ per imported MWh, t/MWh (the regional grid's average output emission rate).
    public var emissionFactor: Double

    public init(importLimit: Double, importPrice: Double, emissionFactor: Double) {
        self.importLimit = importLimit
        self.importPrice = importPrice
        self.emissionFactor = emissionFactor
    }
}

/// A generation source serving the city (its share of a plant or a contract), with its capacity.
public struct EnergySource: Sendable, Hashable {
    public var name: String
    /// Nameplate capacity, MW.
    public var capacity: Double
    /// Average output ÷ nameplate over a year (0…1].
    public var capacityFactor: Double
    /// Share of nameplate that counts towards meeting the peak (0…1).
    public var capacityCredit: Double
    /// CO₂ per MWh generated, tonnes.
    public var co2PerMWh: Double
    /// Whether the source is renewable (dispatched first, scaled by the renewable-share lever).
    public var renewable: Bool

    public init(name: String, capacity: Double, capacityFactor: Double, capacityCredit: Double, co2PerMWh: Double, renewable: Bool) {
        self.name = name
        self.capacity = capacity
        self.capacityFactor = capacityFactor
        self.capacityCredit = capacityCredit
        self.co2PerMWh = co2PerMWh
        self.renewable = renewable
    }
}
