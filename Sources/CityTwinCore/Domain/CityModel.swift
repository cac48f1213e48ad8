/// A city as its model folder describes it: zones and the loaded section of each domain. Pure data.
public struct CityModel: Sendable {
    public var name: String
    public var description: String
    /// The year of the initial state.
    public var baseYear: Int
    /// The model folder.
    public var directory: String
    public var zones: [Zone]
    /// The loaded sections, in registry order.
    public var sections: [any DomainSection]
    /// Every file read, with its hash.
    public var inputs: [InputFile]

    public init(
        name: String, description: String, baseYear: Int, directory: String, zones: [Zone],
        sections: [any DomainSection], inputs: [InputFile]
    ) {
        self.name = name
        self.description = description
        self.baseYear = baseYear
        self.directory = directory
        self.zones = zones
        self.sections = sections
        self.inputs = inputs
    }

    /// The loaded section of a type, if the model has it.
    public func section<S: DomainSection>(_ type: S.Type) -> S? {
        sections.lazy.compactMap { $0 as? S }.first
    }

    /// Replaces the section of the same type (for tests and sweeps that vary a domain's parameters).
    public mutating func replace<S: DomainSection>(_ section: S) {
        if let index = sections.firstIndex(where: { $0 is S }) { sections[index] = section } else { sections.append(section) }
    }

    /// The modules of the model for a run without the sections named in `leftOut`, in section order;
    /// each learns which shared fields the others provide.
    public func makeModules(leaving leftOut: Set<String> = []) throws -> [any SimulationModule] {
        let included = sections.filter { !leftOut.contains($0.key) }
        let available = included.reduce(into: Set<FieldKey>()) { $0.formUnion($1.provides) }
        let values = included.reduce(into: [FieldKey: [Double]]()) { $0.merge($1.baseYearValues) { a, _ in a } }
        let assembly = ModuleAssembly(baseYear: baseYear, zones: zones, available: available, baseYearValues: values)
        return try included.flatMap { try $0.makeModules(assembly) }
    }
}
