public import CityTwinCore
import LinearAlgebra

/// The economy domain: the `economy:` section of `model.yaml` (optional).
///
/// ```yaml
/// economy:
///   currency: million USD (2022)
///   sectors: economy/sectors.csv        # sector,output,value_added,compensation,jobs[,final_demand][,household_share]
///   flows: economy/flows.csv            # supplier,<sector>… : intermediate flows z_ij (row supplies column)
///   zone_shares: economy/zone_shares.csv  # zone,<sector>… : weights, normalised per sector
///   final_demand_growth: 0.02           # lever
///   productivity_growth: 0.015          # growth of output per job
///   sector_growth: {health: 0.03}       # lever, optional
///   shocks: [{sector: manufacturing, from: 2030, until: 2031, change: -0.10}]
///   investments: [{sector: construction, year: 2028, amount: 150}]
///   coefficient_changes: [{supplier: manufacturing, buyer: construction, from: 2035, value: 0.05}]
/// ```
public struct EconomyComponent: DomainComponent {
    public init() {}
    public var key: String { "economy" }

    public func load(_ section: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics) -> (any DomainSection)? {
        EconomyParameters.load(section, context: context, &diagnostics).map(EconomySection.init)
    }
}

/// The loaded `economy:` section and the module it builds.
public struct EconomySection: DomainSection, SectorNaming {
    public var parameters: EconomyParameters

    public init(parameters: EconomyParameters) { self.parameters = parameters }

    public var key: String { "economy" }
    public var sectorNames: [String] { parameters.table.sectors }
    public var provides: Set<FieldKey> { [SharedFields.output, SharedFields.jobsBySectorZone, SharedFields.jobsByZone] }

    /// The Leontief module; household final demand follows the base population when the run has one.
    public func makeModules(_ assembly: ModuleAssembly) throws -> [any SimulationModule] {
        let basePopulation = assembly.baseYearValues[SharedFields.populationByZone].map { $0.reduce(0, +) }
        return [try EconomyModule(parameters: parameters, basePopulation: basePopulation)]
    }
}

extension CityModel {
    /// The economy section, if the model has one.
    public var economy: EconomyParameters? { section(EconomySection.self)?.parameters }
}
