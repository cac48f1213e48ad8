public import CityTwinCore
import LinearAlgebra

/// Parameters of municipal solid waste. Masses in tonnes.
///
/// Levers: `recyclingRate`, `perCapita`, `capacityAdditions` (new landfill capacity from a year).
public struct WasteParameters: Sendable, Hashable {
    /// Household waste generated per person, kg per day.
    public var perCapita: Double
    /// Commercial waste per job, kg per day (applied when the economy is in the run).
    public var perJob: Double
    /// Share of generated waste recycled or composted (0…1). Lever.
    public var recyclingRate: Double
    /// Remaining landfill capacity at the start of the run, tonnes.
    public var landfillCapacity: Double
    /// Landfill capacity added by year, tonnes (`source` is ignored). Lever.
    public var capacityAdditions: [CapacityAddition]

    public init(
        perCapita: Double, perJob: Double, recyclingRate: Double, landfillCapacity: Double,
        capacityAdditions: [CapacityAddition] = []
    ) {
        precondition((0...1).contains(recyclingRate), "recycling rate must be in [0, 1]")
        self.perCapita = perCapita
        self.perJob = perJob
        self.recyclingRate = recyclingRate
        self.landfillCapacity = landfillCapacity
        self.capacityAdditions = capacityAdditions
    }
}

/// Waste generation, recycling and the landfill stock.
///
///     G_z = 365.25·Δ · (g_p · P_z + g_j · J_z) / 1000      (t; J_z jobs in zone z)
///     recycled = r · G,   landfilled = (1 − r) · G
///     R' = R + additions − min(R + additions, landfilled),   overflow = landfilled − what fitted
///     years left = R' / (landfilled per year)
///
/// The stock balances exactly: R' − R = additions − placed. Fields: `waste.generated_by_zone` (1×Z t),
/// `waste.landfill_remaining` (1×1 t), `waste.flows` (4×1 t: generated, recycled, landfilled, overflow).
/// Source for the method: US EPA, *Advancing Sustainable Materials Management: 2018 Fact Sheet* (2020).
public struct WasteModule: SimulationModule {
    public let name = "waste"
    public var parameters: WasteParameters
    public let zoneCount: Int
    public let readsJobs: Bool
    private var added = 0.0

    public static let generatedByZone: FieldKey = "waste.generated_by_zone"
    public static let landfillRemaining: FieldKey = "waste.landfill_remaining"
    public static let flows: FieldKey = "waste.flows"

    public init(parameters: WasteParameters, zoneCount: Int, readsJobs: Bool) {
        self.parameters = parameters
        self.zoneCount = zoneCount
        self.readsJobs = readsJobs
    }

    public var reads: Set<FieldKey> {
        readsJobs ? [SharedFields.populationByZone, SharedFields.jobsByZone] : [SharedFields.populationByZone]
    }
    public var writes: Set<FieldKey> { [Self.generatedByZone, Self.landfillRemaining, Self.flows] }

    public func initialize(_ state: inout CityState) throws {
        state.add(Self.generatedByZone, Field(rows: .one, columns: Dimension("zone", zoneCount), unit: "t"))
        state.add(
            Self.landfillRemaining,
            Field(
                rows: .one, columns: .one, unit: "t",
                values: Matrix(rows: 1, columns: 1, repeating: parameters.landfillCapacity)))
        state.add(Self.flows, Field(rows: Dimension("waste_flow", 4), columns: .one, unit: "t"))
    }

    public mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let p = parameters
        let year = Int(context.time.rounded(.down))
        let n = days(inYears: context.length)
        let population = state[SharedFields.populationByZone].storage
        let jobs = readsJobs ? state[SharedFields.jobsByZone].storage : Array(repeating: 0, count: zoneCount)
        let generated = (0..<zoneCount).map { n * (p.perCapita * population[$0] + p.perJob * jobs[$0]) / 1000 }
        let total = generated.reduce(0, +)
        let recycled = p.recyclingRate * total
        let landfilled = total - recycled
        // Capacity additions that come due this year (each once).
        let due = p.capacityAdditions.filter { $0.year <= year }.reduce(0) { $0 + $1.amount }
        let addition = due - added
        added = due
        let remaining = state[Self.landfillRemaining][0, 0] + addition
        let placed = min(max(0, remaining), landfilled)
        state[Self.generatedByZone] = Matrix(rows: 1, columns: zoneCount, columnMajor: generated)
        state[Self.landfillRemaining] = Matrix(rows: 1, columns: 1, repeating: remaining - placed)
        state[Self.flows] = Matrix(column: [total, recycled, landfilled, landfilled - placed])
    }

    public var indicatorDescriptors: [IndicatorDescriptor] {
        [
            IndicatorDescriptor("waste.landfill_remaining", unit: "t", .stock, description: "landfill capacity left", better: .higher),
            IndicatorDescriptor(
                "waste.generated", unit: "t/yr", .flow, description: "waste generated in the step", byZone: true,
                better: .lower),
            IndicatorDescriptor("waste.recycled", unit: "t/yr", .flow, description: "waste recycled or composted", better: .higher),
            IndicatorDescriptor("waste.landfilled", unit: "t/yr", .flow, description: "waste landfilled", better: .lower),
            IndicatorDescriptor(
                "waste.landfill_overflow", unit: "t/yr", .flow, description: "waste beyond landfill capacity",
                better: .lower),
            IndicatorDescriptor(
                "waste.landfill_years_left", unit: "years", .flow,
                description: "remaining capacity at the current landfilling rate", aggregation: .none, better: .higher),
        ]
    }

    public func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        let remaining = state[Self.landfillRemaining][0, 0]
        var samples = [IndicatorSample("waste.landfill_remaining", unit: "t", value: remaining)]
        guard flowsAvailable else { return samples }
        let f = state[Self.flows].storage
        let perYear = f[2] / state.tickYears
        samples += [
            IndicatorSample("waste.generated", unit: "t/yr", value: f[0]),
            IndicatorSample("waste.recycled", unit: "t/yr", value: f[1]),
            IndicatorSample("waste.landfilled", unit: "t/yr", value: f[2]),
            IndicatorSample("waste.landfill_overflow", unit: "t/yr", value: f[3]),
            IndicatorSample("waste.landfill_years_left", unit: "years", value: perYear > 0 ? remaining / perYear : .infinity),
        ]
        for (z, value) in state[Self.generatedByZone].storage.enumerated() {
            samples.append(IndicatorSample("waste.generated", unit: "t/yr", region: .zone(z), value: value))
        }
        return samples
    }
}
