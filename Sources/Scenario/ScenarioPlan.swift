import CityTwinCore

/// A scenario compiled against its model: every path resolved to a slot, every expression parsed and
/// type-checked once, so that running members does no string work per tick.
///
/// Compiling is also the scenario's validation: unknown paths (with "did you mean"), selectors naming
/// zones or links that do not exist, unit mismatches and years outside the horizon are all reported
/// here, together, before any member runs.
public struct ScenarioPlan: Sendable {
    public let problem: SimulationProblem
    public let indicators: IndicatorCatalog
    public let parameters: ParameterCatalog
    /// Parameter values as the model defines them, before settings.
    public let baseParameters: [Double]
    /// Settings from the start (`parameters:`), applied in order.
    let settings: [CompiledAssignment]
    /// Typed overrides (``ParameterOverride``), as slots and values, applied after the settings.
    let overrides: [(slots: Range<Int>, values: [Double])]
    let uncertain: [CompiledUncertainty]
    let interventions: [CompiledIntervention]
    public let alerts: [CompiledAlert]
    /// Problems that may or may not happen at run time, with where they come from: ramps and triggered interventions
    /// that each pass alone but would be refused together with the others in force (`citytwin validate` and `run`
    /// print them; a run that meets one fails naming the file, member, year and interventions).
    /// Each as `file:line: warning: …`.
    public private(set) var warnings: [String] = []
    /// Indicator slots written to the forecast.
    public let recorded: [Int]
    /// The model's modules as built once; each member starts from a copy, so large read-only arrays
    /// (survival operators, coefficient matrices) are shared between members until one changes them.
    let modules: [any SimulationModule]

    /// One member, no uncertain parameters: the forecast reports plain values.
    public var isDeterministic: Bool { problem.scenario.ensemble.members == 1 && uncertain.isEmpty }

    public var members: Int { problem.scenario.ensemble.members }

    init(_ problem: SimulationProblem) throws {
        self.problem = problem
        let spec = problem.scenario
        // The modules declare every parameter and indicator: nothing runs (no tick, no calibration).
        modules = try problem.makeModules()
        parameters = ParameterCatalog(modules: modules)
        baseParameters = parameters.values(of: modules)
        indicators = IndicatorCatalog(
            descriptors: modules.flatMap(\.indicatorDescriptors), zoneIDs: problem.model.zones.map(\.id),
            zoneDistricts: problem.model.zones.map(\.district))

        var diagnostics = Diagnostics()
        let references = IndicatorResolver(catalog: indicators)
        let targets = ParameterResolver(catalog: parameters)
        func assignment(_ source: SourceText) -> CompiledAssignment? {
            do {
                let parsed = try ExpressionParser.parseAssignment(source.text, at: source.location)
                return try CompiledAssignment(parsed, targets: targets, references: references)
            } catch let errors as InputErrors {
                diagnostics.append(contentsOf: errors.errors)
            } catch {
                diagnostics.error(source.location, "\(error)")
            }
            return nil
        }
        func condition(_ source: SourceText, resolver: IndicatorResolver = references) -> CompiledExpression? {
            do {
                let parsed = try ExpressionParser.parse(source.text, at: source.location)
                return try CompiledExpression.condition(parsed, resolver: resolver)
            } catch let errors as InputErrors {
                diagnostics.append(contentsOf: errors.errors)
            } catch {
                diagnostics.error(source.location, "\(error)")
            }
            return nil
        }
        settings = spec.parameters.compactMap(assignment)
        // A setting must give an allowed value (draws and interventions are kept inside by clamping).
        let noIndicators = [Double](repeating: .nan, count: indicators.count)
        var values = baseParameters
        for (setting, source) in zip(settings, spec.parameters) {
            for slot in setting.target.indices {
                values[slot] = setting.apply(to: values[slot], current: noIndicators, previous: noIndicators)
                let descriptor = parameters.descriptors[parameters.owner[slot]]
                if !descriptor.range.contains(values[slot]) {
                    diagnostics.error(
                        source.location,
                        "`\(descriptor.path)` = \(values[slot]) is outside \(descriptor.range.lowerBound)…\(descriptor.range.upperBound) \(descriptor.unit)",
                        hint: descriptor.description)
                    break
                }
            }
        }

        let changedBySettings = Set(settings.flatMap { Array($0.target.indices) })
        for message in ScenarioPlan.valueProblems(values, changed: changedBySettings, modules: modules, catalog: parameters) {
            diagnostics.error(SourceLocation(file: spec.file), "the scenario's settings cannot be run: \(message)")
        }

        var overrides: [(slots: Range<Int>, values: [Double])] = []
        let overrideLocation = SourceLocation(file: spec.file)
        for override in spec.overrides {
            guard let index = parameters.index(of: override.path) else {
                diagnostics.error(
                    overrideLocation, "unknown parameter `\(override.path)` in an override",
                    hint: Suggestion.hint(for: override.path, in: parameters.paths))
                continue
            }
            let descriptor = parameters.descriptors[index]
            let slots = parameters.slots(of: index)
            let values = override.values.count == 1 ? Array(repeating: override.values[0], count: slots.count) : override.values
            guard values.count == slots.count else {
                diagnostics.error(
                    overrideLocation, "`\(override.path)` has \(slots.count) values; the override gives \(override.values.count)")
                continue
            }
            if let bad = values.first(where: { !descriptor.range.contains($0) }) {
                diagnostics.error(
                    overrideLocation,
                    "`\(override.path)` = \(bad) is outside \(descriptor.range.lowerBound)…\(descriptor.range.upperBound) \(descriptor.unit)",
                    hint: descriptor.description)
                continue
            }
            overrides.append((slots, values))
        }
        self.overrides = overrides

        var uncertain: [CompiledUncertainty] = []
        for parameter in spec.ensemble.uncertain {
            guard let index = parameters.index(of: parameter.path) else {
                diagnostics.error(
                    parameter.location, "unknown parameter `\(parameter.path)`",
                    hint: Suggestion.hint(for: parameter.path, in: parameters.paths))
                continue
            }
            let slots = Array(parameters.slots(of: index))
            // A member's draw replaces the parameter, so a setting of the same parameter would be lost.
            if let setting = zip(settings, spec.parameters).first(where: { !Set($0.0.target.indices).isDisjoint(with: slots) }) {
                diagnostics.error(
                    setting.1.location,
                    "`\(parameter.path)` is uncertain in this ensemble, so this setting would be replaced by each member's draw",
                    hint:
                        "shift the draws instead with an intervention at the start year, e.g. `at: \(spec.startYear)` with `set: \(parameter.path) *= 1.1`"
                )
            }
            uncertain.append(CompiledUncertainty(path: parameter.path, slots: slots, distribution: parameter.distribution))
        }
        self.uncertain = uncertain

        let horizon = spec.startYear...spec.endYear
        var interventions: [CompiledIntervention] = []
        // Dated interventions that pass on their own, to be checked together in each year they overlap.
        var dated: [DatedIntervention] = []
        // Ramps and triggered interventions that pass on their own: whether they meet the others is known only at run
        // time, so their combinations are warnings.
        var undated: [UndatedIntervention] = []
        for intervention in spec.interventions {
            // Interventions act at tick boundaries; every year of the horizon starts one (the run simulates
            // start…end inclusive), and a window may close at the end year itself.
            let years: [Int]
            switch intervention.timing {
            case .at(let year, let end): years = [year] + (end.map { [$0] } ?? [])
            case .ramp(let from, let to): years = [from, to]
            case .trigger: years = []
            }
            // A continued run's earlier interventions have acted already (their state is saved).
            for year in years where !horizon.contains(year) && !(spec.continuesSavedState && year < spec.startYear) {
                diagnostics.error(
                    intervention.location,
                    "intervention `\(intervention.name)` acts in \(year), outside the horizon \(spec.startYear)–\(spec.endYear)")
            }
            let operations = intervention.operations.compactMap(assignment)
            // An intervention whose value does not depend on indicators is checked against the range here,
            // on the model's values (run time keeps values inside by clamping only where they depend on
            // what the model computes).
            for (operation, source) in zip(operations, intervention.operations) where operations.count == intervention.operations.count {
                for slot in operation.target.indices {
                    let value = operation.apply(to: values[slot], current: noIndicators, previous: noIndicators)
                    let descriptor = parameters.descriptors[parameters.owner[slot]]
                    if !value.isNaN, !descriptor.range.contains(value) {
                        diagnostics.error(
                            source.location,
                            "intervention `\(intervention.name)` sets `\(descriptor.path)` to \(value), outside \(descriptor.range.lowerBound)…\(descriptor.range.upperBound) \(descriptor.unit)",
                            hint: descriptor.description)
                        break
                    }
                }
            }
            // Values that need no indicators are checked together by their modules (e.g. closures that cut a zone off).
            if operations.count == intervention.operations.count, let first = intervention.operations.first {
                var after = values
                var changed: Set<Int> = []
                ScenarioPlan.apply(operations, to: &after, changed: &changed, noIndicators: noIndicators)
                let problems = ScenarioPlan.valueProblems(after, changed: changed, modules: modules, catalog: parameters)
                for message in problems {
                    diagnostics.error(first.location, "intervention `\(intervention.name)` cannot be run: \(message)")
                }
                if problems.isEmpty {
                    switch intervention.timing {
                    case .at(let year, let end): dated.append((intervention.name, year, end, operations, first.location))
                    case .ramp(let from, let to): undated.append((intervention.name, "ramp \(from)–\(to)", operations, first.location))
                    case .trigger: undated.append((intervention.name, "when triggered", operations, first.location))
                    }
                }
            }
            var timing: CompiledIntervention.Timing?
            switch intervention.timing {
            case .at(let year, let end): timing = .at(year: Double(year), end: end.map(Double.init))
            case .ramp(let from, let to): timing = .ramp(from: Double(from), to: Double(to))
            case .trigger(let when, let until, let repeats):
                if let start = condition(when) {
                    let stop = until.flatMap { condition($0) }
                    if until == nil || stop != nil { timing = .trigger(when: start, until: stop, repeats: repeats) }
                }
            }
            if let timing, operations.count == intervention.operations.count {
                interventions.append(
                    CompiledIntervention(name: intervention.name, location: intervention.location, timing: timing, operations: operations))
            }
        }
        self.interventions = interventions
        for message in ScenarioPlan.combinedProblems(
            dated, from: values, noIndicators: noIndicators, modules: modules, catalog: parameters)
        {
            diagnostics.error(message.location, message.text)
        }
        warnings = ScenarioPlan.possibleCombinationWarnings(
            undated, dated: dated, startYear: spec.startYear, from: values, noIndicators: noIndicators, modules: modules,
            catalog: parameters
        ).map { "\($0.location): warning: \($0.text)" }

        var alerts: [CompiledAlert] = []
        for alert in spec.alerts {
            if spec.startYear + alert.withinYears > spec.endYear {
                diagnostics.error(
                    alert.location,
                    "alert `\(alert.name)` looks \(alert.withinYears) years ahead, beyond the horizon \(spec.startYear)–\(spec.endYear)")
            }
            guard let city = condition(alert.condition) else { continue }
            var zones: [CompiledExpression] = []
            if alert.byZone {
                for zone in problem.model.zones.indices {
                    if let compiled = condition(alert.condition, resolver: IndicatorResolver(catalog: indicators, zone: zone)) {
                        zones.append(compiled)
                    }
                }
            }
            alerts.append(CompiledAlert(spec: alert, condition: city, zoneConditions: zones))
        }
        self.alerts = alerts

        let indicators = self.indicators
        if let record = spec.record {
            var slots: [Int] = []
            for variable in record {
                let named = indicators.slots(recording: variable)
                guard !named.isEmpty else {
                    diagnostics.error(
                        SourceLocation(file: spec.file), "`record` names unknown indicator `\(variable)`",
                        hint: Suggestion.hint(for: variable, in: indicators.paths))
                    continue
                }
                slots += named
            }
            // An indicator listed twice is recorded once.
            var seen: Set<Int> = []
            recorded = slots.filter { seen.insert($0).inserted }
        } else {
            recorded = Array(indicators.entries.indices)
        }
        try diagnostics.throwIfAny()
    }
}

extension ScenarioPlan {
    /// An intervention `at:` a year (and `end:`), with its operations, as validation checks it.
    typealias DatedIntervention = (name: String, year: Int, end: Int?, operations: [CompiledAssignment], location: SourceLocation)
    /// A ramp or a triggered intervention, `when` saying which, as validation checks it.
    typealias UndatedIntervention = (name: String, when: String, operations: [CompiledAssignment], location: SourceLocation)

    /// Dated interventions (`at:`) that each pass alone, checked together: in each year one of them starts, the
    /// values after every intervention in force that year (started, window not yet closed), in the order they act (values
    /// that depend on indicators, NaN with `noIndicators`, are left out). A refusal is reported once, at the intervention whose start completes the combination.
    static func combinedProblems(
        _ dated: [DatedIntervention],
        from start: [Double], noIndicators: [Double], modules: [any SimulationModule], catalog: ParameterCatalog
    ) -> [(location: SourceLocation, text: String)] {
        var reported: Set<String> = []
        var out: [(location: SourceLocation, text: String)] = []
        for year in Set(dated.map(\.year)).sorted() {
            // In the order they act: by year, then as written.
            let inForce = dated.enumerated()
                .filter { $0.element.year <= year && ($0.element.end.map { year < $0 } ?? true) }
                .sorted { ($0.element.year, $0.offset) < ($1.element.year, $1.offset) }.map(\.element)
            guard inForce.count > 1 else { continue }
            var values = start
            var changed: Set<Int> = []
            for intervention in inForce { apply(intervention.operations, to: &values, changed: &changed, noIndicators: noIndicators) }
            let starting = inForce.last { $0.year == year }!
            let names = inForce.map { "`\($0.name)` (\($0.year))" }.joined(separator: ", ")
            for message in valueProblems(values, changed: changed, modules: modules, catalog: catalog)
            where reported.insert(message).inserted {
                out.append((starting.location, "interventions \(names) cannot be run together from \(year): \(message)"))
            }
        }
        return out
    }

    /// Ramps and triggered interventions (`undated`) that each pass alone, checked at their full effect together with each
    /// other and with the dated interventions in force in each year one starts (and the start year): whether they
    /// coincide depends on the run, so a refusal is a warning, reported once, at the first undated intervention of the
    /// combination. Refusals of the dated interventions alone are errors already (``combinedProblems``) and not repeated.
    static func possibleCombinationWarnings(
        _ undated: [UndatedIntervention],
        dated: [DatedIntervention], startYear: Int,
        from start: [Double], noIndicators: [Double], modules: [any SimulationModule], catalog: ParameterCatalog
    ) -> [(location: SourceLocation, text: String)] {
        guard let first = undated.first else { return [] }
        var reported: Set<String> = []
        var out: [(location: SourceLocation, text: String)] = []
        for year in Set(dated.map(\.year) + [startYear]).sorted() {
            let inForce = dated.enumerated()
                .filter { $0.element.year <= year && ($0.element.end.map { year < $0 } ?? true) }
                .sorted { ($0.element.year, $0.offset) < ($1.element.year, $1.offset) }.map(\.element)
            guard inForce.count + undated.count > 1 else { continue }
            var values = start
            var changed: Set<Int> = []
            for intervention in inForce { apply(intervention.operations, to: &values, changed: &changed, noIndicators: noIndicators) }
            let datedProblems = Set(valueProblems(values, changed: changed, modules: modules, catalog: catalog))
            for intervention in undated { apply(intervention.operations, to: &values, changed: &changed, noIndicators: noIndicators) }
            let names = (inForce.map { "`\($0.name)` (\($0.year))" } + undated.map { "`\($0.name)` (\($0.when))" })
                .joined(separator: ", ")
            for message in valueProblems(values, changed: changed, modules: modules, catalog: catalog)
            where !datedProblems.contains(message) && reported.insert(message).inserted {
                out.append(
                    (
                        first.location,
                        "interventions \(names) would be refused if in force together in \(year) or later: \(message); "
                            + "a run in which they meet fails, naming the member, year and interventions"
                    ))
            }
        }
        return out
    }

    /// Applies `operations` at their full effect to the parameter vector `values`, noting the slots they change; values
    /// that depend on indicators (NaN with `noIndicators`) are left out.
    static func apply(_ operations: [CompiledAssignment], to values: inout [Double], changed: inout Set<Int>, noIndicators: [Double]) {
        for operation in operations {
            for slot in operation.target.indices {
                let value = operation.apply(to: values[slot], current: noIndicators, previous: noIndicators)
                if !value.isNaN {
                    values[slot] = value
                    changed.insert(slot)
                }
            }
        }
    }

    /// What the modules owning the `changed` slots say of the parameter vector `values` taken together
    /// (``ParameterizedModule/problem(withValues:)``), one message per module that refuses it.
    static func valueProblems(
        _ values: [Double], changed: Set<Int>, modules: [any SimulationModule], catalog: ParameterCatalog
    ) -> [String] {
        guard !changed.isEmpty else { return [] }
        let owners = Simulation.parameterOwners(modules)
        let touched = Set(changed.map { catalog.descriptors[catalog.owner[$0]].path }).compactMap { owners[$0] }
        var messages: [String] = []
        for index in Set(touched).sorted() {
            guard let module = modules[index] as? any ParameterizedModule else { continue }
            var own: [String: [Double]] = [:]
            for descriptor in module.parameterDescriptors {
                guard let d = catalog.index(of: descriptor.path) else { continue }
                own[descriptor.path] = Array(values[catalog.slots(of: d)])
            }
            if let message = module.problem(withValues: own) { messages.append(message) }
        }
        return messages
    }
}

/// An uncertain parameter: every slot of it takes the member's one draw.
struct CompiledUncertainty: Sendable {
    let path: String
    let slots: [Int]
    let distribution: Distribution
}

/// An intervention ready to run.
struct CompiledIntervention: Sendable {
    enum Timing: Sendable {
        case at(year: Double, end: Double?)
        case ramp(from: Double, to: Double)
        case trigger(when: CompiledExpression, until: CompiledExpression?, repeats: Bool)
    }

    let name: String
    /// Where the scenario writes it.
    let location: SourceLocation
    let timing: Timing
    let operations: [CompiledAssignment]
}

/// An early-warning rule ready to evaluate, for the city and (with `by_zone`) for each zone.
public struct CompiledAlert: Sendable {
    public let spec: AlertSpec
    let condition: CompiledExpression
    let zoneConditions: [CompiledExpression]

    /// Whether the condition holds for the city (or the rule's city-level reading).
    public func holds(current: [Double], previous: [Double]) -> Bool {
        condition.isTrue(current: current, previous: previous)
    }

    /// Whether the condition holds in each zone (empty unless `by_zone`).
    public func holdsByZone(current: [Double], previous: [Double]) -> [Bool] {
        zoneConditions.map { $0.isTrue(current: current, previous: previous) }
    }
}
