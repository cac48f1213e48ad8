import CityTwinCore
import Economy
import LinearAlgebra
import Resources

/// A stand-in for the population module: writes `population.by_zone`, growing by `growth` a year.
struct StubPopulation: SimulationModule {
    let name = "population"
    var initial: [Double]
    var growth: Double
    var reads: Set<FieldKey> { [] }
    var writes: Set<FieldKey> { ["population.by_zone"] }
    func initialize(_ state: inout CityState) throws {
        state.add(
            "population.by_zone",
            Field(
                rows: .one, columns: Dimension("zone", initial.count), unit: "persons",
                values: Matrix(rows: 1, columns: initial.count, columnMajor: initial)))
    }
    mutating func step(_ state: inout CityState, context: inout TickContext) throws {
        let g = growth
        state.modify("population.by_zone") { $0.scale(by: 1 + g * context.length) }
    }
    var indicatorDescriptors: [IndicatorDescriptor] {
        [IndicatorDescriptor("population.total", unit: "persons", .stock, description: "residents")]
    }
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample] {
        [IndicatorSample("population.total", unit: "persons", value: state["population.by_zone"].sum)]
    }
}

/// A tiny 3-zone water system.
func tinyWater(inflow: Inflow, capacity: Double = 5e6, initial: Double = 2e6, droughts: [Drought] = [], substeps: Int = 12)
    -> WaterParameters
{
    WaterParameters(
        perCapitaDemand: 200, perJobDemand: [100], leakage: 0.15,
        seasonalDemand: [0.8, 0.8, 0.9, 1, 1.1, 1.3, 1.4, 1.3, 1.1, 0.9, 0.8, 0.8],
        sources: [
            WaterSource(name: "reservoir", capacity: 8_000, fromReservoir: true),
            WaterSource(name: "wells", capacity: 4_000, fromReservoir: false),
        ],
        treatmentCapacity: 11_000,
        reservoir: Reservoir(capacity: capacity, initialStock: initial, evaporationRate: 0.05, inflow: inflow, droughts: droughts),
        substeps: substeps)
}
