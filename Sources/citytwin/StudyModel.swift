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
