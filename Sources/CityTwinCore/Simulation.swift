import LinearAlgebra

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A run of the city: one clock, the modules in dependency order, the shared state, and the recorder.
///
/// `init` sets the state up and records the initial instant; each `step()` advances one base tick and
/// records; `run()` steps to the end. The result depends only on the modules, the initial state, the
/// seed and the member — never on timing or thread count — because every random draw comes from a
/// `RandomStream` keyed by (seed, member, module, tick).
public struct Simulation: Sendable {
    public let clock: Clock
    public let seed: UInt64
    public let member: Int
    public let schedule: ModuleSchedule
    public private(set) var state: CityState
    /// The observations so far: all of them, or only the latest when `keepsHistory` is false.
    public private(set) var recording = Recording()
    /// Whether the recording keeps every observation (ensembles keep only the latest, so memory grows
    /// with members × state rather than members × history).
    public let keepsHistory: Bool
    /// Completed ticks of this run's clock.
    public private(set) var completedTicks = 0
    /// Ticks taken before this run's clock started: 0 for a run from the model's base year, the saved
    /// run's count for a continuation (``SimulationSnapshot``). Random streams and ``TickContext/tick``
    /// count from the base year, so a continued run draws what the uninterrupted one would have.
    public let ticksBefore: Int
    /// Threads modules may use for their own parallel work.
    public let threads: Int

    /// The processors online.
    public static var processorCount: Int { max(1, Int(sysconf(Int32(_SC_NPROCESSORS_ONLN)))) }
    private var modules: [any SimulationModule]
    /// Each module's field access scope, built once (the declarations do not change during a run).
    private let accesses: [FieldAccess]
    /// The module that owns each parameter path, looked up once.
    private let parameterOwners: [String: Int]
    /// Each module's written fields, sorted once: what the finiteness check scans after it steps.
    private let writtenFields: [[FieldKey]]

    /// Sets up a run: orders the modules, lets each add its fields to `initialState`, checks the
    /// declared reads and writes, and records the initial instant.
    /// - Parameters:
    ///   - threads: how many threads modules may use for their own parallel work (all cores by
    ///     default; an ensemble running members in parallel passes 1).
    ///   - resuming: a saved end state of an earlier run of the same modules to continue from; its
    ///     instant must be the clock's start and its tick length the clock's. The fields take the saved
    ///     values, modules that adopt ``ModuleMemory`` their carried values, and the first instant is
    ///     recorded with its flows (those of the saved run's last tick).
    public init(
        clock: Clock, modules: [any SimulationModule], initialState: CityState = CityState(),
        seed: UInt64, member: Int = 0, keepsHistory: Bool = true, threads: Int = Simulation.processorCount,
        resuming snapshot: SimulationSnapshot? = nil
    ) throws {
        if let snapshot {
            guard abs(snapshot.time - clock.time(after: 0)) < 1e-9 else {
                throw SimulationError.incompatibleSnapshot(
                    "the saved state is of \(snapshot.time.formatted2) but this run starts in \(clock.startYear)")
            }
            guard snapshot.tick == clock.tick.description else {
                throw SimulationError.incompatibleSnapshot("the saved run ticked \(snapshot.tick), this one ticks \(clock.tick)")
            }
        }
        self.ticksBefore = snapshot?.ticks ?? 0
        self.clock = clock
        self.threads = max(1, threads)
        self.keepsHistory = keepsHistory
        self.seed = seed
        self.member = member
        self.schedule = try ModuleSchedule(modules)
        self.modules = schedule.order.map { modules[$0] }
        self.accesses = self.modules.map(FieldAccess.init)
        self.parameterOwners = Simulation.parameterOwners(self.modules)
        self.writtenFields = self.modules.map { $0.writes.sorted() }
        var state = initialState
        state.tickYears = clock.tick.inYears
        for (module, access) in zip(self.modules, accesses) {
            state.access = access
            try module.initialize(&state)
            state.access = nil
            for key in module.writes where !state.contains(key) {
                throw SimulationError.undeclaredField(module: module.name, field: key)
            }
        }
        for module in self.modules {
            for key in module.reads.sorted() where !state.contains(key) {
                throw SimulationError.missingInput(module: module.name, field: key)
            }
        }
        if let snapshot {
            try snapshot.restore(into: &state)
            for index in self.modules.indices {
                guard var module = self.modules[index] as? any ModuleMemory else { continue }
                try module.restore(memory: snapshot.memories[module.name]?.mapValues(\.values) ?? [:])
                self.modules[index] = module
            }
        }
        self.state = state
        record(flowsAvailable: ticksBefore > 0)
    }

    /// The state now, saved: fields, instant, the random streams' position and the modules' memories.
    public func snapshot() -> SimulationSnapshot {
        var memories: [String: [String: [Double]]] = [:]
        for module in modules { if let module = module as? any ModuleMemory { memories[module.name] = module.memory } }
        return SimulationSnapshot(
            time: time, ticks: ticksBefore + completedTicks, tick: clock.tick.description, state: state, memories: memories)
    }

    /// Whether ticks remain.
    public var status: RunStatus { completedTicks < clock.tickCount ? .running : .finished }

    /// Decimal year now.
    public var time: Double { clock.time(after: completedTicks) }

    /// Advances every module by one base tick (each by its substeps), then records.
    @discardableResult
    public mutating func step() throws -> RunStatus {
        guard status == .running else { throw SimulationError.alreadyFinished }
        let tickLength = clock.tick.inYears
        let start = clock.time(after: completedTicks)
        for index in modules.indices {
            let substeps = modules[index].substeps
            let length = tickLength / Double(substeps)
            let tick = ticksBefore + completedTicks
            var context = TickContext(
                tick: tick, time: start, length: length, member: member,
                random: RandomStream(seed: seed, member: member, module: modules[index].name, tick: tick),
                threads: threads)
            for sub in 0..<substeps {
                context = TickContext(
                    tick: tick, time: start + Double(sub) * length, length: length,
                    member: member, random: context.random, threads: threads,
                    substep: sub, substepCount: substeps)
                state.access = accesses[index]
                defer { state.access = nil }
                try modules[index].step(&state, context: &context)
            }
            try checkFinite(index, year: start)
        }
        completedTicks += 1
        record(flowsAvailable: true)
        return status
    }

    /// Steps to the end year, calling `progress(completed, total)` after each tick.
    public mutating func run(progress: ((Int, Int) -> Void)? = nil) throws {
        while status == .running {
            try step()
            progress?(completedTicks, clock.tickCount)
        }
    }

    /// Throws when a module left a non-finite number in a field it writes, naming the module, field, year,
    /// member and element (the zone, when the field's columns are zones).
    private func checkFinite(_ index: Int, year: Double) throws {
        let module = modules[index]
        for key in writtenFields[index] {
            let field = state.fields[key]!
            let values = field.values
            guard let position = values.storage.firstIndex(where: { !$0.isFinite }) else { continue }
            let row = position % values.rows, column = position / values.rows
            func name(_ dimension: Dimension, _ index: Int) -> String {
                dimension.count == 1 ? "" : "\(dimension.name) #\(index + 1)"
            }
            let element = [name(field.rows, row), name(field.columns, column)].filter { !$0.isEmpty }.joined(separator: ", ")
            throw SimulationError.nonFinite(
                module: module.name, field: key, year: year, member: member,
                element: element.isEmpty ? "its value" : element, value: values.storage[position])
        }
    }

    /// Sets up and runs to the end in one call; equal to `init` followed by `step()` until finished.
    public static func solve(
        clock: Clock, modules: [any SimulationModule], initialState: CityState = CityState(),
        seed: UInt64, member: Int = 0
    ) throws -> Recording {
        var simulation = try Simulation(clock: clock, modules: modules, initialState: initialState, seed: seed, member: member)
        try simulation.run()
        return simulation.recording
    }

    private mutating func record(flowsAvailable: Bool) {
        var samples: [IndicatorSample] = []
        var view = state
        for (module, access) in zip(modules, accesses) {
            view.access = access
            samples += module.indicators(of: view, flowsAvailable: flowsAvailable)
        }
        if !keepsHistory { recording = Recording() }
        recording.append(tick: completedTicks, time: clock.time(after: completedTicks), samples: samples)
    }

    /// Changes the state between ticks — data assimilation replacing a forecast by its analysis — and
    /// records the current instant again, so that the indicators show the adjusted state. Every field is
    /// open to `body`, which must keep the state consistent (a field derived from another is updated
    /// with it); shapes are checked as always.
    public mutating func adjustState(_ body: (inout CityState) throws -> Void) throws {
        try body(&state)
        try checkFiniteAll()
        recordAgain()
    }

    /// Records the current instant again, replacing its observation: after parameters changed between ticks,
    /// so that indicators that read parameters (reserve days read the demand per person) show them.
    public mutating func recordAgain() {
        recording.removeLast()
        record(flowsAvailable: ticksBefore + completedTicks > 0)
    }

    /// Every module's fields finite (after an outside adjustment).
    private func checkFiniteAll() throws {
        for index in modules.indices { try checkFinite(index, year: time) }
    }

    /// The latest observation.
    public var latest: Recording.Observation { recording.observations[recording.observations.count - 1] }

    // MARK: Parameters

    /// Every parameter the modules expose, in module order.
    public var parameterDescriptors: [ParameterDescriptor] {
        modules.flatMap { ($0 as? any ParameterizedModule)?.parameterDescriptors ?? [] }
    }

    /// Current values of a parameter; nil when no module has it.
    public func parameterValues(_ path: String) -> [Double]? {
        guard let index = owner(of: path) else { return nil }
        return (modules[index] as! any ParameterizedModule).parameterValues(path)
    }

    /// Sets a parameter from the next tick on. The path must be one of `parameterDescriptors`.
    public mutating func setParameterValues(_ path: String, _ values: [Double]) {
        guard let index = owner(of: path) else { preconditionFailure("no module has parameter \(path)") }
        var module = modules[index] as! any ParameterizedModule
        module.setParameterValues(path, values)
        modules[index] = module
    }

    private func owner(of path: String) -> Int? { parameterOwners[path] }

    /// Which module owns each parameter path; two modules may not declare one path.
    public static func parameterOwners(_ modules: [any SimulationModule]) -> [String: Int] {
        var owners: [String: Int] = [:]
        for (index, module) in modules.enumerated() {
            for descriptor in (module as? any ParameterizedModule)?.parameterDescriptors ?? [] {
                precondition(owners[descriptor.path] == nil, "two modules declare parameter \(descriptor.path)")
                owners[descriptor.path] = index
            }
        }
        return owners
    }
}
