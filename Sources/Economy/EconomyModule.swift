public import CityTwinCore
public import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// The city economy on the simulation clock: final demand → output (Leontief) → value added, income
/// and jobs by sector → jobs by zone.
///
/// Each tick, with t the end of the tick (growth and productivity are counted to the end of the
/// year the tick covers, whose flows the forecast reports at t) and dated events — shocks,
/// investments, coefficient changes — applying in the year the tick starts, `⌊context.time⌋`:
///
///     f(t) = f₀ ⊙ (1 + g)^(t − t₀) ⊙ [(1 − h) + h · P(t)/P(t₀)] ⊙ (1 + shocks) + investment(t)
///     x(t) = (I − A(t))⁻¹ f(t)                              (LU once; refactor only when A changes)
///     va = (v ⊘ x₀) ⊙ x,   income = (w ⊘ x₀) ⊙ x,   jobs = (e ⊘ x₀) ⊙ x / (1 + π)^(t − t₀)
///     J = diag(jobs) · S   (S: sector × zone shares),   jobs_by_zone = 1ᵀ J
///
/// with g the growth rate (per sector where given), π the growth of output per job (labour
/// productivity; without it real growth would turn one for one into jobs), h the household share of final demand and P the
/// city population. The population factor applies only when `householdShare` is set; the module then
/// reads `population.by_zone` — a field the population module writes and which reads jobs back, so
/// the schedule breaks that cycle with a one-tick lag (documented in the coupling graph).
///
/// Fields written (S sectors, Z zones; money in `parameters.currency`):
/// `economy.final_demand` (S×1), `economy.output` (S×1), `economy.value_added` (S×1),
/// `economy.income` (S×1), `economy.jobs_by_sector` (S×1, jobs), `economy.jobs_by_sector_zone` (S×Z, jobs),
/// `economy.jobs_by_zone` (1×Z, jobs) — the field traffic's trip attractions and population's migration
/// attractiveness read.
///
/// Reference: Miller & Blair (2009), *Input-Output Analysis*, ch. 2 and 6.
public struct EconomyModule: SimulationModule {
    public let name = "economy"
    public var parameters: EconomyParameters
    /// Whether final demand follows population (then `population.by_zone` is read).
    public let readsPopulation: Bool
    private var model: LeontiefModel
    private var basePopulation: Double?
    private var currentYearCoefficients: Matrix

    public static let finalDemand: FieldKey = "economy.final_demand"
    public static let output: FieldKey = "economy.output"
    public static let valueAdded: FieldKey = "economy.value_added"
    public static let income: FieldKey = "economy.income"
    public static let jobsBySector: FieldKey = "economy.jobs_by_sector"
    public static let jobsBySectorZone: FieldKey = "economy.jobs_by_sector_zone"
    public static let jobsByZone: FieldKey = "economy.jobs_by_zone"
    /// The population field read when final demand follows population.
    public static let populationByZone: FieldKey = "population.by_zone"

    /// - Parameters:
    ///   - readsPopulation: defaults to whether `householdShare` is given.
    ///   - basePopulation: the city's population at the start, P(t₀); without it, the first
    ///     population the module reads stands for it.
    /// - Throws: `EconomyError` when the base table is not productive.
    public init(parameters: EconomyParameters, readsPopulation: Bool? = nil, basePopulation: Double? = nil) throws {
        self.parameters = parameters
        self.basePopulation = basePopulation
        self.readsPopulation = readsPopulation ?? (parameters.householdShare != nil)
        self.model = try LeontiefModel(table: parameters.table)
        self.currentYearCoefficients = model.coefficients
    }

    /// How many times I − A has been factored so far.
    public var factorizations: Int { model.factorizations }

    public var reads: Set<FieldKey> { readsPopulation ? [Self.populationByZone] : [] }
    public var writes: Set<FieldKey> {
        [Self.finalDemand, Self.output, Self.valueAdded, Self.income, Self.jobsBySector, Self.jobsBySectorZone, Self.jobsByZone]
    }

    private var sectorDimension: Dimension { Dimension("sector", parameters.table.count) }
    private var zoneDimension: Dimension { Dimension("zone", parameters.zoneCount) }

    public var indicatorDescriptors: [IndicatorDescriptor] {
        let money = parameters.currency, sectors = IndicatorDescriptor.Elements("sector", parameters.table.sectors)
        return [
            IndicatorDescriptor(
                "economy.output", unit: money + "/yr", .flow, description: "gross output, x = (I − A)⁻¹ f",
                elements: sectors, better: .higher),
            IndicatorDescriptor("economy.value_added", unit: money + "/yr", .flow, description: "gross value added", better: .higher),
            IndicatorDescriptor("economy.income", unit: money + "/yr", .flow, description: "compensation of employees", better: .higher),
            IndicatorDescriptor("economy.final_demand", unit: money + "/yr", .flow, description: "final demand"),
            IndicatorDescriptor(
                "economy.jobs", unit: "jobs", .stock, description: "jobs located in the city", byZone: true,
                elements: sectors, better: .higher),
        ]
    }

    public func initialize(_ state: inout CityState) throws {
        let s = sectorDimension, z = zoneDimension, money = parameters.currency
        let f = parameters.table.finalDemand
        state.add(Self.finalDemand, Field(rows: s, columns: .one, unit: money, values: Matrix(column: f)))
        for key in [Self.output, Self.valueAdded, Self.income] {
            state.add(key, Field(rows: s, columns: .one, unit: money))
        }
        state.add(Self.jobsBySector, Field(rows: s, columns: .one, unit: "jobs"))
        state.add(Self.jobsBySectorZone, Field(rows: s, columns: z, unit: "jobs"))
        state.add(Self.jobsByZone, Field(rows: .one, columns: z, unit: "jobs"))
        write(output: model.output(for: f), finalDemand: f, into: &state)
    }

    /// Final demand in `year`, `elapsed` years after the start, for population ratio `populationRatio`.
    public func finalDemand(year: Int, elapsed: Double, populationRatio: Double) -> [Double] {
        let p = parameters
        var f = p.table.finalDemand
        for s in f.indices {
            let g = p.sectorGrowth[s] ?? p.finalDemandGrowth
            f[s] *= pow(1 + g, elapsed)
            if let h = p.householdShare?[s] { f[s] *= (1 - h) + h * populationRatio }
        }
        for shock in p.shocks where shock.applies(in: year) { f[shock.sector] *= 1 + shock.change }
        for investment in p.investments where investment.year == year { f[investment.sector] += investment.amount }
        return f
    }

    /// The coefficients in force in `year`: the table's, with every change dated up to that year applied.
    public func coefficients(in year: Int) -> Matrix {
        var a = parameters.table.technicalCoefficients
        for change in parameters.coefficientChanges.sorted(by: { $0.year < $1.year }) where change.year <= year {
            a[change.supplier, change.buyer] = change.value
        }
        return a
    }

    public mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let year = Int(context.time.rounded(.down))
        // Growth to the end of this tick, counted from the start of the run.
        let elapsed = Double(context.tick + 1) * context.length
        var ratio = 1.0
        if readsPopulation {
            let population = state[Self.populationByZone].sum
            if basePopulation == nil { basePopulation = population }
            if let base = basePopulation, base > 0 { ratio = population / base }
        }
        if !parameters.coefficientChanges.isEmpty {
            try model.update(coefficients: coefficients(in: year))  // refactors only if A changed
        }
        let f = finalDemand(year: year, elapsed: elapsed, populationRatio: ratio)
        let jobsPerOutput = 1 / pow(1 + parameters.productivityGrowth, elapsed)
        write(output: model.output(for: f), finalDemand: f, jobsPerOutput: jobsPerOutput, into: &state)
    }

    private func write(output x: [Double], finalDemand f: [Double], jobsPerOutput: Double = 1, into state: inout CityState) {
        let table = parameters.table
        let x0 = table.output
        func scaled(_ row: [Double]?) -> [Double] {
            guard let row else { return Array(repeating: 0, count: x.count) }
            return x.indices.map { row[$0] / x0[$0] * x[$0] }
        }
        state[Self.finalDemand] = Matrix(column: f)
        state[Self.output] = Matrix(column: x)
        state[Self.valueAdded] = Matrix(column: scaled(table.valueAdded))
        state[Self.income] = Matrix(column: scaled(table.compensation))
        let jobs = scaled(table.employment).map { $0 * jobsPerOutput }
        state[Self.jobsBySector] = Matrix(column: jobs)
        // J = diag(jobs) · shares.
        var placed = parameters.zoneShares
        for z in 0..<placed.columns { for s in 0..<placed.rows { placed[s, z] *= jobs[s] } }
        state[Self.jobsBySectorZone] = placed
        state[Self.jobsByZone] = Matrix(rows: 1, columns: placed.columns, columnMajor: placed.columnSums)
    }

    public func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        let money = parameters.currency
        let sectors = parameters.table.sectors
        let x = state[Self.output].storage, jobs = state[Self.jobsBySector].storage
        var samples: [IndicatorSample] = [
            IndicatorSample("economy.output", unit: money + "/yr", value: x.reduce(0, +)),
            IndicatorSample("economy.value_added", unit: money + "/yr", value: state[Self.valueAdded].sum),
            IndicatorSample("economy.income", unit: money + "/yr", value: state[Self.income].sum),
            IndicatorSample("economy.final_demand", unit: money + "/yr", value: state[Self.finalDemand].sum),
            IndicatorSample("economy.jobs", unit: "jobs", value: jobs.reduce(0, +)),
        ]
        for (s, sector) in sectors.enumerated() {
            samples.append(IndicatorSample("economy.output[\(sector)]", unit: money + "/yr", value: x[s]))
            samples.append(IndicatorSample("economy.jobs[\(sector)]", unit: "jobs", value: jobs[s]))
        }
        for (z, value) in state[Self.jobsByZone].storage.enumerated() {
            samples.append(IndicatorSample("economy.jobs", unit: "jobs", region: .zone(z), value: value))
        }
        return samples
    }
}
