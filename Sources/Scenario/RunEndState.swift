public import CityTwinCore
public import Foundation

/// The end state of a run, saved in its run folder as `end-state.json`, from which a later run continues
/// (`citytwin run … --from <run>`, `citytwin assimilate … --from <run>`) so that a forecast is rolled forward
/// as data arrive: every member's ``MemberState`` and what the continuation must agree with.
///
/// Format (`format: citytwin-end-state/1`): a JSON object with the engine version, the model's name and
/// `model_hash` — SHA-256 of the lines `<path in the model folder> <sha256 of the file>` of every model file
/// read, in reading order (the lines ``RunIdentity`` hashes) — the scenario's name and `scenario_hash` (SHA-256 of
/// its files' hashes, nearest first), the seed, the saved run's horizon, the saved instant and tick length, the
/// parameter catalog (paths and slot count), the number of indicator slots, the interventions' names, the
/// uncertain parameters' paths, how many assimilation analyses have been made (the position of the filter's
/// random streams), and the members. Matrices are stored bit for bit (``PackedDoubles``), so a continued run
/// reproduces the uninterrupted one exactly, whatever the thread count.
///
/// A continuation must use the same model files, seed, tick, members, uncertain parameters and interventions, and
/// start at the saved instant (``check(_:)``); its scenario may change the end year and what is recorded.
public struct RunEndState: Codable, Sendable {
    /// The format this engine writes and reads; bumped when the layout changes.
    public static let currentFormat = "citytwin-end-state/1"
    /// The file's name in a run folder.
    public static let fileName = "end-state.json"

    public let format: String
    public let engine: String
    public let model: String
    public let modelHash: String
    public let scenario: String
    public let scenarioHash: String
    public let seed: UInt64
    public let startYear: Int
    public let endYear: Int
    /// The saved instant (decimal year).
    public let time: Double
    public let tick: String
    public let parameterPaths: [String]
    public let parameterSlots: Int
    public let indicatorSlots: Int
    public let interventions: [String]
    public let uncertain: [String]
    /// Assimilation analyses made so far (0 for a plain run).
    public let analyses: Int
    public let members: [MemberState]

    /// The end state of `members`, which ran `plan` to its end.
    public init(plan: ScenarioPlan, members: [MemberRun], analyses: Int = 0) {
        let problem = plan.problem
        format = Self.currentFormat
        engine = EngineVersion.current
        model = problem.model.name
        modelHash = Self.modelHash(problem.model)
        scenario = problem.scenario.name
        scenarioHash = SHA256.hex(Array(problem.scenarioFiles.map(\.sha256).joined(separator: "\n").utf8))
        seed = problem.scenario.seed
        startYear = problem.scenario.startYear
        endYear = problem.scenario.endYear
        time = members.first?.simulation.time ?? problem.clock.time(after: problem.clock.tickCount)
        tick = problem.scenario.tick.description
        parameterPaths = plan.parameters.paths
        parameterSlots = plan.baseParameters.count
        indicatorSlots = plan.indicators.count
        interventions = problem.scenario.interventions.map(\.name)
        uncertain = problem.scenario.ensemble.uncertain.map(\.path)
        self.analyses = analyses
        self.members = members.map { $0.savedState() }
    }

    /// SHA-256 of the model files' lines (``modelFileLines(_:)``).
    public static func modelHash(_ model: CityModel) -> String {
        SHA256.hex(Array(modelFileLines(model).joined(separator: "\n").utf8))
    }

    /// `<path inside the model folder> <sha256>` of every model file read, in reading order: what identifies a
    /// model's files wherever the folder lies (also hashed into ``RunIdentity``).
    public static func modelFileLines(_ model: CityModel) -> [String] {
        let directory = model.directory.hasSuffix("/") ? model.directory : model.directory + "/"
        return model.inputs.map { file in
            let path = file.path.hasPrefix(directory) ? String(file.path.dropFirst(directory.count)) : file.path
            return "\(path) \(file.sha256)"
        }
    }

    /// The year a continuation starts in: the saved instant.
    public var continuationYear: Int { Int(time.rounded()) }

    /// The JSON text (keys sorted, so equal states give equal files).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }

    /// Reads the end state of a run: `path` is the run folder (holding `end-state.json`) or the file itself.
    public static func load(_ path: String) throws -> RunEndState {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isFolder) else {
            throw InputErrors([InputError(SourceLocation(file: path), "no run folder or end-state file `\(path)`")])
        }
        let file = isFolder.boolValue ? URL(fileURLWithPath: path).appendingPathComponent(fileName).path : path
        guard let data = FileManager.default.contents(atPath: file) else {
            throw InputErrors([
                InputError(
                    SourceLocation(file: file), "the run folder has no \(fileName)",
                    hint: "runs written before end states were saved (or by `calibrate`/`sensitivity`) cannot be continued; run it again")
            ])
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        struct Header: Decodable { let format: String }
        guard let header = try? decoder.decode(Header.self, from: data) else {
            throw InputErrors([InputError(SourceLocation(file: file), "not a CityTwin end state (no `format` key in a JSON object)")])
        }
        guard header.format == currentFormat else {
            throw InputErrors([
                InputError(
                    SourceLocation(file: file), "the end state's format is `\(header.format)`; this engine reads `\(currentFormat)`",
                    hint: "re-run the earlier run with this engine")
            ])
        }
        do {
            return try decoder.decode(RunEndState.self, from: data)
        } catch {
            throw InputErrors([InputError(SourceLocation(file: file), "the end state cannot be read: \(error)")])
        }
    }

    /// Checks that `plan` can continue this state, reporting every difference at the scenario file.
    public func check(_ plan: ScenarioPlan) throws {
        let problem = plan.problem
        let at = SourceLocation(file: problem.scenario.file)
        var diagnostics = Diagnostics()
        func differ(_ what: String, saved: String, now: String, hint: String) {
            diagnostics.error(at, "\(what) differs from the saved run `\(scenario)`'s: saved \(saved), this scenario \(now)", hint: hint)
        }
        if modelHash != Self.modelHash(problem.model) {
            diagnostics.error(
                at, "the model files differ from those the saved run `\(scenario)` used (model \(model), hash \(modelHash.prefix(12)))",
                hint: "continue with the same model folder, unchanged; a changed model needs a run from its base year")
        }
        let start = problem.clock.time(after: 0)
        if abs(start - time) > 1e-9 {
            diagnostics.error(
                at, "the run starts at \(start) but the saved state is of \(time)",
                hint: "a continued run starts where the saved run ended: `start: \(continuationYear)`")
        }
        if tick != problem.scenario.tick.description {
            differ("the tick", saved: tick, now: problem.scenario.tick.description, hint: "keep the tick")
        }
        if seed != problem.scenario.seed {
            differ(
                "the seed", saved: "\(seed)", now: "\(problem.scenario.seed)",
                hint: "the members' random streams are keyed by the seed: use `seed: \(seed)`")
        }
        if members.count != plan.members {
            differ("the number of members", saved: "\(members.count)", now: "\(plan.members)", hint: "use `members: \(members.count)`")
        }
        let now = problem.scenario.ensemble.uncertain.map(\.path)
        if uncertain != now {
            differ(
                "the uncertain parameters", saved: "[\(uncertain.joined(separator: ", "))]", now: "[\(now.joined(separator: ", "))]",
                hint: "the members' draws are saved; keep the same `uncertain:` list")
        }
        let names = problem.scenario.interventions.map(\.name)
        if interventions != names {
            differ(
                "the interventions", saved: "[\(interventions.joined(separator: ", "))]", now: "[\(names.joined(separator: ", "))]",
                hint: "their states are saved in order; keep the same interventions (extend the earlier scenario)")
        }
        if parameterPaths != plan.parameters.paths || parameterSlots != plan.baseParameters.count
            || indicatorSlots != plan.indicators.count
        {
            diagnostics.error(
                at, "the model's parameters or indicators differ from the saved run's (a different `without:` or engine)",
                hint: "continue with the same model parts and engine")
        }
        try diagnostics.throwIfAny()
    }
}
