/// A domain of the city model (population, economy, traffic, resources, …) as the model loader sees it:
/// the key of its section in `model.yaml` and the loader of that section.
///
/// A domain is one component: its own target holds the section's schema and loader (all of the
/// domain's validation lives there), the parameters it loads (a ``DomainSection``), the modules it
/// builds, and their parameter and indicator descriptors. The scenario layer knows only the top-level
/// keys of `model.yaml` and a registry of components; adding a domain is its own target plus one line
/// in that registry (see docs/architecture.md).
public protocol DomainComponent: Sendable {
    /// The key of the domain's section in `model.yaml` (`economy`); also the name a scenario's
    /// `without:` uses to leave the domain out.
    var key: String { get }
    /// Whether every model must have this section (population does; the others are optional).
    var isRequired: Bool { get }
    /// Whether a scenario may leave the domain out (`without: [traffic]`).
    var canBeLeftOut: Bool { get }
    /// Loads and validates the section, reporting every problem to `diagnostics`; nil when it cannot
    /// be used. Sections are loaded in registry order, so `context.loaded` holds the earlier ones.
    func load(_ section: YAMLMapping, context: ModelLoadingContext, _ diagnostics: inout Diagnostics) -> (any DomainSection)?
}

extension DomainComponent {
    public var isRequired: Bool { false }
    public var canBeLeftOut: Bool { !isRequired }
}

/// A loaded section of the model: the domain's parameters (pure, `Sendable` data) and what it builds.
public protocol DomainSection: Sendable {
    /// The section's key in `model.yaml`.
    var key: String { get }
    /// The shared fields (``SharedFields``) this section's modules write.
    var provides: Set<FieldKey> { get }
    /// Base-year values of shared fields, for other domains that calibrate on them at construction
    /// (the economy scales household demand on the base population). Empty by default.
    var baseYearValues: [FieldKey: [Double]] { get }
    /// The tick length the section's modules need, in years, if they need one (a population in 5-year
    /// age groups steps 5 years); nil when any tick will do.
    var requiredTickYears: Int? { get }
    /// The section's modules, given what the rest of the run provides.
    func makeModules(_ assembly: ModuleAssembly) throws -> [any SimulationModule]
}

extension DomainSection {
    public var baseYearValues: [FieldKey: [Double]] { [:] }
    public var requiredTickYears: Int? { nil }
}

/// A loaded section whose domain names the model's economic sectors; other domains match their
/// per-sector tables against these names.
public protocol SectorNaming {
    var sectorNames: [String] { get }
}

/// What a domain's loader sees of the model being loaded.
public struct ModelLoadingContext {
    /// The model folder; file names in sections are relative to it.
    public let directory: String
    /// The `model.yaml` file.
    public let file: String
    public let baseYear: Int
    public let zones: [Zone]
    /// The one reader of model files: every file read through it is hashed for provenance.
    public let files: InputFiles
    /// Sections loaded before this one, by key.
    public let loaded: [String: any DomainSection]

    public init(
        directory: String, file: String, baseYear: Int, zones: [Zone], files: InputFiles,
        loaded: [String: any DomainSection]
    ) {
        self.directory = directory
        self.file = file
        self.baseYear = baseYear
        self.zones = zones
        self.files = files
        self.loaded = loaded
    }

    /// The position of each zone id.
    public var zoneIndex: [String: Int] { Dictionary(uniqueKeysWithValues: zones.enumerated().map { ($1.id, $0) }) }

    /// The path of a file named in a section, relative to the model folder.
    public func path(_ file: String) -> String { resolve(file, relativeTo: directory) }

    /// The CSV table a section's key names, read strictly; nil (with the errors) when absent or broken.
    public func table(_ key: String, in section: YAMLMapping, required: Bool = true, _ diagnostics: inout Diagnostics) -> CSVTable? {
        guard let name = section.string(key, required: required, &diagnostics) else { return nil }
        return table(file: name, referencedFrom: section.location(ofKey: key), &diagnostics)
    }

    /// A CSV table by file name; nil (with the errors) when it cannot be read.
    public func table(file name: String, referencedFrom location: SourceLocation, _ diagnostics: inout Diagnostics) -> CSVTable? {
        diagnostics.collect(at: location) { try files.table(at: path(name), referencedFrom: location) }
    }

    /// The text of a file a section's key names; nil (with the error) when absent or unreadable.
    public func text(_ key: String, in section: YAMLMapping, required: Bool = true, _ diagnostics: inout Diagnostics)
        -> (text: String, path: String)?
    {
        guard let name = section.string(key, required: required, &diagnostics) else { return nil }
        let location = section.location(ofKey: key)
        return diagnostics.collect(at: location) { (try files.text(at: path(name), referencedFrom: location), path(name)) }
    }
}

/// What a section sees when it builds its modules for a run.
public struct ModuleAssembly: Sendable {
    public let baseYear: Int
    public let zones: [Zone]
    /// The shared fields some module of the run writes: read these, fall back for the rest.
    public let available: Set<FieldKey>
    /// Base-year values of shared fields declared by the run's sections.
    public let baseYearValues: [FieldKey: [Double]]

    public init(baseYear: Int, zones: [Zone], available: Set<FieldKey>, baseYearValues: [FieldKey: [Double]]) {
        self.baseYear = baseYear
        self.zones = zones
        self.available = available
        self.baseYearValues = baseYearValues
    }
}
