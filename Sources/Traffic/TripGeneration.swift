/// Trip rates per resident and per job (daily person trips, all modes).
///
/// `personTripsPerResident` is the daily person-trip rate of a household travel survey (the sample city uses the
/// 2017 US NHTS, see models/sioux-falls/README.md); attractions are weights that share those trips among
/// destinations (jobs, and residents for shopping, schools and visits). They live in the model's `traffic:` section.
public struct TripRates: Sendable, Hashable {
    public var personTripsPerResident: Double
    public var attractionsPerJob: Double
    public var attractionsPerResident: Double

    public init(personTripsPerResident: Double = 1.3, attractionsPerJob: Double = 1.0, attractionsPerResident: Double = 0.3) {
        self.personTripsPerResident = personTripsPerResident
        self.attractionsPerJob = attractionsPerJob
        self.attractionsPerResident = attractionsPerResident
    }
}

/// Trip generation by linear rates:
///
///     O_i = ρ · pop_i,    D_j = (ρ_J · jobs_j + ρ_R · pop_j) · Σ O / Σ (ρ_J · jobs + ρ_R · pop)
///
/// so that Σ O = ρ · population exactly. Attractions are scaled to the production total, as a doubly-constrained
/// distribution needs (productions are the better-measured end: they come from residents).
/// - Complexity: O(Z).
public enum TripGeneration {
    public static func generate(
        population: [Double], jobs: [Double], rates: TripRates
    ) -> (productions: [Double], attractions: [Double]) {
        precondition(population.count == jobs.count, "population and jobs by zone differ in length")
        let productions = population.map { max(0, $0) * rates.personTripsPerResident }
        let raw = zip(population, jobs).map { max(0, $1) * rates.attractionsPerJob + max(0, $0) * rates.attractionsPerResident }
        let total = productions.reduce(0, +), rawTotal = raw.reduce(0, +)
        let attractions = rawTotal > 0 ? raw.map { $0 * total / rawTotal } : raw
        return (productions, attractions)
    }
}
