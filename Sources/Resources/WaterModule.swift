public import CityTwinCore
import LinearAlgebra

/// The city water balance: demand from people and jobs plus network losses, supply from sources with
/// capacities, and a reservoir stock that balances exactly every substep.
///
/// Per substep of Δ years (monthly by default, `substeps = 12` inside a yearly tick), with N = 365.25·Δ days
/// and m the month:
///
///     delivered demand  D_z = s_m · N · (q_p · P_z + Σ_s q_s · J_sz) / 1000        (m³, zone z)
///     system input      D   = Σ_z D_z / (1 − λ)                                    (λ: leakage share)
///     supply            by the dispatch rule: u_k = min(N · cap_k, r · w_k / Σ_open w_j) on the remainder r,
///                       repeated over the sources still below their limits (w_k: dispatch share, or capacity);
///                       sources drawn from the store share what it holds; total ≤ N · treatment capacity
///     deficit           D − Σ u_k, shared by zones in proportion to D_z
///     reservoir         S' = S + I − W − spill − E  (exact: spill and E are defined so S' ∈ [0, C]),
///                       I = natural inflow + ρ · f_d · W (induced recharge, see ``Reservoir``)
///
/// q_p is litres per person per day, q_s litres per job per day, s_m the month's demand factor.
/// Leakage is lost from what is supplied, so the deficit delivered to zones is `(1 − λ)` of the supply gap.
/// The yearly inflow (a series, or lognormal draws keyed by (seed, member, "water", tick), times any
/// drought factor) is drawn at the first substep of each tick and spread over months by `monthlyInflowShares`.
///
/// Fields (Z zones, K sources): `water.demand_by_zone` (1×Z, m³ delivered demand this tick),
/// `water.deficit_by_zone` (1×Z, m³), `water.supply_by_source` (K×1, m³), `water.reservoir_stock` (1×1, m³),
/// `water.balance` (5×1, m³ this tick: inflow, withdrawals, spill, evaporation, stock change).
///
/// Sources: AWWA (2016), *Water Audits and Loss Control Programs* M36 (leakage as a share of system input);
/// the stock balance is the standard reservoir mass balance (e.g. Loucks & van Beek 2017, ch. 11).
public struct WaterModule: SimulationModule {
    public let name = "water"
    public var parameters: WaterParameters
    public let zoneCount: Int
    /// Whether demand from jobs is computed (reads `economy.jobs_by_sector_zone`).
    public let readsJobs: Bool

    public static let demandByZone: FieldKey = "water.demand_by_zone"
    public static let deficitByZone: FieldKey = "water.deficit_by_zone"
    public static let supplyBySource: FieldKey = "water.supply_by_source"
    public static let reservoirStock: FieldKey = "water.reservoir_stock"
    public static let balance: FieldKey = "water.balance"
    /// The inflow drawn for the current tick (m³), spread over its substeps.
    public static let tickInflow: FieldKey = "water.tick_inflow"

    public init(parameters: WaterParameters, zoneCount: Int, readsJobs: Bool) {
        self.parameters = parameters
        self.zoneCount = zoneCount
        self.readsJobs = readsJobs
    }

    public var substeps: Int { parameters.substeps }
    public var reads: Set<FieldKey> {
        readsJobs ? [SharedFields.populationByZone, SharedFields.jobsBySectorZone] : [SharedFields.populationByZone]
    }
    public var writes: Set<FieldKey> {
        [Self.demandByZone, Self.deficitByZone, Self.supplyBySource, Self.reservoirStock, Self.balance, Self.tickInflow]
    }

    public func initialize(_ state: inout CityState) throws {
        let z = Dimension("zone", zoneCount)
        state.add(Self.demandByZone, Field(rows: .one, columns: z, unit: "m3"))
        state.add(Self.deficitByZone, Field(rows: .one, columns: z, unit: "m3"))
        state.add(Self.supplyBySource, Field(rows: Dimension("water_source", parameters.sources.count), columns: .one, unit: "m3"))
        state.add(
            Self.reservoirStock,
            Field(
                rows: .one, columns: .one, unit: "m3",
                values: Matrix(rows: 1, columns: 1, repeating: parameters.reservoir.initialStock)))
        state.add(Self.balance, Field(rows: Dimension("water_balance_term", 5), columns: .one, unit: "m3"))
        state.add(Self.tickInflow, Field(rows: .one, columns: .one, unit: "m3"))
    }

    /// Daily delivered demand by zone (m³/day) before seasonality.
    public func dailyDemand(_ state: CityState) -> [Double] {
        let population = state[SharedFields.populationByZone]
        precondition(
            population.storage.count == zoneCount, "population.by_zone has \(population.storage.count) zones, water has \(zoneCount)")
        var demand = population.storage.map { $0 * parameters.perCapitaDemand / 1000 }
        if readsJobs {
            let jobs = state[SharedFields.jobsBySectorZone]
            precondition(jobs.columns == zoneCount, "jobs have \(jobs.columns) zones, water has \(zoneCount)")
            let perJob = parameters.perJobDemand
            precondition(perJob.count == jobs.rows, "per-job demand has \(perJob.count) values for \(jobs.rows) sectors")
            for z in 0..<zoneCount {
                for s in 0..<jobs.rows { demand[z] += jobs[s, z] * perJob[s] / 1000 }
            }
        }
        return demand
    }

    public mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let p = parameters
        let year = Int(context.time.rounded(.down))
        let month = monthIndex(of: context.time)
        if context.substep == 0 {
            // New tick: reset the tick's accumulators and draw this year's inflow.
            var inflow = p.reservoir.inflow.value(in: year, random: &context.random) * p.inflowScale
            for drought in p.reservoir.droughts where drought.from <= year && year <= drought.until { inflow *= drought.factor }
            state[Self.tickInflow] = Matrix(rows: 1, columns: 1, repeating: inflow)
            state.modify(Self.demandByZone) { $0.scale(by: 0) }
            state.modify(Self.deficitByZone) { $0.scale(by: 0) }
            state.modify(Self.supplyBySource) { $0.scale(by: 0) }
            state.modify(Self.balance) { $0.scale(by: 0) }
        }
        let n = days(inYears: context.length)
        // Seasonal factor: the month's for monthly steps, 1 for a whole-year step.
        let season = p.substeps == 12 ? p.seasonalDemand[month] : 1
        let zoneDemand = dailyDemand(state).map { $0 * n * season }
        let delivered = zoneDemand.reduce(0, +)
        let systemInput = delivered / (1 - p.leakage)

        // Reservoir inflow and evaporation for this substep.
        let stock = state[Self.reservoirStock][0, 0]
        let share = p.substeps == 12 ? p.reservoir.monthlyInflowShares[month] : context.length
        let inflow = state[Self.tickInflow][0, 0] * share
        let evaporation = min(stock + inflow, p.reservoir.evaporationRate * stock * context.length)
        var available = stock + inflow - evaporation

        // Dispatch by rule: each source is asked for its share of the system input; what a source cannot
        // give (capacity, or the store running dry) is asked of the others by their shares, until all is
        // given or every source is at its limit. Lower demand therefore leaves more water in the store.
        let caps = capacities(p.sources.map(\.capacity), p.capacityAdditions, year: year)
        var target = systemInput
        if let treatment = p.treatmentCapacity { target = min(target, treatment * n) }
        let supply = WaterModule.dispatch(
            target, limits: caps.map { $0 * n }, shares: dispatchShares(caps),
            fromStore: p.sources.map(\.fromReservoir), store: available)
        let withdrawals = zip(supply, p.sources).reduce(0) { $0 + ($1.1.fromReservoir ? $1.0 : 0) }
        // Induced recharge: part of what the wells draw flows back in from the river (less in a drought, and
        // scaled with the natural inflow by `inflowScale`).
        let droughtFactor = p.reservoir.droughts.reduce(1.0) { $1.from <= year && year <= $1.until ? $0 * $1.factor : $0 }
        let induced = p.reservoir.inducedRechargeShare * droughtFactor * p.inflowScale * withdrawals
        available += induced - withdrawals
        let supplied = supply.reduce(0, +)
        let spill = max(0, available - p.reservoir.capacity)
        let newStock = available - spill
        // Unmet system input, delivered share: (1 − λ)·(D_sys − supplied), split by zone demand.
        let gap = max(0, systemInput - supplied) * (1 - p.leakage)

        state.modify(Self.reservoirStock) { $0[0, 0] = newStock }
        state.modify(Self.demandByZone) { m in for z in 0..<zoneCount { m[0, z] += zoneDemand[z] } }
        state.modify(Self.deficitByZone) { m in
            for z in 0..<zoneCount where delivered > 0 { m[0, z] += gap * zoneDemand[z] / delivered }
        }
        state.modify(Self.supplyBySource) { m in for k in supply.indices { m[k, 0] += supply[k] } }
        state.modify(Self.balance) { m in
            m[0, 0] += inflow + induced
            m[1, 0] += withdrawals
            m[2, 0] += spill
            m[3, 0] += evaporation
            m[4, 0] += newStock - stock
        }
    }

    /// The share of the system input that the sources drawn from the store are asked for in normal operation
    /// (their dispatch shares, with the capacities of the first year).
    var storeDispatchShare: Double {
        let shares = dispatchShares(parameters.sources.map(\.capacity))
        let total = shares.reduce(0, +)
        guard total > 0 else { return 0 }
        return zip(shares, parameters.sources).reduce(0) { $0 + ($1.1.fromReservoir ? $1.0 : 0) } / total
    }

    /// Each source's dispatch share: as given, or in proportion to capacity.
    func dispatchShares(_ caps: [Double]) -> [Double] {
        if parameters.sources.allSatisfy({ $0.dispatchShare != nil }) { return parameters.sources.map { $0.dispatchShare! } }
        let total = caps.reduce(0, +)
        return caps.map { total > 0 ? $0 / total : 0 }
    }

    /// Splits `target` over sources by their shares, within each source's `limits` and, for sources drawn
    /// from the store, within the `store` they share (water-filling: a source at its limit drops out and
    /// the rest of the target is split again over the others, by their shares).
    ///
    ///     u_k = min(limit_k, r · w_k / Σ_open w_j)   repeated on the remainder r over the open sources
    ///
    /// - Complexity: O(K²) for K sources.
    static func dispatch(_ target: Double, limits: [Double], shares: [Double], fromStore: [Bool], store: Double) -> [Double] {
        var supply = [Double](repeating: 0, count: limits.count)
        var open = limits.indices.filter { limits[$0] > 0 && shares[$0] > 0 }
        var remaining = target
        var storeLeft = max(0, store)
        while remaining > 0, !open.isEmpty {
            let weight = open.reduce(0) { $0 + shares[$1] }
            // What the store's sources would take in this round, scaled to what is left in the store.
            let storeWant = open.filter { fromStore[$0] }.reduce(0) { $0 + min(limits[$1] - supply[$1], remaining * shares[$1] / weight) }
            let storeScale = storeWant > storeLeft ? storeLeft / storeWant : 1
            var given = 0.0
            var closed: [Int] = []
            for k in open {
                var u = min(limits[k] - supply[k], remaining * shares[k] / weight)
                if fromStore[k] { u = min(u * storeScale, storeLeft) }
                supply[k] += u
                given += u
                if fromStore[k] { storeLeft -= u }
                if supply[k] >= limits[k] * (1 - 1e-12) || (fromStore[k] && storeScale < 1) { closed.append(k) }
            }
            remaining -= given
            if closed.isEmpty { break }
            open.removeAll { closed.contains($0) }
        }
        return supply
    }

    public var indicatorDescriptors: [IndicatorDescriptor] {
        let sources = IndicatorDescriptor.Elements("source", parameters.sources.map(\.name))
        return [
            IndicatorDescriptor("water.reservoir_stock", unit: "m^3", .stock, description: "water in the reservoir", better: .higher),
            IndicatorDescriptor(
                "water.reservoir_level", unit: "1", .stock, description: "reservoir stock / capacity",
                aggregation: .none, better: .higher),
            IndicatorDescriptor(
                "water.reserve_days", unit: "days", .stock,
                description:
                    "days the store alone would supply what its sources are asked for at today's demand, without inflow: "
                    + "stock / (system_input_demand · Σ dispatch shares of the sources drawn from the store)",
                aggregation: .none, better: .higher),
            IndicatorDescriptor(
                "water.demand", unit: "m^3/day", .flow, description: "water demanded at the tap; demand = delivered + deficit",
                byZone: true),
            IndicatorDescriptor(
                "water.system_input_demand", unit: "m^3/day", .flow,
                description: "water the sources would have to produce to meet demand: demand / (1 − leakage)"),
            IndicatorDescriptor(
                "water.supply", unit: "m^3/day", .flow,
                description: "water produced by the sources (system input); supply = delivered + leakage", elements: sources),
            IndicatorDescriptor(
                "water.delivered", unit: "m^3/day", .flow, description: "water reaching the taps: supply · (1 − leakage share)"),
            IndicatorDescriptor(
                "water.leakage", unit: "m^3/day", .flow, description: "water lost in the network: supply · leakage share",
                better: .lower),
            IndicatorDescriptor(
                "water.deficit", unit: "m^3/day", .flow,
                description: "demand not met at the taps: demand − delivered = (system_input_demand − supply) · (1 − leakage share)",
                byZone: true, better: .lower),
            IndicatorDescriptor(
                "water.reservoir_inflow", unit: "m^3/yr", .flow,
                description: "inflow to the store in the step, natural plus induced recharge"),
            IndicatorDescriptor("water.reservoir_withdrawals", unit: "m^3/yr", .flow, description: "withdrawals in the step"),
            IndicatorDescriptor("water.reservoir_spill", unit: "m^3/yr", .flow, description: "spill over capacity in the step"),
            IndicatorDescriptor("water.reservoir_evaporation", unit: "m^3/yr", .flow, description: "evaporation in the step"),
        ]
    }

    public func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        let stock = state[Self.reservoirStock][0, 0]
        var samples = [
            IndicatorSample("water.reservoir_stock", unit: "m^3", value: stock),
            IndicatorSample(
                "water.reservoir_level", unit: "1", value: parameters.reservoir.capacity > 0 ? stock / parameters.reservoir.capacity : 0),
        ]
        let dailyDelivered = state.contains(SharedFields.populationByZone) ? dailyDemand(state).reduce(0, +) : 0
        let dailySystem = dailyDelivered / (1 - parameters.leakage)
        let dailyFromStore = dailySystem * storeDispatchShare
        samples.append(IndicatorSample("water.reserve_days", unit: "days", value: dailyFromStore > 0 ? stock / dailyFromStore : .infinity))
        guard flowsAvailable else { return samples }
        let perDay = 1 / 365.25
        let demand = state[Self.demandByZone].storage, deficit = state[Self.deficitByZone].storage
        let supply = state[Self.supplyBySource].storage
        let totalDemand = demand.reduce(0, +)
        let totalSupply = supply.reduce(0, +)
        samples += [
            IndicatorSample("water.demand", unit: "m^3/day", value: totalDemand * perDay),
            IndicatorSample("water.system_input_demand", unit: "m^3/day", value: totalDemand / (1 - parameters.leakage) * perDay),
            IndicatorSample("water.supply", unit: "m^3/day", value: totalSupply * perDay),
            IndicatorSample("water.delivered", unit: "m^3/day", value: totalSupply * (1 - parameters.leakage) * perDay),
            IndicatorSample("water.leakage", unit: "m^3/day", value: totalSupply * parameters.leakage * perDay),
            IndicatorSample("water.deficit", unit: "m^3/day", value: deficit.reduce(0, +) * perDay),
        ]
        let b = state[Self.balance].storage
        samples += [
            IndicatorSample("water.reservoir_inflow", unit: "m^3/yr", value: b[0]),
            IndicatorSample("water.reservoir_withdrawals", unit: "m^3/yr", value: b[1]),
            IndicatorSample("water.reservoir_spill", unit: "m^3/yr", value: b[2]),
            IndicatorSample("water.reservoir_evaporation", unit: "m^3/yr", value: b[3]),
        ]
        for (k, source) in parameters.sources.enumerated() {
            samples.append(IndicatorSample("water.supply[\(source.name)]", unit: "m^3/day", value: supply[k] * perDay))
        }
        for z in 0..<zoneCount {
            samples.append(IndicatorSample("water.demand", unit: "m^3/day", region: .zone(z), value: demand[z] * perDay))
            samples.append(IndicatorSample("water.deficit", unit: "m^3/day", region: .zone(z), value: deficit[z] * perDay))
        }
        return samples
    }
}
