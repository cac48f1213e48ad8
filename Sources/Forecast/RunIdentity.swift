public import CityTwinCore
public import Scenario

/// The identity of a run: a hash of everything that decides its forecast, so that the same inputs give
/// the same id (and the same forecast, byte for byte) and any change of input gives a new id.
///
/// The id is the first 16 hex digits (64 bits) of the SHA-256 of, one per line:
///
///     citytwin-run/1
///     engine <version>
///     scenario <sha256 of each file of the resolved scenario: the file, then those it extends>
///     model <path inside the model folder> <sha256>     (every model file read, in reading order)
///     seed <seed>
///     member-output <true|false>
///     from <sha256 of the end state continued>      (only for a continued run, `--from`)
///
/// The scenario after `extends` is wholly determined by the contents of the files in its chain, so
/// hashing those contents hashes the resolved scenario; files are identified by content, not by where
/// they lie, so a copied scenario or model folder keeps its id. The thread count is left out: the
/// output does not depend on it. 64 bits make an accidental collision among even a million archived
/// runs about 1 in 10⁸ (birthday bound n²/2⁶⁵).
public struct RunIdentity: Sendable, Hashable, CustomStringConvertible {
    public let id: String
    /// The text that was hashed, kept in the manifest for audit.
    public let canonical: String

    /// - Parameter engineVersion: the engine's version (tests vary it).
    /// - Parameter continued: the SHA-256 of the end state a continued run starts from (its `end-state.json`).
    public init(
        problem: SimulationProblem, memberOutput: Bool, engineVersion: String = EngineVersion.current, continued: String? = nil
    ) {
        var lines = ["citytwin-run/1", "engine \(engineVersion)"]
        lines += problem.scenarioFiles.map { "scenario \($0.sha256)" }
        lines += RunEndState.modelFileLines(problem.model).map { "model \($0)" }
        lines.append("seed \(problem.scenario.seed)")
        lines.append("member-output \(memberOutput)")
        if let continued { lines.append("from \(continued)") }
        canonical = lines.joined(separator: "\n")
        id = String(SHA256.hex(Array(canonical.utf8)).prefix(16))
    }

    public var description: String { id }
}
