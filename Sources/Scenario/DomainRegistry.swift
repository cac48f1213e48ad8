public import CityTwinCore
import Economy
import Population
import Resources
import Traffic

/// The domains a model may have, in the order their sections load and their modules are listed.
///
/// Adding a domain is its own target plus one line here (docs/architecture.md lists the files). A
/// section may read the sections listed before it while it loads (resources match their per-sector
/// tables against the economy's sectors).
public enum DomainRegistry {
    public static let components: [any DomainComponent] = [
        PopulationComponent(),
        EconomyComponent(),
        TrafficComponent(),
        ResourcesComponent(),
    ]

    /// The section keys, in order.
    public static var keys: [String] { components.map(\.key) }

    /// The keys a scenario may name in `without:`.
    public static var optionalKeys: [String] { components.filter(\.canBeLeftOut).map(\.key) }
}
