public import LinearAlgebra

/// Everything the economy module needs: the base-year input-output table, how jobs sit in zones, and
/// the levers a scenario may override.
///
/// Levers are plain stored properties so that a scenario can set them (`economy.final_demand_growth`).
public struct EconomyParameters: Sendable, Hashable {
    /// The base-year table (flows, output, value added, compensation, jobs).
    public var table: InputOutputTable
    /// The money unit of the table, e.g. `million USD (2022)`.
    public var currency: String
    /// Share of each sector's final demand that is household consumption, which scales with the city's
    /// population when the economy reads `population.by_zone` (nil: final demand ignores population).
    public var householdShare: [Double]?
    /// Where each sector's jobs are: S × Z, each row sums to 1.
    public var zoneShares: Matrix

    // MARK: Levers

    /// Yearly growth rate of final demand, all sectors (e.g. 0.02 = 2 % a year). Lever.
    public var finalDemandGrowth: Double
    /// Annual growth of real output per job (labour productivity), 0 by default. Lever.
    public var productivityGrowth: Double = 0
    /// Per-sector growth rates that replace `finalDemandGrowth` where given. Lever.
    public var sectorGrowth: [Double?]
    /// Temporary or permanent changes of a sector's final demand. Lever.
    public var shocks: [FinalDemandShock]
    /// One-off additions to final demand (investment programmes). Lever.
    public var investments: [Investment]
    /// Changes of technical coefficients from a year (new technology, import substitution); each change
    /// triggers one refactorisation of I − A. Lever.
    public var coefficientChanges: [CoefficientChange]

    public init(
        table: InputOutputTable, currency: String, zoneShares: Matrix, householdShare: [Double]? = nil,
        finalDemandGrowth: Double = 0, sectorGrowth: [Double?]? = nil, shocks: [FinalDemandShock] = [],
        investments: [Investment] = [], coefficientChanges: [CoefficientChange] = []
    ) {
        precondition(zoneShares.rows == table.count, "zone shares have \(zoneShares.rows) rows, expected \(table.count) sectors")
        self.table = table
        self.currency = currency
        self.zoneShares = zoneShares
        self.householdShare = householdShare
        self.finalDemandGrowth = finalDemandGrowth
        self.sectorGrowth = sectorGrowth ?? Array(repeating: nil, count: table.count)
        self.shocks = shocks
        self.investments = investments
        self.coefficientChanges = coefficientChanges
    }

    /// Number of zones.
    public var zoneCount: Int { zoneShares.columns }
}

/// A relative change of one sector's final demand over a window of years: `f_s ← f_s · (1 + change)`.
public struct FinalDemandShock: Sendable, Hashable {
    public var sector: Int
    /// First year affected.
    public var from: Int
    /// Last year affected (nil: permanent).
    public var until: Int?
    /// Relative change, e.g. −0.1 for a 10 % fall.
    public var change: Double

    public init(sector: Int, from: Int, until: Int? = nil, change: Double) {
        self.sector = sector
        self.from = from
        self.until = until
        self.change = change
    }

    func applies(in year: Int) -> Bool { year >= from && (until.map { year <= $0 } ?? true) }
}

/// An addition to one sector's final demand in one year, in the table's money unit.
public struct Investment: Sendable, Hashable {
    public var sector: Int
    public var year: Int
    public var amount: Double

    public init(sector: Int, year: Int, amount: Double) {
        self.sector = sector
        self.year = year
        self.amount = amount
    }
}

/// A technical coefficient `a[supplier, buyer]` set to `value` from `year` on.
public struct CoefficientChange: Sendable, Hashable {
    public var supplier: Int
    public var buyer: Int
    public var year: Int
    public var value: Double

    public init(supplier: Int, buyer: Int, year: Int, value: Double) {
        self.supplier = supplier
        self.buyer = buyer
        self.year = year
        self.value = value
    }
}
