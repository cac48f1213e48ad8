import CityTwinCore
import Foundation
import Population

/// Reads a scenario YAML file strictly and, with its model, makes a `SimulationProblem`.
///
/// ```yaml
/// name: downtown-charge              # names the run folder and the forecast's scenario column
/// extends: baseline.yaml             # inherit everything; keys here override, lists append
/// model: ../models/sioux-falls       # a model folder, relative to this file
/// start: 2020                        # must be the model's base year
/// end: 2050
/// tick: 1 year                       # "N year(s)" or "N month(s)"
/// seed: 7                            # random streams are keyed by it
/// parameters:                        # settings from the start, by path (selectors allowed)
///   population.fertility_scale: 1.1
/// ensemble:
///   members: 200
///   uncertain:
///     population.fertility_scale: normal(1.0, 0.05)
/// interventions:
///   - name: baby bonus
///     at: 2030                       # or  ramp: 2030 to 2040  or  when: … (until: …, repeat: true)
///     set: population.fertility_scale *= 1.1
/// alerts:
///   - name: shrinking births
///     when: population.births < 2000
///     within: 10 years
///     probability_at_least: 0.1
/// record: [population.total, population.births]
/// without: [traffic]                 # leave parts of the model out (economy, traffic, resources)
/// ```
public enum ScenarioLoader {
    static let keys = [
        "name", "description", "extends", "model", "start", "end", "tick", "seed", "parameters",
        "ensemble", "interventions", "alerts", "record", "without",
    ]
    static let interventionKeys = ["name", "at", "end", "ramp", "when", "until", "repeat", "set"]
    static let alertKeys = ["name", "when", "within", "probability_at_least", "by_zone"]
    static let ensembleKeys = ["members", "uncertain"]
    /// Largest ensemble accepted (memory grows with members × state).
    static let maximumMembers = 50_000
    /// The longest horizon a scenario may have, in years.
    public static let maximumHorizonYears = 200

    /// Loads the scenario (and what it extends) and its model, and checks them together. All
    /// problems are thrown at once.
    public static func load(_ path: String) throws -> SimulationProblem {
        try loadPlan(path).problem
    }

    /// Loads and compiles the scenario: the plan that checking it builds, ready to run.
    /// - Parameter continuing: the year of a saved end state the run continues (`--from`): the scenario
    ///   must then start in that year instead of the model's base year.
    public static func loadPlan(_ path: String, continuing: Int? = nil) throws -> ScenarioPlan {
        var diagnostics = Diagnostics()
        let reader = InputFiles()
        var spec = PartialScenario()
        var chain: [String] = []
        var next: (path: String, reference: SourceLocation?)? = (path, nil)
        while let (file, reference) = next {
            if chain.contains(file) {
                diagnostics.error(
                    reference ?? SourceLocation(file: file), "`extends` makes a cycle: \((chain + [file]).joined(separator: " → "))")
                break
            }
            chain.append(file)
            let yaml = try YAMLMapping.document(text: reader.text(at: file, referencedFrom: reference), file: file)
            let partial = PartialScenario(yaml, &diagnostics)
            spec = spec.inheriting(from: partial)
            next = partial.extends.map { ($0.path, $0.location) }
        }
        let plan = try finish(spec, files: chain, scenarioFiles: reader.files, continuing: continuing, diagnostics: &diagnostics)
        try diagnostics.throwIfAny()
        return plan!
    }

    private static func finish(
        _ partial: PartialScenario, files: [String], scenarioFiles: [InputFile], continuing: Int?,
        diagnostics: inout Diagnostics
    ) throws -> ScenarioPlan? {
        let file = files[0]
        func require<T>(_ value: (T, SourceLocation)?, _ key: String) -> (T, SourceLocation)? {
            if value == nil { diagnostics.error(SourceLocation(file: file, line: 1), "missing key `\(key)`") }
            return value
        }
        let name = require(partial.name, "name")
        let modelPath = require(partial.model, "model")
        let start = require(partial.start, "start")
        let end = require(partial.end, "end")
        let tick = partial.tick?.0 ?? .years(1)
        // The plan runs a trial tick, which needs a valid clock; without one, only the rest is checked.
        var clockIsValid = true
        if let (start, _) = start, let (end, endLocation) = end {
            if end <= start {
                diagnostics.error(endLocation, "end (\(end)) must be after start (\(start))")
                clockIsValid = false
            } else if end - start > ScenarioLoader.maximumHorizonYears {
                diagnostics.error(
                    endLocation, "the horizon \(start)–\(end) is \(end - start) years; at most \(ScenarioLoader.maximumHorizonYears) run",
                    hint: "end no later than \(start + ScenarioLoader.maximumHorizonYears)")
                clockIsValid = false
            } else if !Clock.coversWholeTicks(firstYear: start, lastYear: end, tick: tick) {
                diagnostics.error(endLocation, "\(start)–\(end) is not a whole number of \(tick) ticks")
                clockIsValid = false
            }
        }
        // The model is loaded even when the scenario has errors, so that one pass reports both.
        var model: CityModel?
        if let (path, _) = modelPath {
            model = diagnostics.collect(at: SourceLocation(file: file)) { try CityModelLoader.load(path) }
        }
        guard let model, let name, let modelPath, let start, let end else { return nil }
        if let continuing, start.0 != continuing {
            diagnostics.error(
                start.1, "start is \(start.0) but the saved state it continues is of \(continuing)",
                hint: "a continued run starts where the saved run ended: `start: \(continuing)`")
        } else if continuing == nil, start.0 != model.baseYear {
            diagnostics.error(
                start.1, "start is \(start.0) but the model's base year is \(model.baseYear)",
                hint: "the initial population is for \(model.baseYear); start there, or continue a saved run (`--from <run folder>`)")
        }
        for section in model.sections {
            if let years = section.requiredTickYears, abs(tick.inYears - Double(years)) > 1e-9 {
                diagnostics.error(
                    partial.tick?.1 ?? SourceLocation(file: file),
                    "tick is \(tick) but the model's \(section.key) section steps \(years) year\(years == 1 ? "" : "s") at a time",
                    hint: "a cohort-component step must equal the age interval")
                clockIsValid = false
            }
        }
        let spec = ScenarioSpec(
            name: name.0, description: partial.description?.0 ?? "", files: files, modelPath: modelPath.0,
            startYear: start.0, endYear: end.0, tick: tick, seed: partial.seed?.0 ?? 0,
            parameters: partial.parameters.map(\.1), interventions: partial.interventions,
            ensemble: EnsembleSpec(members: partial.members?.0 ?? 1, uncertain: partial.uncertain.map(\.1)),
            alerts: partial.alerts, record: partial.record?.0, without: partial.without?.0 ?? [],
            continuesSavedState: continuing != nil)
        let problem = SimulationProblem(scenario: spec, model: model, scenarioFiles: scenarioFiles)
        guard clockIsValid else { return nil }
        do {
            return try problem.plan()
        } catch let errors as InputErrors {
            diagnostics.append(contentsOf: errors.errors)
        } catch {
            diagnostics.error(SourceLocation(file: file), "\(error)")
        }
        return nil
    }

    /// "1 year", "5 years", "3 months".
    static func parseTick(_ text: String) -> TickLength? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let n = Int(parts[0]), (1...1000).contains(n) else { return nil }
        switch parts[1] {
        case "year", "years": return .years(n)
        case "month", "months": return .months(n)
        default: return nil
        }
    }

    /// "2030 to 2040".
    static func parseYearRange(_ text: String) -> (Int, Int)? {
        let parts = text.split(separator: " ").map(String.init)
        guard parts.count == 3, parts[1] == "to", let a = Int(parts[0]), let b = Int(parts[2]), b > a,
            YAMLMapping.calendarYears.contains(a), YAMLMapping.calendarYears.contains(b)
        else { return nil }
        return (a, b)
    }

    /// "10 years" or "1 year".
    static func parseYears(_ text: String) -> Int? {
        if case .years(let n)? = parseTick(text) { return n }
        return nil
    }
}

/// One file's scenario keys, each with where it was written; `extends` merges a chain of them.
struct PartialScenario {
    var name: (String, SourceLocation)?
    var description: (String, SourceLocation)?
    var extends: (path: String, location: SourceLocation)?
    var model: (String, SourceLocation)?
    var start: (Int, SourceLocation)?
    var end: (Int, SourceLocation)?
    var tick: (TickLength, SourceLocation)?
    var seed: (UInt64, SourceLocation)?
    /// Settings by key (path with optional selector), as assignments.
    var parameters: [(String, SourceText)] = []
    var members: (Int, SourceLocation)?
    var uncertain: [(String, UncertainParameter)] = []
    var interventions: [InterventionSpec] = []
    var alerts: [AlertSpec] = []
    var record: ([String], SourceLocation)?
    var without: ([String], SourceLocation)?

    init() {}

    /// This child's keys over its parent's: scalars replace, parameters and uncertain merge by path,
    /// interventions and alerts append after the parent's.
    func inheriting(from parent: PartialScenario) -> PartialScenario {
        var merged = parent
        merged.name = name ?? parent.name
        merged.description = description ?? parent.description
        merged.extends = parent.extends
        merged.model = model ?? parent.model
        merged.start = start ?? parent.start
        merged.end = end ?? parent.end
        merged.tick = tick ?? parent.tick
        merged.seed = seed ?? parent.seed
        merged.members = members ?? parent.members
        merged.record = record ?? parent.record
        merged.without = without ?? parent.without
        merged.parameters = parent.parameters.filter { key in !parameters.contains { $0.0 == key.0 } } + parameters
        merged.uncertain = parent.uncertain.filter { key in !uncertain.contains { $0.0 == key.0 } } + uncertain
        merged.interventions = parent.interventions + interventions
        merged.alerts = parent.alerts + alerts
        return merged
    }

    init(_ yaml: YAMLMapping, _ diagnostics: inout Diagnostics) {
        yaml.rejectUnknownKeys(allowing: ScenarioLoader.keys, &diagnostics)
        let directory = CityTwinCore.directory(of: yaml.file)
        func at(_ key: String) -> SourceLocation { yaml.location(yaml.node(key)) }
        if let text = yaml.string("name", required: false, &diagnostics) {
            if text.isEmpty || text.hasPrefix(".") || text.count > 100
                || text.contains(where: { !($0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0))) })
            {
                diagnostics.error(
                    at("name"), "name `\(text)` is also the run folder's name",
                    hint: "use at most 100 ASCII letters, digits, '-', '_' and '.', e.g. `fertility-incentive`")
            }
            name = (text, at("name"))
        }
        description = yaml.string("description", required: false, &diagnostics).map { ($0, at("description")) }
        extends = yaml.string("extends", required: false, &diagnostics).map { (resolve($0, relativeTo: directory), at("extends")) }
        model = yaml.string("model", required: false, &diagnostics).map { (resolve($0, relativeTo: directory), at("model")) }
        start = yaml.year("start", required: false, &diagnostics).map { ($0, at("start")) }
        end = yaml.year("end", required: false, &diagnostics).map { ($0, at("end")) }
        if let value = yaml.integer("seed", required: false, &diagnostics) {
            if value < 0 { diagnostics.error(at("seed"), "seed must be zero or positive") }
            seed = (UInt64(max(0, value)), at("seed"))
        }
        if let text = yaml.string("tick", required: false, &diagnostics) {
            if let parsed = ScenarioLoader.parseTick(text) {
                tick = (parsed, at("tick"))
            } else {
                diagnostics.error(at("tick"), "tick `\(text)` is not a length of time", hint: "write e.g. `1 year`, `5 years` or `1 month`")
            }
        }
        if let section = yaml.submapping("parameters", required: false, &diagnostics) {
            for entry in section.scalarEntries(&diagnostics) {
                // A setting is the assignment `key = value`, compiled with the interventions.
                parameters.append((entry.key, SourceText("\(entry.key) = \(entry.value)", at: entry.location)))
            }
        }
        if let section = yaml.submapping("ensemble", required: false, &diagnostics) {
            section.rejectUnknownKeys(allowing: ScenarioLoader.ensembleKeys, &diagnostics)
            if let n = section.integer("members", required: false, &diagnostics) {
                if n < 1 || n > ScenarioLoader.maximumMembers {
                    diagnostics.error(
                        section.location(section.node("members")), "members must be between 1 and \(ScenarioLoader.maximumMembers)")
                }
                members = (n, section.location(section.node("members")))
            }
            if let uncertainSection = section.submapping("uncertain", required: false, &diagnostics) {
                for entry in uncertainSection.scalarEntries(&diagnostics) {
                    switch Distribution.parse(entry.value) {
                    case .success(let distribution):
                        uncertain.append(
                            (entry.key, UncertainParameter(path: entry.key, distribution: distribution, location: entry.location)))
                    case .failure(let message):
                        diagnostics.error(entry.location, message.text, hint: message.hint)
                    }
                }
            }
        }
        for item in yaml.sequenceOfMappings("interventions", &diagnostics) {
            if let intervention = PartialScenario.intervention(item, &diagnostics) { interventions.append(intervention) }
        }
        for item in yaml.sequenceOfMappings("alerts", &diagnostics) {
            if let alert = PartialScenario.alert(item, &diagnostics) { alerts.append(alert) }
        }
        if let list = yaml.stringList("record", &diagnostics) { record = (list, at("record")) }
        if let list = yaml.stringList("without", &diagnostics) {
            var parts: [String] = []
            for name in list {
                if DomainRegistry.optionalKeys.contains(name) {
                    parts.append(name)
                } else {
                    diagnostics.error(
                        at("without"), "`without` names `\(name)`, which is not a part a scenario can leave out",
                        hint: Suggestion.hint(for: name, in: DomainRegistry.optionalKeys))
                }
            }
            without = (parts, at("without"))
        }
    }

    static func intervention(_ item: YAMLMapping, _ diagnostics: inout Diagnostics) -> InterventionSpec? {
        item.rejectUnknownKeys(allowing: ScenarioLoader.interventionKeys, &diagnostics)
        let name = item.string("name", &diagnostics) ?? "intervention"
        let operations = item.expressionList("set", &diagnostics)
        if operations.isEmpty, item.has("set") == false {
            diagnostics.error(
                item.location(nil), "intervention `\(name)` has no `set:`",
                hint: "write e.g. `set: population.fertility_scale *= 1.1`")
        }
        let hasAt = item.has("at"), hasRamp = item.has("ramp"), hasWhen = item.has("when")
        guard [hasAt, hasRamp, hasWhen].filter({ $0 }).count == 1 else {
            diagnostics.error(item.location(nil), "intervention `\(name)` needs exactly one of `at:`, `ramp:` or `when:`")
            return nil
        }
        for key in ["end"] where item.has(key) && !hasAt {
            diagnostics.error(item.location(ofKey: key), "`end:` goes with `at:`")
        }
        for key in ["until", "repeat"] where item.has(key) && !hasWhen {
            diagnostics.error(item.location(ofKey: key), "`\(key):` goes with `when:`")
        }
        let timing: InterventionTiming
        if hasAt {
            guard let year = item.year("at", &diagnostics) else { return nil }
            let end = item.year("end", required: false, &diagnostics)
            if let end, end <= year { diagnostics.error(item.location(item.node("end")), "end (\(end)) must be after at (\(year))") }
            timing = .at(year: year, end: end)
        } else if hasRamp {
            guard let text = item.string("ramp", &diagnostics) else { return nil }
            guard let (from, to) = ScenarioLoader.parseYearRange(text) else {
                diagnostics.error(
                    item.location(item.node("ramp")), "ramp `\(text)` is not a year range", hint: "write e.g. `ramp: 2030 to 2040`")
                return nil
            }
            timing = .ramp(from: from, to: to)
        } else {
            guard let condition = item.expression("when", &diagnostics) else { return nil }
            let until = item.has("until") ? item.expression("until", &diagnostics) : nil
            var repeats = false
            if let text = item.string("repeat", required: false, &diagnostics) {
                guard let flag = Bool(text) else {
                    diagnostics.error(item.location(item.node("repeat")), "repeat is `\(text)`; write true or false")
                    return nil
                }
                repeats = flag
            }
            timing = .trigger(when: condition, until: until, repeats: repeats)
        }
        return InterventionSpec(name: name, timing: timing, operations: operations, location: item.location(nil))
    }

    static func alert(_ item: YAMLMapping, _ diagnostics: inout Diagnostics) -> AlertSpec? {
        item.rejectUnknownKeys(allowing: ScenarioLoader.alertKeys, &diagnostics)
        let name = item.string("name", &diagnostics) ?? "alert"
        let condition = item.expression("when", &diagnostics)
        var within = 0
        if let text = item.string("within", &diagnostics) {
            if let years = ScenarioLoader.parseYears(text), years > 0 {
                within = years
            } else {
                diagnostics.error(
                    item.location(item.node("within")), "within `\(text)` is not a number of years", hint: "write e.g. `10 years`")
            }
        }
        let probability = item.double("probability_at_least", &diagnostics) ?? 0
        if !(0...1).contains(probability) {
            diagnostics.error(item.location(item.node("probability_at_least")), "probability_at_least is \(probability), outside [0, 1]")
        }
        var byZone = false
        if let text = item.string("by_zone", required: false, &diagnostics) {
            if let flag = Bool(text) {
                byZone = flag
            } else {
                diagnostics.error(item.location(item.node("by_zone")), "by_zone is `\(text)`; write true or false")
            }
        }
        guard let condition else { return nil }
        return AlertSpec(
            name: name, condition: condition, withinYears: within, probabilityAtLeast: probability,
            byZone: byZone, location: item.location(nil))
    }
}
