public import CityTwinCore

/// The resources domain: the `resources:` section of `model.yaml` (optional) — water, energy, waste
/// and emissions; every key is described in models/sioux-falls/RESOURCES.md.
public struct ResourcesComponent: DomainComponent {
    public init() {}
    public var key: String { "resources" }

    public func load(_ section: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics) -> (any DomainSection)? {
        // Per-sector tables are matched by the economy's sector names, when the model has an economy.
        let sectors = (context.loaded["economy"] as? any SectorNaming)?.sectorNames ?? []
        return ResourcesParameters.load(section, context: context, sectors: sectors, &diagnostics).map(ResourcesSection.init)
    }
}

/// The loaded `resources:` section and the modules it builds.
public struct ResourcesSection: DomainSection {
    public var parameters: ResourcesParameters

    public init(parameters: ResourcesParameters) { self.parameters = parameters }

    public var key: String { "resources" }
    public var provides: Set<FieldKey> { [] }

    public func makeModules(_ assembly: ModuleAssembly) throws -> [any SimulationModule] {
        ResourceModules.make(parameters: parameters, zoneCount: assembly.zones.count, provided: assembly.available)
    }
}

extension CityModel {
    /// The resources section, if the model has one.
    public var resources: ResourcesParameters? { section(ResourcesSection.self)?.parameters }
}
