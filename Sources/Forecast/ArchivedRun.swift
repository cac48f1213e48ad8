public import CityTwinCore
public import Foundation
public import Scenario

/// Runs a scenario into the archive, or reuses the archived run with the same id.
///
/// - Same id already archived: nothing runs; the archived run is reused (and its folder re-exported
///   if the folder on disk holds another run).
/// - New id under a name already archived: a new version; the earlier versions stay in the archive,
///   and an earlier run folder `<out>/<name>` is kept as `<out>/<name>@v<its version>`.
/// The run folder is always exported from what was archived, so the two cannot disagree.
public enum ArchivedRun {
    public struct Outcome: Sendable {
        public let id: String
        public let name: String
        public let version: Int
        /// True when the run was already archived and nothing ran.
        public let reused: Bool
        /// The ensemble's result when it ran.
        public let result: EnsembleResult?
        public let folder: URL
        /// Earlier versions of the same name (kept).
        public let earlier: [RunArchive.Summary]
        /// Where the earlier run folder was moved, if one was.
        public let keptFolder: URL?
    }

    /// Key indicators: every declared indicator with a `better` direction and a city value (not an
    /// element of a dimension) — what comparisons and rankings use by default.
    public static func keyIndicators(_ catalog: IndicatorCatalog) -> [String] {
        catalog.descriptors.filter { $0.better != .neither && $0.hasCityValue }.map(\.path)
    }

    /// The slots archived member by member: key indicators at city level, plus every slot the
    /// scenario's `record:` names (all its zones and elements), when it has one.
    public static func archivedSlots(_ plan: ScenarioPlan) -> [Int] {
        var slots = keyIndicators(plan.indicators).compactMap { plan.indicators.slot($0) }
        if plan.problem.scenario.record != nil { slots += plan.recorded }
        var seen: Set<Int> = []
        return slots.filter { seen.insert($0).inserted }
    }

    /// Runs `plan` (or reuses it) into `archive`, exporting the run folder to `<out>/<name>`; with `from`,
    /// the members continue that end state (part of the run's identity).
    /// - Parameter execution: where the members run (this process, or the ranks of an MPI job).
    public static func run(
        _ plan: ScenarioPlan, archive: RunArchive, out: String, threads: Int, memberOutput: Bool, from saved: RunEndState? = nil,
        execution: any EnsembleExecution = LocalEnsemble(), progress: ((Int, Int) -> Void)? = nil,
        archiveProgress: ((Int, Int) -> Void)? = nil
    ) throws -> Outcome {
        let problem = plan.problem
        let name = problem.scenario.name
        let continued = try saved.map { SHA256.hex(try $0.json()) }
        let identity = RunIdentity(problem: problem, memberOutput: memberOutput, continued: continued)
        let destination = URL(fileURLWithPath: out).appendingPathComponent(name)
        let earlier = try archive.list().filter { $0.name == name && $0.id != identity.id }
        if let existing = try archive.summary(identity.id) {
            if folderRunID(destination) != identity.id {
                let kept = try keepFolder(destination, archive: archive)
                try archive.exportFolder(identity.id, to: destination)
                return Outcome(
                    id: identity.id, name: name, version: existing.version, reused: true, result: nil,
                    folder: destination, earlier: earlier, keptFolder: kept)
            }
            return Outcome(
                id: identity.id, name: name, version: existing.version, reused: true, result: nil,
                folder: destination, earlier: earlier, keptFolder: nil)
        }
        let started = Date()
        let slots = archivedSlots(plan)
        let result = try execution.run(
            plan, threads: threads, memberOutput: memberOutput, capture: slots, from: saved, progress: progress)
        let finished = Date()
        let rows = result.table.rows.count
        let warnings = ConvergenceWarnings.messages(result.table)
        let manifest: @Sendable (Int) throws -> Data = { version in
            var manifest = RunManifest(problem: problem, startedAt: started, finishedAt: finished, forecastRows: rows, threads: threads)
            manifest.runID = identity.id
            manifest.version = version
            manifest.identity = identity.canonical
            manifest.warnings = warnings.isEmpty ? nil : warnings
            return try manifest.json()
        }
        let catalog = plan.indicators
        let series = slots.map { slot in
            let entry = catalog.entries[slot]
            let descriptor = catalog.descriptors[entry.descriptor]
            return RunArchive.Series(
                variable: entry.variable, region: regionName(entry.region, problem.model), unit: entry.unit,
                kind: descriptor.kind == .stock ? "stock" : "flow", better: descriptor.better.rawValue,
                aggregation: descriptor.aggregation.rawValue)
        }
        let record = RunArchive.Record(
            id: identity.id, name: name, model: problem.model.name, members: plan.members, startYear: problem.scenario.startYear,
            endYear: problem.scenario.endYear, manifest: manifest, table: result.table, levels: result.levels,
            alertsJSON: result.alerts.isEmpty ? nil : try AlertReport.json(result.alerts), alerts: result.alerts,
            events: result.events, triggers: result.triggers, series: series, years: result.members.years,
            values: result.members.values, endState: try result.endState?.json())
        let version = try archive.store(record, progress: archiveProgress)
        let kept = try keepFolder(destination, archive: archive)
        try archive.exportFolder(identity.id, to: destination)
        return Outcome(
            id: identity.id, name: name, version: version, reused: false, result: result, folder: destination,
            earlier: earlier, keptFolder: kept)
    }

    /// The region column of a slot: the model's name for the city, else the zone id.
    public static func regionName(_ region: Region, _ model: CityModel) -> String {
        switch region {
        case .city: model.name
        case .zone(let index): model.zones[index].id
        }
    }

    /// The run id in a run folder's manifest, if any.
    public static func folderRunID(_ folder: URL) -> String? {
        guard let data = try? Data(contentsOf: folder.appendingPathComponent("manifest.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
        else { return nil }
        return object["run_id"] as? String
    }

    /// Moves an existing run folder of an archived earlier version aside (`name@vN`), so that a new
    /// version never overwrites it silently. Folders of runs not in the archive are replaced as before.
    private static func keepFolder(_ folder: URL, archive: RunArchive) throws -> URL? {
        guard let id = folderRunID(folder), let summary = try archive.summary(id) else { return nil }
        let kept = folder.deletingLastPathComponent().appendingPathComponent("\(folder.lastPathComponent)@v\(summary.version)")
        guard !FileManager.default.fileExists(atPath: kept.path) else { return nil }
        try FileManager.default.moveItem(at: folder, to: kept)
        return kept
    }
}
