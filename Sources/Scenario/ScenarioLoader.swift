import Foundation
public import CityTwinCore
import Population

/// Reads a scenario YAML file strictly and, with its model, makes a `SimulationProblem`.
///
/// ```yaml
/// name: fertility-incentive          # names the run folder and the forecast's scenario column
/// description: a baby bonus from 2020
/// model: ../models/sioux-falls       # a model folder, relative to this file
/// start: 2020                        # must be the model's base year
/// end: 2050
/// tick: 1 year                       # "N year(s)" or "N month(s)"
/// seed: 7                            # random streams are keyed by it
/// parameters:                        # overrides, by registry path
///   population.fertility_scale: 1.1
/// ```
public enum ScenarioLoader {
    static let keys = ["name", "description", "model", "start", "end", "tick", "seed", "parameters"]

    /// Loads the scenario and its model and checks them together. All problems are thrown at once.
    public static func load(_ path: String) throws -> SimulationProblem {
        var reader = InputReader()
        let yaml = try YAMLMapping.document(text: reader.text(at: path), file: path)
        var diagnostics = Diagnostics()
        yaml.rejectUnknownKeys(allowing: keys, &diagnostics)
        let directory = (path as NSString).deletingLastPathComponent
        let name = yaml.string("name", &diagnostics) ?? "scenario"
        if !name.isEmpty, name.contains(where: { !($0.isLetter || $0.isNumber || "-_.".contains($0)) }) || name.hasPrefix(".") {
            diagnostics.error(yaml.location(yaml.node("name")), "name `\(name)` is also the run folder's name",
                              hint: "use letters, digits, '-', '_' and '.' only, e.g. `fertility-incentive`")
        }
        let description = yaml.string("description", required: false, &diagnostics) ?? ""
        let modelPath = yaml.string("model", &diagnostics).map { resolve($0, relativeTo: directory) }
        let start = yaml.integer("start", &diagnostics)
        let end = yaml.integer("end", &diagnostics)
        let seedValue = yaml.integer("seed", required: false, &diagnostics) ?? 0
        if seedValue < 0 { diagnostics.error(yaml.location(yaml.node("seed")), "seed must be zero or positive") }
        var tick = TickLength.years(1)
        if let text = yaml.string("tick", required: false, &diagnostics) {
            if let parsed = parseTick(text) { tick = parsed } else {
                diagnostics.error(yaml.location(yaml.node("tick")), "tick `\(text)` is not a length of time",
                                  hint: "write e.g. `1 year`, `5 years` or `1 month`")
            }
        }
        if let start, let end {
            if end <= start {
                diagnostics.error(yaml.location(yaml.node("end")), "end (\(end)) must be after start (\(start))")
            } else if !Clock.isWholeNumberOfTicks(startYear: start, endYear: end, tick: tick) {
                diagnostics.error(yaml.location(yaml.node("end")), "\(start)–\(end) is not a whole number of \(tick) ticks")
            }
        }
        var overrides: [ParameterOverride] = []
        if let parameters = yaml.submapping("parameters", required: false, &diagnostics) {
            for entry in parameters.scalarEntries(&diagnostics) {
                guard let definition = ParameterRegistry.definition(entry.key) else {
                    diagnostics.error(entry.location, "unknown parameter `\(entry.key)`",
                                      hint: Suggestion.hint(for: entry.key, in: ParameterRegistry.all.map(\.path)))
                    continue
                }
                guard let value = Double(entry.value), value.isFinite else {
                    diagnostics.error(entry.location, "`\(entry.key)` is `\(entry.value)`, which is not a number")
                    continue
                }
                if !definition.range.contains(value) {
                    diagnostics.error(entry.location, "`\(entry.key)` = \(value) is outside \(definition.range.lowerBound)…\(definition.range.upperBound) \(definition.unit)",
                                      hint: definition.description)
                }
                overrides.append(ParameterOverride(path: entry.key, value: value, location: entry.location))
            }
        }
        // The model is loaded even when the scenario has errors, so that one pass reports both.
        var model: CityModel?
        if let modelPath {
            CityModelLoader.collect(&diagnostics) { model = try CityModelLoader.load(modelPath) }
        }
        if let model, let start, start != model.baseYear {
            diagnostics.error(yaml.location(yaml.node("start")), "start is \(start) but the model's base year is \(model.baseYear)",
                              hint: "the initial population is for \(model.baseYear); start there")
        }
        if let model, abs(tick.inYears - Double(model.population.ages.interval)) > 1e-9 {
            diagnostics.error(yaml.location(yaml.node("tick")),
                              "tick is \(tick) but the model's age groups are \(model.population.ages.interval) years wide",
                              hint: "a cohort-component step must equal the age interval")
        }
        try diagnostics.throwIfAny()
        let spec = ScenarioSpec(name: name, description: description, file: path, modelPath: modelPath!, startYear: start!,
                                endYear: end!, tick: tick, seed: UInt64(seedValue), overrides: overrides)
        return SimulationProblem(scenario: spec, model: model!, scenarioFile: reader.files[0])
    }

    /// "1 year", "5 years", "3 months".
    static func parseTick(_ text: String) -> TickLength? {
        let parts = text.split(separator: " ")
        guard parts.count == 2, let n = Int(parts[0]), n > 0 else { return nil }
        switch parts[1] {
        case "year", "years": return .years(n)
        case "month", "months": return .months(n)
        default: return nil
        }
    }
}
