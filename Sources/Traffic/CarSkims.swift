import Foundation
public import LinearAlgebra

/// Zone-to-zone car skims along the least generalized-cost paths: generalized cost, travel time, toll and distance,
/// each its own matrix, so that each enters mode choice once.
///
/// On a path P the generalized cost in minutes is
///
///     g(P) = Σ_{a∈P} t_a + (60 / VOT) · Σ_{a∈P} toll_a + (60 / VOT) · k · Σ_{a∈P} ℓ_a
///
/// (t in minutes, toll in money, ℓ in km, k the car running cost per km, VOT the value of time per hour), so
/// `generalized = time + 60 · (toll + k · distance) / VOT` entry by entry — the same sum that mode choice forms from
/// `time` and the money `toll + k · distance`. A toll X on the path therefore adds exactly 60 X / VOT minutes to the
/// route cost and to the car's mode-choice cost.
///
/// **Intrazonal entries.** A zone's trips to itself use no network link; their cost is set to half the cost to the
/// zone's nearest neighbour (least generalized cost), attribute by attribute — the usual nearest-neighbour rule
/// (Ortúzar & Willumsen, *Modelling Transport*, 4th ed., 2011, §5.2). A zone without a reachable neighbour keeps 0.
public struct CarSkims: Sendable, Hashable {
    /// Least generalized cost, minutes.
    public var generalized: Matrix
    /// Travel time along that path, minutes.
    public var time: Matrix
    /// Tolls along that path, money.
    public var toll: Matrix
    /// Length of that path, km.
    public var distance: Matrix

    public init(generalized: Matrix, time: Matrix, toll: Matrix, distance: Matrix) {
        self.generalized = generalized
        self.time = time
        self.toll = toll
        self.distance = distance
    }

    /// The trip-weighted mean of a skim, Σ_od T_od s_od / Σ_od T_od (0 without trips); pairs without a path (an
    /// infinite skim value) are left out. With the time skim it is the mean trip time, with the distance skim the
    /// mean trip length.
    public static func tripWeightedMean(of skim: Matrix, trips: Matrix) -> Double {
        precondition(trips.rows == skim.rows && trips.columns == skim.columns, "shapes differ")
        var weighted = 0.0, total = 0.0
        for k in trips.storage.indices where skim.storage[k].isFinite && trips.storage[k] != 0 {
            weighted += trips.storage[k] * skim.storage[k]
            total += trips.storage[k]
        }
        return total > 0 ? weighted / total : 0
    }

    /// The skims of `network` at link flows `flows` (BPR times at those flows), intrazonal entries filled.
    public static func at(_ network: Network, flows: [Double], threads: Int?) -> CarSkims {
        let times = (0..<network.linkCount).map { network.delay.time($0, flows[$0]) }
        let costs = (0..<network.linkCount).map { times[$0] + network.delay.fixedCost[$0] }
        let (cost, attributes) = ShortestPaths.skims(
            network, costs: costs, attributes: [times, network.links.map(\.toll), network.links.map(\.length)], threads: threads)
        var skims = CarSkims(generalized: cost, time: attributes[0], toll: attributes[1], distance: attributes[2])
        skims.fillIntrazonal()
        return skims
    }

    /// Sets each zone's diagonal entries to half those of its least-cost neighbour.
    mutating func fillIntrazonal() {
        let z = generalized.rows
        for i in 0..<z {
            var nearest = -1
            for j in 0..<z where j != i && generalized[i, j].isFinite {
                if nearest < 0 || generalized[i, j] < generalized[i, nearest] { nearest = j }
            }
            guard nearest >= 0 else {
                for m in [\CarSkims.generalized, \.time, \.toll, \.distance] { self[keyPath: m][i, i] = 0 }
                continue
            }
            for m in [\CarSkims.generalized, \.time, \.toll, \.distance] { self[keyPath: m][i, i] = 0.5 * self[keyPath: m][i, nearest] }
        }
    }

    /// Moves every matrix a step `weight` toward `other` (method of successive averages) where both are finite, and
    /// returns the relative change of the generalized skim, ‖Δg‖ / ‖g‖.
    mutating func average(toward other: CarSkims, weight: Double) -> Double {
        var num = 0.0, den = 0.0
        for k in 0..<generalized.storage.count where other.generalized.storage[k].isFinite && generalized.storage[k].isFinite {
            let step = (other.generalized.storage[k] - generalized.storage[k]) * weight
            num += step * step
            den += generalized.storage[k] * generalized.storage[k]
            generalized.storage[k] += step
            time.storage[k] += (other.time.storage[k] - time.storage[k]) * weight
            toll.storage[k] += (other.toll.storage[k] - toll.storage[k]) * weight
            distance.storage[k] += (other.distance.storage[k] - distance.storage[k]) * weight
        }
        return den > 0 ? (num / den).squareRoot() : 0
    }
}
