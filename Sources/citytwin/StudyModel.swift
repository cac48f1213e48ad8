import Forecast
import LinearAlgebra
import Research

/// A study file loaded once on a worker rank and kept for every batch of model runs (a failure to load
/// it is kept too, and reported on every batch).
final class StudyModel<Study> {
    private let load: () throws -> Study
    private var loaded: Result<Study, any Error>?

    init(_ load: @escaping () throws -> Study) { self.load = load }

    func study() throws -> Study {
        if let loaded { return try loaded.get() }
        let result = Result { try load() }
        loaded = result
        return try result.get()
    }
}

extension StudyModel {
    /// A worker rank's handler of ``WorkerOrder/evaluate``: the study is loaded at once (while rank 0 loads
    /// its own) and kept; each order's points are computed with `model(study)` on `threads(study)` threads.
    /// One handler for every study whose runs are dealt (calibration, sensitivity).
    func evaluationHandlers(
        group: any ProcessGroup, threads: @escaping (Study) -> Int,
        model: @escaping (Study) -> @Sendable ([Double]) -> [Double]
    ) -> [WorkerOrder: ([Int], [Double], String) throws -> Void] {
        _ = try? study()
        return [
            .evaluate: { arguments, doubles, _ in
                BLASInfo.setThreadCount(1)
                let loaded = try? self.study()
                try DistributedEvaluation.serve(
                    group: group, threads: loaded.map(threads) ?? 1, arguments: arguments, doubles: doubles,
                    model: { model(try self.study()) })
            }
        ]
    }
}
