public import CityTwinCore
import Foundation
import LinearAlgebra

/// City electricity: demand from households, sectors and electric vehicles; generation by dispatch
/// order within capacities; peak load and unmet demand.
///
/// Per tick of Δ years (H = 8766·Δ hours):
///
///     households   E_h = e_p · P / 1000                         (MWh; e_p kWh per person per year · Δ)
///     sectors      E_c = Σ_s i_s · (1 − d)^τ · x_s / 1000        (i_s kWh per money unit of base-year output,
///                                                                 d the yearly intensity decline, τ years since
///                                                                 the first step)
///     transport    E_t = σ_EV · VKT · c_EV / 1000,   VKT = v_p · P · Δ, or with traffic
///                  VKT = v_p · P(t₁) · Δ · T(t) / T(t₁)          (T: `traffic.vkt`, t₁ the first step)
///
/// Traffic's VKT is the vehicle-km on the modelled network only (its links and intrazonal trips, in km:
/// residents' cars, trucks and external traffic), not on every street, so it sets how vehicle-kilometres
/// *change*; their level in the first year comes from the per-capita figure (a pivot). Road fuel is thus
/// counted in the city's boundary (the GPC's geographic scope): through and commuter traffic growing faster
/// than the population raises it.
///     available_k  = cap_k(year) · CF_k · H                 (CF_k: the source's average availability)
///     with a grid  every own source generates what it has available, G_k = available_k (dispatch by
///                  availability: capacity factors are averages, not ceilings; the grid balances the rest)
///                  imports = min(max(0, E − Σ G), import limit · H),  exports = max(0, Σ G − E)
///     without      renewables at what they make up to demand, then the others in the given order, each
///                  min(remaining, available_k); no imports or exports
///     unmet        = E − (Σ generation + imports − exports)   (> 0 only beyond the import limit)
///     peak         = (E / H) / LF;   peak shortfall = max(0, peak − Σ_k credit_k · cap_k)
///
/// With `renewableShareTarget` τ, each renewable capacity is scaled by max(1, τ·E / available_renewable)
/// before dispatch (new renewable capacity to meet the target).
///
/// Fields: `energy.demand` (3×1 MWh: households, commerce & industry, transport), `energy.demand_by_zone`
/// (1×Z MWh: households by population, sectors by jobs when the economy is present, transport by
/// population), `energy.generation_by_source` (K×1 MWh), `energy.vkt_by_fuel` (3×1 vehicle-km: electric,
/// gasoline, diesel — emissions reads it), `energy.capacity_by_source` (K×1 MW, after levers).
public struct EnergyModule: SimulationModule {
    public let name = "energy"
    public var parameters: EnergyParameters
    public let zoneCount: Int
    /// Whether sector demand is computed from `economy.output` (and placed by `economy.jobs_by_sector_zone`).
    public let readsEconomy: Bool
    /// Whether VKT comes from `traffic.vkt` (else `vktPerCapita`).
    public let readsTraffic: Bool
    /// Length of the last step, years (flows are per step).
    /// Annual VKT per unit of traffic's peak-hour VKT, fixed at the first step (the pivot).
    var vktPerTrafficUnit: Double?
    /// Decimal year at the start of the first step: the origin of the intensity decline.
    var firstStepTime: Double?

    public static let demand: FieldKey = "energy.demand"
    public static let demandByZone: FieldKey = "energy.demand_by_zone"
    public static let generationBySource: FieldKey = "energy.generation_by_source"
    public static let vktByFuel: FieldKey = "energy.vkt_by_fuel"
    public static let capacityBySource: FieldKey = "energy.capacity_by_source"
    /// Exchange with the regional grid this step, and what is left unmet (3×1 MWh: imports, exports, unmet).
    public static let grid: FieldKey = "energy.grid"

    public init(parameters: EnergyParameters, zoneCount: Int, readsEconomy: Bool, readsTraffic: Bool) {
        self.parameters = parameters
        self.zoneCount = zoneCount
        self.readsEconomy = readsEconomy
        self.readsTraffic = readsTraffic
    }

    public var reads: Set<FieldKey> {
        var keys: Set<FieldKey> = [SharedFields.populationByZone]
        if readsEconomy { keys.formUnion([SharedFields.output, SharedFields.jobsBySectorZone]) }
        if readsTraffic { keys.insert(SharedFields.vkt) }
        return keys
    }
    public var writes: Set<FieldKey> {
        [Self.demand, Self.demandByZone, Self.generationBySource, Self.vktByFuel, Self.capacityBySource, Self.grid]
    }

    public func initialize(_ state: inout CityState) throws {
        let k = Dimension("energy_source", parameters.sources.count)
        state.add(Self.demand, Field(rows: Dimension("energy_use", 3), columns: .one, unit: "MWh"))
        state.add(Self.demandByZone, Field(rows: .one, columns: Dimension("zone", zoneCount), unit: "MWh"))
        state.add(Self.generationBySource, Field(rows: k, columns: .one, unit: "MWh"))
        state.add(Self.vktByFuel, Field(rows: Dimension("fuel", 3), columns: .one, unit: "vehicle-km"))
        state.add(
            Self.capacityBySource,
            Field(
                rows: k, columns: .one, unit: "MW",
                values: Matrix(column: parameters.sources.map(\.capacity))))
        state.add(Self.grid, Field(rows: Dimension("grid_flow", 3), columns: .one, unit: "MWh"))
    }

    public mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let p = parameters
        let year = Int(context.time.rounded(.down))
        let hours = 8766 * context.length
        let population = state[SharedFields.populationByZone].storage
        precondition(population.count == zoneCount, "population.by_zone has \(population.count) zones, energy has \(zoneCount)")
        let people = population.reduce(0, +)

        // Demand.
        var byZone = population.map { $0 * p.householdDemand * context.length / 1000 }
        let households = byZone.reduce(0, +)
        var sectors = 0.0
        if firstStepTime == nil { firstStepTime = context.time }
        let efficiency = pow(1 - p.intensityDecline, context.time - (firstStepTime ?? context.time))
        if readsEconomy {
            let x = state[SharedFields.output].storage
            precondition(x.count == p.sectorIntensity.count, "sector intensities: \(p.sectorIntensity.count) values for \(x.count) sectors")
            let jobs = state[SharedFields.jobsBySectorZone]
            for s in x.indices {
                let e = p.sectorIntensity[s] * efficiency * x[s] / 1000
                sectors += e
                let sectorJobs = jobs.row(s).reduce(0, +)
                for z in 0..<zoneCount where sectorJobs > 0 { byZone[z] += e * jobs[s, z] / sectorJobs }
            }
        }
        var vkt = p.vktPerCapita * people * context.length
        if readsTraffic {
            let traffic = state[SharedFields.vkt].sum
            if vktPerTrafficUnit == nil, traffic > 0 { vktPerTrafficUnit = vkt / traffic }
            if let scale = vktPerTrafficUnit { vkt = scale * traffic }
        }
        let evKm = p.evShare * vkt
        let transport = evKm * p.evConsumption / 1000
        for z in 0..<zoneCount where people > 0 { byZone[z] += transport * population[z] / people }
        let total = households + sectors + transport

        // Capacity after additions and the renewable target.
        var caps = capacities(p.sources.map(\.capacity), p.capacityAdditions, year: year)
        if let target = p.renewableShareTarget {
            let renewable = p.sources.indices.filter { p.sources[$0].renewable }
            let available = renewable.reduce(0) { $0 + caps[$1] * p.sources[$1].capacityFactor * hours }
            if available > 0 {
                let scale = max(1, target * total / available)
                for k in renewable { caps[k] *= scale }
            }
        }
        // Dispatch. On a grid, every own source makes what it has available and the grid takes the
        // surplus or supplies the shortfall up to the import limit; an island follows demand (renewables
        // first, then the others in the given order).
        let available = p.sources.indices.map { caps[$0] * p.sources[$0].capacityFactor * hours }
        var generation = [Double](repeating: 0, count: p.sources.count)
        var remaining = total
        if p.grid != nil {
            generation = available
            remaining -= available.reduce(0, +)
        } else {
            let order = p.sources.indices.filter { p.sources[$0].renewable } + p.sources.indices.filter { !p.sources[$0].renewable }
            for k in order where remaining > 0 {
                generation[k] = min(remaining, available[k])
                remaining -= generation[k]
            }
        }
        let imports = p.grid.map { min(max(0, remaining), $0.importLimit * hours) } ?? 0
        let exports = max(0, -remaining)
        let unmet = max(0, remaining - imports)
        state[Self.demand] = Matrix(column: [households, sectors, transport])
        state[Self.demandByZone] = Matrix(rows: 1, columns: zoneCount, columnMajor: byZone)
        state[Self.generationBySource] = Matrix(column: generation)
        state[Self.vktByFuel] = Matrix(column: [evKm, (vkt - evKm) * (1 - p.dieselShare), (vkt - evKm) * p.dieselShare])
        state[Self.capacityBySource] = Matrix(column: caps)
        state[Self.grid] = Matrix(column: [imports, exports, unmet])
    }

    public var indicatorDescriptors: [IndicatorDescriptor] {
        [
            IndicatorDescriptor("energy.capacity", unit: "MW", .stock, description: "installed generating capacity"),
            IndicatorDescriptor("energy.firm_capacity", unit: "MW", .stock, description: "capacity × capacity credit"),
            IndicatorDescriptor(
                "energy.demand", unit: "MWh/yr", .flow, description: "electricity demand", byZone: true,
                elements: .init("use", ["households", "commerce_industry", "transport"])),
            IndicatorDescriptor(
                "energy.generation", unit: "MWh/yr", .flow, description: "electricity generated",
                elements: .init("source", parameters.sources.map(\.name))),
            IndicatorDescriptor(
                "energy.unmet", unit: "MWh/yr", .flow,
                description: "demand not met by own generation and imports: demand − (generation + imports − exports)",
                better: .lower),
            IndicatorDescriptor("energy.imports", unit: "MWh/yr", .flow, description: "electricity bought from the regional grid"),
            IndicatorDescriptor("energy.exports", unit: "MWh/yr", .flow, description: "own generation beyond demand sold to the grid"),
            IndicatorDescriptor("energy.import_cost", unit: "USD/yr", .flow, description: "imports × the grid's price", better: .lower),
            IndicatorDescriptor("energy.peak_load", unit: "MW", .flow, description: "mean load / load factor", aggregation: .none),
            IndicatorDescriptor(
                "energy.peak_shortfall", unit: "MW", .flow, description: "peak load above firm capacity plus the import limit",
                aggregation: .none, better: .lower),
            IndicatorDescriptor(
                "energy.renewable_share", unit: "1", .flow,
                description:
                    "own renewable electricity consumed in the city / electricity consumed "
                    + "(exports take the own mix's average; imports counted as not renewable)",
                aggregation: .none, better: .higher),
        ]
    }

    public func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        let caps = state[Self.capacityBySource].storage
        let firm = zip(caps, parameters.sources).reduce(0) { $0 + $1.0 * $1.1.capacityCredit }
        var samples = [
            IndicatorSample("energy.capacity", unit: "MW", value: caps.reduce(0, +)),
            IndicatorSample("energy.firm_capacity", unit: "MW", value: firm),
        ]
        guard flowsAvailable else { return samples }
        let d = state[Self.demand].storage
        let total = d.reduce(0, +)
        let generation = state[Self.generationBySource].storage
        let generated = generation.reduce(0, +)
        // Mean load over the tick just simulated.
        let hours = 8766.0 * state.tickYears
        let peak = total / hours / parameters.loadFactor
        let renewable = zip(generation, parameters.sources).reduce(0) { $0 + ($1.1.renewable ? $1.0 : 0) }
        // Electricity consumed in the city: own generation plus imports, less exports. Exports carry the
        // own mix's average content, so own renewables consumed = renewable · (1 − exports / generated).
        let exchange = state[Self.grid].storage
        let consumed = generated + exchange[0] - exchange[1]
        let ownConsumedShare = generated > 0 ? (generated - exchange[1]) / generated : 0
        samples += [
            IndicatorSample("energy.demand", unit: "MWh/yr", value: total),
            IndicatorSample("energy.demand[households]", unit: "MWh/yr", value: d[0]),
            IndicatorSample("energy.demand[commerce_industry]", unit: "MWh/yr", value: d[1]),
            IndicatorSample("energy.demand[transport]", unit: "MWh/yr", value: d[2]),
            IndicatorSample("energy.generation", unit: "MWh/yr", value: generated),
            IndicatorSample("energy.unmet", unit: "MWh/yr", value: exchange[2]),
            IndicatorSample("energy.peak_load", unit: "MW", value: peak),
            IndicatorSample("energy.peak_shortfall", unit: "MW", value: max(0, peak - firm - (parameters.grid?.importLimit ?? 0))),
            IndicatorSample("energy.renewable_share", unit: "1", value: consumed > 0 ? renewable * ownConsumedShare / consumed : 0),
            IndicatorSample("energy.imports", unit: "MWh/yr", value: exchange[0]),
            IndicatorSample("energy.exports", unit: "MWh/yr", value: exchange[1]),
            IndicatorSample("energy.import_cost", unit: "USD/yr", value: exchange[0] * (parameters.grid?.importPrice ?? 0)),
        ]
        for (k, source) in parameters.sources.enumerated() {
            samples.append(IndicatorSample("energy.generation[\(source.name)]", unit: "MWh/yr", value: generation[k]))
        }
        for (z, value) in state[Self.demandByZone].storage.enumerated() {
            samples.append(IndicatorSample("energy.demand", unit: "MWh/yr", region: .zone(z), value: value))
        }
        return samples
    }
}
