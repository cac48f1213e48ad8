public import LinearAlgebra

/// Distance bands of a trip-length distribution, in miles as the U.S. travel-survey tables publish them, and the
/// shares of a trip matrix in each band.
///
/// For trips T_od with network lengths d_od (km) and band edges 0 = e_0 < e_1 < … < e_{n−1} < e_n = ∞ (miles,
/// converted with 1 mile = 1.609344 km), band k holds the trips with e_k ≤ d_od / 1.609344 < e_{k+1}, and
///
///     share_k = Σ_{od in band k} T_od / Σ_od T_od        (0 in every band when there are no trips)
///
/// The shares sum to 1. Lengths are those of the distance skim (``CarSkims/distance``): the length of the least
/// generalized-cost path at the assigned flows. **Intrazonal trips** (o = d) use no link; their length is the skim's
/// diagonal, half the distance to the zone's least-cost neighbour (the nearest-neighbour rule of ``CarSkims``, the
/// same rule the free-flow time skim uses for times; Ortúzar & Willumsen, *Modelling Transport*, 4th ed., 2011,
/// §5.2). A pair without a path (infinite length) is left out of every band and of the total.
public struct TripLengthBands: Sendable, Hashable {
    /// Kilometres per international mile.
    public static let kilometresPerMile = 1.609344

    /// The bands' element names (selector items: letters, digits and `_`).
    public let names: [String]
    /// Upper edges of every band but the last (open) one, miles, increasing.
    public let upperEdgesMiles: [Double]

    /// `names.count == upperEdgesMiles.count + 1`; edges positive and increasing.
    public init(names: [String], upperEdgesMiles: [Double]) {
        precondition(names.count == upperEdgesMiles.count + 1, "one name per band: edges + 1")
        precondition(zip(upperEdgesMiles, upperEdgesMiles.dropFirst()).allSatisfy { $0 < $1 }, "edges must increase")
        precondition(upperEdgesMiles.allSatisfy { $0 > 0 }, "edges must be positive")
        self.names = names
        self.upperEdgesMiles = upperEdgesMiles
    }

    /// Under ½ mile, ½–1 mile, 1–3 miles, 3 miles and over: the bands of the published NHTS 2009 shares of short
    /// trips (Litman, *Short and Sweet: Analysis of Shorter Trips Using National Personal Travel Survey Data*,
    /// Victoria Transport Policy Institute, 2011: 10 % of trips half a mile or less, 19 % a mile or less, 41 % three
    /// miles or less).
    public static let nhtsShortTrips = TripLengthBands(
        names: ["under_half_mile", "half_to_one_mile", "one_to_three_miles", "over_three_miles"],
        upperEdgesMiles: [0.5, 1, 3])

    /// The band of a length in km (the last band for lengths at or above the last edge).
    public func band(ofKilometres kilometres: Double) -> Int {
        let miles = kilometres / Self.kilometresPerMile
        return upperEdgesMiles.firstIndex { miles < $0 } ?? upperEdgesMiles.count
    }

    /// The share of `trips` in each band, by the lengths `kilometres` (same shape).
    public func shares(of trips: Matrix, kilometres: Matrix) -> [Double] {
        precondition(trips.rows == kilometres.rows && trips.columns == kilometres.columns, "shapes differ")
        var totals = [Double](repeating: 0, count: names.count)
        for k in trips.storage.indices where kilometres.storage[k].isFinite && trips.storage[k] != 0 {
            totals[band(ofKilometres: kilometres.storage[k])] += trips.storage[k]
        }
        let sum = totals.reduce(0, +)
        return sum > 0 ? totals.map { $0 / sum } : totals
    }
}
