public import CityTwinCore

/// Every parameter the model's modules expose, laid out in one flat vector: a scalar takes one slot,
/// a vector parameter one slot per element. Interventions, ensemble draws and calibration change values
/// by index; the runner hands whole parameters back to their modules.
public struct ParameterCatalog: Sendable {
    public let descriptors: [ParameterDescriptor]
    /// Offset of each descriptor's first value.
    public let offsets: [Int]
    /// Which descriptor each slot belongs to.
    public let owner: [Int]

    public init(_ descriptors: [ParameterDescriptor]) {
        self.descriptors = descriptors
        var offsets: [Int] = []
        var owner: [Int] = []
        for (index, descriptor) in descriptors.enumerated() {
            offsets.append(owner.count)
            owner += Array(repeating: index, count: descriptor.count)
        }
        self.offsets = offsets
        self.owner = owner
    }

    /// The parameters the modules declare, in module order.
    public init(modules: [any SimulationModule]) {
        self.init(modules.flatMap { ($0 as? any ParameterizedModule)?.parameterDescriptors ?? [] })
    }

    public var count: Int { owner.count }

    public var paths: [String] { descriptors.map(\.path) }

    public func index(of path: String) -> Int? { descriptors.firstIndex { $0.path == path } }

    /// The slots of a descriptor.
    public func slots(of descriptorIndex: Int) -> Range<Int> {
        offsets[descriptorIndex]..<(offsets[descriptorIndex] + descriptors[descriptorIndex].count)
    }

    /// The values of every parameter as the modules hold them, flattened (each owner looked up once).
    public func values(of modules: [any SimulationModule]) -> [Double] {
        let owners = Simulation.parameterOwners(modules)
        return descriptors.flatMap { (modules[owners[$0.path]!] as! any ParameterizedModule).parameterValues($0.path) }
    }

    /// The current values of every parameter of a simulation, flattened.
    public func values(of simulation: Simulation) -> [Double] {
        descriptors.flatMap { simulation.parameterValues($0.path)! }
    }

    /// Hands the parameters whose slots are in `changed` back to the simulation's modules.
    public func apply(_ values: [Double], changed: Set<Int>, to simulation: inout Simulation) {
        for descriptorIndex in Set(changed.map { owner[$0] }).sorted() {
            simulation.setParameterValues(descriptors[descriptorIndex].path, Array(values[slots(of: descriptorIndex)]))
        }
    }

    /// Elements a selector names, as positions within the descriptor's dimension, or why it cannot.
    ///
    /// Items are element names (zone ids, sector names, link `from-to`); only a dimension without names
    /// is addressed by one-based positions. A link is never named by its position in the network file.
    func elements(_ items: [(text: String, integers: ClosedRange<Int>?)], of descriptor: ParameterDescriptor)
        -> Result<[Int], InputError.Message>
    {
        var positions: [Int] = []
        let names = descriptor.elementNames
        for item in items {
            // A whole item that is an element's name wins over a range: `10-15` is link 10→15 where the
            // network has one (traffic links are named from-to), positions 10…15 otherwise.
            if let integers = item.integers, !names.contains(item.text), integers.count > descriptor.count {
                return .failure(.init("`\(item.text)` names \(integers.count) elements; \(descriptor.path) has \(descriptor.count)"))
            }
            let candidates: [String] =
                names.contains(item.text)
                ? [item.text] : (item.integers.map { $0.map(String.init) } ?? [item.text])
            for candidate in candidates {
                if let position = names.firstIndex(of: candidate) {
                    positions.append(position)
                } else if let n = Int(candidate), names.isEmpty, (1...descriptor.count).contains(n) {
                    positions.append(n - 1)
                } else {
                    let dimension = descriptor.dimension?.name ?? "element"
                    return .failure(
                        .init(
                            "\(descriptor.path) has no \(dimension) `\(candidate)`",
                            hint: names.isEmpty
                                ? "\(dimension)s are numbered 1…\(descriptor.count)"
                                : Suggestion.hint(for: candidate, in: names)))
                }
            }
        }
        return .success(positions)
    }
}
