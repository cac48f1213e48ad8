/// Trip rates per resident and per job (person trips per day).
///
/// Defaults are illustrative of a mid-sized US city's daily person trips by purpose: about 1.3 trip ends produced
/// per resident and 1.0 attracted per job plus 0.3 per resident (shopping, schools, visits); calibrate them to a
/// household survey. They live in the model's `traffic:` section.
public struct TripRates: Sendable, Hashable {
    public var productionsPerResident: Double
    public var attractionsPerJob: Double
    public var attractionsPerResident: Double

    public init(productionsPerResident: Double = 1.3, attractionsPerJob: Double = 1.0, attractionsPerResident: Double = 0.3) {
        self.productionsPerResident = productionsPerResident
        self.attractionsPerJob = attractionsPerJob
        self.attractionsPerResident = attractionsPerResident
    }
}

/// Trip generation by cross-classification-free linear rates:
///
///     O_i = ρ_P · pop_i,    D_j = (ρ_J · jobs_j + ρ_R · pop_j) · Σ O / Σ (ρ_J · jobs + ρ_R · pop)
///
/// Attractions are scaled to the production total, as a doubly-constrained distribution needs (productions are the
/// better-measured end: they come from residents).
/// - Complexity: O(Z).
public enum TripGeneration {
    public static func generate(
        population: [Double], jobs: [Double], rates: TripRates
    ) -> (productions: [Double], attractions: [Double]) {
        precondition(population.count == jobs.count, "population and jobs by zone differ in length")
        let productions = population.map { max(0, $0) * rates.productionsPerResident }
        let raw = zip(population, jobs).map { max(0, $1) * rates.attractionsPerJob + max(0, $0) * rates.attractionsPerResident }
        let total = productions.reduce(0, +), rawTotal = raw.reduce(0, +)
        let attractions = rawTotal > 0 ? raw.map { $0 * total / rawTotal } : raw
        return (productions, attractions)
    }
}
