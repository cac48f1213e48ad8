/// The indicators a run sampled: one row per observation instant, the first being the initial state.
public struct Recording: Sendable, Hashable {
    /// One observation.
    public struct Observation: Sendable, Hashable {
        /// Completed ticks at this instant (0 = initial state).
        public let tick: Int
        /// Decimal year of the instant.
        public let time: Double
        public let samples: [IndicatorSample]
    }

    public private(set) var observations: [Observation] = []

    public init() {}

    mutating func append(tick: Int, time: Double, samples: [IndicatorSample]) {
        observations.append(Observation(tick: tick, time: time, samples: samples))
    }

    /// Drops the latest observation (to record the same instant again after the state was adjusted).
    mutating func removeLast() { observations.removeLast() }

    /// The value of a variable in a region at each instant where it was recorded.
    public func series(_ variable: String, region: Region = .city) -> [(time: Double, value: Double)] {
        observations.compactMap { observation in
            observation.samples.first { $0.variable == variable && $0.region == region }
                .map { (observation.time, $0.value) }
        }
    }
}
