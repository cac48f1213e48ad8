public import CityTwinCore
public import Foundation
public import Scenario

/// Provenance of one run, written beside its forecast as manifest.json.
public struct RunManifest: Sendable, Codable, Hashable {
    public struct Scenario: Sendable, Codable, Hashable {
        public let name: String
        public let file: String
        /// The files it extends, nearest first.
        public let extends: [String]
        public let sha256: String
        /// Settings from the start, as written (`population.fertility_scale = 1.1`).
        public let parameters: [String]
        public let members: Int
        public let uncertain: [String: String]
    }

    public struct Model: Sendable, Codable, Hashable {
        public let name: String
        public let directory: String
        public let files: [InputFile]
    }

    /// The run's id (``RunIdentity``): equal inputs, equal id.
    public var runID: String?
    /// The version of the scenario's name in the archive (1, 2, …: each new id under a name is a new version).
    public var version: Int?
    /// What the run id hashes (``RunIdentity/canonical``).
    public var identity: String?
    public let engine: String
    public let engineVersion: String
    public let scenario: Scenario
    public let model: Model
    public let seed: UInt64
    public let startYear: Int
    public let endYear: Int
    public let tick: String
    /// SHA-256 over the scenario's and model's file hashes and the seed: equal inputs, equal hash.
    public let problemHash: String
    public let startedAt: String
    public let finishedAt: String
    public let wallSeconds: Double
    public let forecastRows: Int
    public let threads: Int
    /// Years in which a solver stopped before its target (``ConvergenceWarnings``); absent when there were none.
    public var warnings: [String]?

    public init(problem: SimulationProblem, startedAt: Date, finishedAt: Date, forecastRows: Int, threads: Int) {
        engine = "citytwin"
        engineVersion = EngineVersion.current
        let spec = problem.scenario
        scenario = Scenario(
            name: spec.name, file: spec.file, extends: Array(spec.files.dropFirst()), sha256: problem.scenarioFile.sha256,
            parameters: spec.parameters.map(\.text), members: spec.ensemble.members,
            uncertain: Dictionary(spec.ensemble.uncertain.map { ($0.path, $0.distribution.description) }, uniquingKeysWith: { $1 }))
        model = Model(name: problem.model.name, directory: problem.model.directory, files: problem.model.inputs)
        seed = spec.seed
        startYear = spec.startYear
        endYear = spec.endYear
        tick = spec.tick.description
        let identity =
            (problem.scenarioFiles.map(\.sha256) + problem.model.inputs.map(\.sha256)
            + ["seed=\(spec.seed)"])
            .joined(separator: "\n")
        problemHash = SHA256.hex(Array(identity.utf8))
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        self.startedAt = formatter.string(from: startedAt)
        self.finishedAt = formatter.string(from: finishedAt)
        wallSeconds = finishedAt.timeIntervalSince(startedAt)
        self.forecastRows = forecastRows
        self.threads = threads
    }

    /// Pretty JSON with sorted keys (stable diffs).
    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        return try encoder.encode(self)
    }
}
