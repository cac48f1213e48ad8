/// Where a module stands in the run when it steps or reports: which tick, what time, and its random stream.
public struct TickContext: Sendable {
    /// Index of the tick being taken, counted from the model's base year (0 for the first tick of a run
    /// from the base year; a continued run goes on counting), or of completed ticks when reporting.
    public let tick: Int
    /// Decimal year at the start of the step (or of the observation, when reporting).
    public let time: Double
    /// Length of this step in years (a module with substeps gets its substep length).
    public let length: Double
    /// Which substep of the base tick this is (0 for the first; always 0 without substeps).
    public let substep: Int
    /// How many substeps the module takes in one base tick (1 without substeps).
    public let substepCount: Int
    /// Ensemble member (0 for a deterministic run).
    public let member: Int
    /// The random stream keyed by (seed, member, module, tick).
    public var random: RandomStream
    /// How many threads the module may use for its own parallel work: all cores for a single run, one
    /// when ensemble members already run in parallel. Results must not depend on it.
    public let threads: Int

    public init(
        tick: Int, time: Double, length: Double, member: Int, random: RandomStream, threads: Int = 1,
        substep: Int = 0, substepCount: Int = 1
    ) {
        self.tick = tick
        self.time = time
        self.length = length
        self.substep = substep
        self.substepCount = substepCount
        self.member = member
        self.random = random
        self.threads = threads
    }
}

/// A model that advances part of the city each tick: population, economy, traffic, resources, …
///
/// A module declares the fields it reads and writes; the simulation orders modules by those
/// declarations and checks them before the clock starts. A module may run `substeps` times inside one
/// base tick (a monthly water balance inside a yearly tick); it then sees a `TickContext` whose
/// `length` is the substep's.
public protocol SimulationModule: Sendable {
    /// The module's name: the first component of its paths (`population`), and part of its random key.
    var name: String { get }
    /// Fields this module reads (written by itself or by another module).
    var reads: Set<FieldKey> { get }
    /// Fields this module creates and writes; no two modules write one field.
    var writes: Set<FieldKey> { get }
    /// How many times the module steps within one base tick (1 by default).
    var substeps: Int { get }

    /// Adds this module's fields, at their initial values, to the state.
    func initialize(_ state: inout CityState) throws

    /// Advances the module's fields by one step.
    mutating func step(_ state: inout CityState, context: inout TickContext) throws

    /// Every indicator `indicators(of:flowsAvailable:)` reports, declared without running: what
    /// scenarios, alerts and reports may reference. Each sample a module reports must be declared here.
    var indicatorDescriptors: [IndicatorDescriptor] { get }

    /// The module's indicators for the current state. `flowsAvailable` is false at the initial
    /// instant, before any step has produced flows (births, trips, …).
    func indicators(of state: CityState, flowsAvailable: Bool) -> [IndicatorSample]
}

extension SimulationModule {
    public var substeps: Int { 1 }
}
