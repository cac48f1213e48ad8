import CityTwinCore
public import Scenario

/// The model as a function of its free parameters: θ ↦ the indicator values at requested (slot, year)
/// pairs, by one deterministic run of the scenario.
///
/// Each evaluation makes the problem `problem.with(overrides)` (typed overrides, nothing parsed), compiles
/// it and runs member 0 with `MemberRun` to the last requested year, so settings and interventions act
/// as in `citytwin run`. The scenario's ensemble is replaced by its single member and its alerts are
/// dropped: a fit or a sensitivity analysis needs one deterministic answer per θ. Stochastic modules
/// (the reservoir's inflow) still draw from member 0's keyed streams, so an evaluation is a pure
/// function of θ: the same θ gives the same values on any thread.
public struct ModelEvaluator: Sendable {
    public let problem: SimulationProblem
    public let parameters: [FreeParameter]
    /// What is returned, in order.
    public let requests: [(slot: Int, year: Double)]
    /// Full values of every parameter that has a free element, as the scenario sets them.
    let baseVectors: [String: [Double]]
    /// The model's values of the free parameters (after the scenario's settings).
    public let modelValues: [Double]
    public let plan: ScenarioPlan

    /// - Parameter problem: the scenario; made deterministic here.
    public init(problem: SimulationProblem, parameters: [FreeParameter], requests: [(slot: Int, year: Double)]) throws {
        self.problem = ModelEvaluator.deterministic(problem)
        self.parameters = parameters
        self.requests = requests
        let plan = try self.problem.plan()
        self.plan = plan
        let member = try MemberRun(plan: plan, member: 0, keepsHistory: false, threads: 1)
        var vectors: [String: [Double]] = [:]
        var values: [Double] = []
        for parameter in parameters {
            let index = plan.parameters.index(of: parameter.path)!
            let current = Array(member.parameters[plan.parameters.slots(of: index)])
            vectors[parameter.path] = current
            values.append(current[parameter.element ?? 0])
        }
        baseVectors = vectors
        modelValues = values
    }

    /// The scenario with one member and no alerts.
    public static func deterministic(_ problem: SimulationProblem) -> SimulationProblem {
        var spec = problem.scenario
        spec.ensemble = .single
        spec.alerts = []
        return SimulationProblem(scenario: spec, model: problem.model, scenarioFiles: problem.scenarioFiles)
    }

    /// The overrides that set the free parameters to θ.
    public func overrides(_ theta: [Double]) -> [ParameterOverride] {
        precondition(theta.count == parameters.count, "\(theta.count) values for \(parameters.count) parameters")
        var vectors: [String: [Double]] = [:]
        var order: [String] = []
        for (parameter, value) in zip(parameters, theta) {
            if vectors[parameter.path] == nil {
                order.append(parameter.path)
                vectors[parameter.path] = baseVectors[parameter.path]!
            }
            if let element = parameter.element {
                vectors[parameter.path]![element] = value
            } else {
                vectors[parameter.path] = Array(repeating: value, count: vectors[parameter.path]!.count)
            }
        }
        return order.map { ParameterOverride($0, vectors[$0]!) }
    }

    /// The requested values for θ (NaN where a value is missing).
    /// - Throws: input errors (a value outside a parameter's range) and simulation errors.
    public func evaluate(_ theta: [Double]) throws -> [Double] {
        let plan = try problem.with(overrides(theta)).plan()
        return try ModelEvaluator.run(plan, requests: requests)
    }

    /// Runs member 0 of a compiled plan and reads the requested values.
    static func run(_ plan: ScenarioPlan, requests: [(slot: Int, year: Double)]) throws -> [Double] {
        var member = try MemberRun(plan: plan, member: 0, keepsHistory: false, threads: 1)
        var values = [Double](repeating: .nan, count: requests.count)
        // A flow labelled Y is observed at the end of year Y, a stock at its start (YearLabel).
        let instants = requests.map { plan.instant(of: $0.slot, labelled: $0.year) ?? .nan }
        let last = instants.filter { !$0.isNaN }.max() ?? plan.problem.clock.time(after: 0)
        func read() {
            let time = member.simulation.time
            for (k, request) in requests.enumerated() where abs(instants[k] - time) < 1e-6 {
                values[k] = member.current[request.slot]
            }
        }
        read()
        while member.simulation.status == .running, member.simulation.time < last - 1e-6 {
            try member.step()
            read()
        }
        return values
    }
}
