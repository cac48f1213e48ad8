public import CityTwinCore

/// The population module carries one value between ticks outside the state: the jobs by zone it read on its
/// first step, against which job growth steers internal migrants (``JobAttraction``). A continued run takes
/// it back, so migration after the continuation is what the uninterrupted run gives.
extension PopulationModule: ModuleMemory {
    public var memory: [String: [Double]] { baseJobs.map { ["base_jobs": $0] } ?? [:] }

    /// Same model, so the same zones: the saved fields' shapes are checked before (``SimulationSnapshot``).
    public mutating func restore(memory: [String: [Double]]) throws {
        if let jobs = memory["base_jobs"] { baseJobs = jobs }
    }
}
