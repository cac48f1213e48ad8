public import CityTwinCore
import Foundation
public import Scenario

/// What calibration and sensitivity files share: the scenario they run (with an optional shorter horizon
/// and parts of the model left out), and parameters with boxes.
///
/// ```yaml
/// scenario: ../scenarios/baseline.yaml   # the scenario (model, horizon, settings, interventions)
/// end: 2030                              # optional: another end year
/// without: [traffic]                     # optional: parts of the model left out, added to the scenario's
/// ```
public enum StudyFile {
    public static let scenarioKeys = ["scenario", "end", "without"]

    /// Loads the named scenario and applies `end:` and `without:`.
    public static func problem(_ yaml: YAMLMapping, _ diagnostics: inout Diagnostics) throws -> SimulationProblem? {
        guard let scenario = yaml.string("scenario", &diagnostics) else { return nil }
        let path = resolve(scenario, relativeTo: CityTwinCore.directory(of: yaml.file))
        let end = yaml.year("end", required: false, &diagnostics)
        let without = yaml.stringList("without", &diagnostics) ?? []
        let known = ["traffic", "economy", "resources"]
        for part in without where !known.contains(part) {
            diagnostics.error(
                yaml.location(yaml.node("without")), "`without` names `\(part)`, not a part of the model",
                hint: Suggestion.hint(for: part, in: known) ?? "parts: \(known.joined(separator: ", "))")
        }
        let base: SimulationProblem
        do {
            base = try ScenarioLoader.load(path)
        } catch let errors as InputErrors {
            diagnostics.append(contentsOf: errors.errors)
            return nil
        } catch let error as InputError {
            diagnostics.append(contentsOf: [error])
            return nil
        }
        var spec = base.scenario
        if let end {
            guard end > spec.startYear else {
                diagnostics.error(
                    yaml.location(yaml.node("end")),
                    "end (\(end)) must be after the scenario's start (\(spec.startYear))")
                return nil
            }
            spec.endYear = end
            // Alerts looking past a shorter horizon are not needed by a deterministic study.
            spec.alerts = []
        }
        spec.without = Array(Set(spec.without + without)).sorted()
        return SimulationProblem(scenario: spec, model: base.model, scenarioFiles: base.scenarioFiles)
    }

    /// `parameters:` — each `path[selector]: {lower: a, upper: b, start: c}` or `[a, b]`, or `registry`
    /// for the descriptor's own range (when `registryRanges` allows it).
    public static func parameters(
        _ yaml: YAMLMapping, catalog: ParameterCatalog, registryRanges: Bool,
        _ diagnostics: inout Diagnostics
    ) -> [FreeParameter] {
        guard let mapping = yaml.submapping("parameters", &diagnostics) else { return [] }
        var result: [FreeParameter] = []
        for entry in mapping.entries {
            guard let name = entry.key.scalar else { continue }
            let location = entry.key.location
            let descriptor: ParameterDescriptor
            let element: Int?
            switch FreeParameter.resolve(name, in: catalog) {
            case .failure(let message):
                diagnostics.error(location, message)
                continue
            case .success(let resolved): (descriptor, element) = resolved
            }
            var lower: Double?
            var upper: Double?
            var start: Double?
            if let items = entry.value.sequence {
                let numbers = items.compactMap { $0.scalar.flatMap(CSVTable.parseNumber) }
                if numbers.count == 2, items.count == 2 {
                    (lower, upper) = (numbers[0], numbers[1])
                } else {
                    diagnostics.error(entry.value.location, "`\(name)` must be [lower, upper], two numbers")
                    continue
                }
            } else if let nested = YAMLMapping(entry.value, path: "parameters.\(name)") {
                nested.rejectUnknownKeys(allowing: ["lower", "upper", "start"], &diagnostics)
                lower = nested.double("lower", required: false, &diagnostics)
                upper = nested.double("upper", required: false, &diagnostics)
                start = nested.double("start", required: false, &diagnostics)
                if lower == nil || upper == nil, !registryRanges {
                    diagnostics.error(entry.value.location, "`\(name)` needs `lower` and `upper`")
                    continue
                }
            } else if entry.value.scalar == "registry", registryRanges {
                // The descriptor's range, below.
            } else {
                diagnostics.error(
                    entry.value.location,
                    "`\(name)` must be {lower: a, upper: b\(registryRanges ? "" : ", start: c")} or [a, b]"
                        + (registryRanges ? ", or `registry` for its declared range" : ""))
                continue
            }
            let lo = lower ?? descriptor.range.lowerBound
            let hi = upper ?? descriptor.range.upperBound
            guard lo < hi, lo.isFinite, hi.isFinite else {
                diagnostics.error(
                    entry.value.location,
                    "`\(name)`: the lower bound \(lo) must be below the upper bound \(hi), both finite")
                continue
            }
            guard descriptor.range.contains(lo), descriptor.range.contains(hi) else {
                diagnostics.error(
                    entry.value.location,
                    "`\(name)`: [\(lo), \(hi)] leaves the parameter's range \(descriptor.range.lowerBound)…\(descriptor.range.upperBound) \(descriptor.unit)",
                    hint: descriptor.description)
                continue
            }
            if let start, !(lo...hi).contains(start) {
                diagnostics.error(entry.value.location, "`\(name)`: start \(start) is outside [\(lo), \(hi)]")
                continue
            }
            let written =
                element.map {
                    "\(descriptor.path)[\(descriptor.dimension?.name ?? "elements") \(descriptor.elementNames.isEmpty ? String($0 + 1) : descriptor.elementNames[$0])]"
                } ?? descriptor.path
            if result.contains(where: {
                $0.name == written || ($0.path == descriptor.path && ($0.element == nil || element == nil))
            }) {
                diagnostics.error(location, "`\(name)` overlaps a parameter listed before")
                continue
            }
            result.append(
                FreeParameter(
                    name: written, path: descriptor.path, element: element, lower: lo, upper: hi, start: start))
        }
        if mapping.entries.isEmpty {
            diagnostics.error(yaml.location(ofKey: "parameters"), "`parameters` lists no parameter")
        }
        return result
    }

    /// `options:` as numbers, keys checked.
    public static func options(_ yaml: YAMLMapping, allowed: [String], _ diagnostics: inout Diagnostics) -> YAMLMapping? {
        guard let options = yaml.submapping("options", required: false, &diagnostics) else { return nil }
        options.rejectUnknownKeys(allowing: allowed, &diagnostics)
        return options
    }

    /// The path of `target` relative to the folder `base` (both made absolute).
    static func relativePath(of target: String, from base: String) -> String {
        let cwd = FileManager.default.currentDirectoryPath
        func parts(_ path: String) -> [String] {
            let absolute = path.hasPrefix("/") ? path : cwd + "/" + path
            var result: [String] = []
            for part in absolute.split(separator: "/") {
                if part == "." || part.isEmpty { continue }
                if part == "..", !result.isEmpty { result.removeLast() } else { result.append(String(part)) }
            }
            return result
        }
        let (t, b) = (parts(target), parts(base))
        var common = 0
        while common < min(t.count, b.count), t[common] == b[common] { common += 1 }
        return (Array(repeating: "..", count: b.count - common) + t[common...]).joined(separator: "/")
    }
}
