import Foundation
public import LinearAlgebra

/// A road that crosses the model's cordon: where it meets the network and how much traffic it carries there.
public struct ExternalStation: Sendable, Hashable {
    /// The station's id (`i29_south`), by which scenario selectors name it (`traffic.external_scale[station i29_south]`).
    public var name: String
    /// Index of the zone whose centroid the road enters the network at.
    public var zone: Int
    /// Vehicles a day crossing the cordon at the station in the base year, both directions together (an annual average
    /// daily traffic count).
    public var dailyVehicles: Double
    /// Share of those vehicles passing through the city to another station (external–external); the rest start or end
    /// in the city (external–internal).
    public var throughShare: Double
    /// Growth of the station's traffic per year (0.02 = 2 % a year, compounded from the base year).
    public var annualGrowth: Double
    /// A factor on the station's traffic in every year (1 = the count; the lever `traffic.external_scale`).
    public var scale = 1.0

    public init(name: String, zone: Int, dailyVehicles: Double, throughShare: Double, annualGrowth: Double = 0) {
        self.name = name
        self.zone = zone
        self.dailyVehicles = dailyVehicles
        self.throughShare = throughShare
        self.annualGrowth = annualGrowth
    }

    /// Two-way daily vehicles in a year `years` after the base year: scale · V · (1 + g)^years.
    public func dailyVehicles(yearsAfterBase years: Double) -> Double { scale * dailyVehicles * pow(1 + annualGrowth, years) }
}

/// The peak-hour vehicles that cross the cordon, by origin and destination zone, split by kind.
public struct ExternalDemand: Sendable {
    /// Through (external–external) vehicles between the stations' zones in the peak hour.
    public var through: Matrix
    /// External–internal and internal–external vehicles in the peak hour (rows: origins), (1 − θ_s) V_s(t) at each
    /// station.
    public var externalInternal: Matrix

    /// All external vehicles: through plus external–internal.
    public var total: Matrix {
        var sum = through
        for k in sum.storage.indices { sum.storage[k] += externalInternal.storage[k] }
        return sum
    }
}

/// Traffic that crosses the city's boundary: through trips between external stations and trips between a station and
/// the zones of the city, from two-way daily counts at the cordon (the external-station method of urban travel
/// models; NCHRP Report 716, *Travel Demand Forecasting: Parameters and Techniques*, 2012, §4.9).
///
/// For station s with two-way daily vehicles V_s (grown by its annual rate) and through share θ_s:
///
///     through ends      T_s = θ_s V_s(0), at the base year's counts;
///                       daily through vehicles s → r:  E_sr = a_s a_r w_sr,  Σ_r E_sr = T_s / 2
///                       (half of a station's through vehicles leave the city by it, half enter by it); w_sr = 1
///                       unless s and r meet the network at the same zone (a through trip that touches no link is not
///                       the city's traffic); a by symmetric balancing a_s ← √(a_s · (T_s / 2) / Σ_r w_sr a_r)
///                       (Sinkhorn 1967, for a symmetric matrix), once, when the stations are loaded
///     in a later year   E_sr · √(G_s G_r),  G_s = V_s(t) / V_s(0)  (growth and the `scale` lever), so the table
///                       stays symmetric and balanced whatever the stations' growth rates: a station's through ends
///                       grow with the geometric mean of its own and its partners' growth (an approximation of
///                       Fratar's method)
///     external–internal X_s = (1 − θ_s) V_s;  daily vehicles s → j:  X_s / 2 · A_j f(c_gj) / Σ_k A_k f(c_gk)
///                       (singly constrained gravity from the station's zone g on the car's generalized cost c with
///                       the model's deterrence f, attractions A of trip generation), the same back j → s
///
/// and the peak hour carries the model's `peak_hour_share` of each (the same share in both directions: ASSUMED).
public struct ExternalTraffic: Sendable, Hashable {
    public private(set) var stations: [ExternalStation]
    /// Daily through vehicles between stations at the base-year counts (stations × stations), balanced once: the
    /// table depends on the counts and through shares only, never on the year or the levers.
    let baseThrough: [[Double]]

    /// No external traffic.
    public init() {
        stations = []
        baseThrough = []
    }

    /// - Throws: ``TrafficError/infeasible(_:)`` when the through vehicles cannot be paired between the stations.
    public init(stations: [ExternalStation]) throws {
        self.stations = stations
        baseThrough = try Self.throughVehicles(stations: stations, ends: stations.map { $0.throughShare * $0.dailyVehicles })
    }

    public var isEmpty: Bool { stations.isEmpty }

    /// Sets the factor on station `s`'s traffic (the lever `traffic.external_scale`).
    public mutating func setScale(_ scale: Double, ofStation s: Int) { stations[s].scale = scale }

    /// The peak-hour external vehicles `yearsAfterBase` years after the base year on the car's generalized cost skim.
    /// - Throws: ``TrafficError/infeasible(_:)`` when a station reaches no attracting zone.
    public func peakHourVehicles(
        yearsAfterBase years: Double, attractions: [Double], generalizedCost: Matrix, deterrence: Deterrence, costFloor: Double,
        peakHourShare: Double
    ) throws -> ExternalDemand {
        let z = attractions.count
        var through = Matrix(rows: z, columns: z)
        var externalInternal = Matrix(rows: z, columns: z)
        let volumes = stations.map { $0.dailyVehicles(yearsAfterBase: years) }
        let growth = zip(stations, volumes).map { $0.dailyVehicles > 0 ? $1 / $0.dailyVehicles : 1 }
        for (s, row) in baseThrough.enumerated() {
            for (r, vehicles) in row.enumerated() where vehicles > 0 {
                through[stations[s].zone, stations[r].zone] += vehicles * (growth[s] * growth[r]).squareRoot() * peakHourShare
            }
        }
        for (s, station) in stations.enumerated() {
            let each = (1 - station.throughShare) * volumes[s] / 2 * peakHourShare
            guard each > 0 else { continue }
            let g = station.zone
            let weights = (0..<z).map { attractions[$0] * deterrence.value(generalizedCost[g, $0], costFloor: costFloor) }
            let total = weights.reduce(0, +)
            guard total > 0 else {
                throw TrafficError.infeasible("external station `\(station.name)` reaches no zone that attracts trips")
            }
            for j in 0..<z where weights[j] > 0 {
                externalInternal[g, j] += each * weights[j] / total
                externalInternal[j, g] += each * weights[j] / total
            }
        }
        return ExternalDemand(through: through, externalInternal: externalInternal)
    }

    /// Daily through vehicles between stations (stations × stations, symmetric, zero between stations at the same
    /// zone) whose row sums are half of each station's through ends.
    static func throughVehicles(stations: [ExternalStation], ends: [Double]) throws -> [[Double]] {
        let n = stations.count
        let targets = ends.map { $0 / 2 }
        func linked(_ s: Int, _ r: Int) -> Bool { s != r && stations[s].zone != stations[r].zone }
        // A through vehicle leaves by another station: no station can hold more through ends than those it links to.
        for s in 0..<n where targets[s] > 0 {
            let others = (0..<n).reduce(0) { linked(s, $1) ? $0 + ends[$1] : $0 }
            guard ends[s] <= others else {
                throw TrafficError.infeasible(
                    "the through shares cannot be balanced: external station `\(stations[s].name)` has \(Int(ends[s].rounded())) "
                        + "through vehicles a day, the other stations (at other zones) \(Int(others.rounded())) together")
            }
        }
        var a = targets.map { $0 > 0 ? 1.0 : 0 }
        var worst = Double.infinity
        balancing: for _ in 0..<10_000 {
            for s in 0..<n where targets[s] > 0 {
                let reach = (0..<n).reduce(0) { linked(s, $1) ? $0 + a[$1] : $0 }
                guard reach > 0 else { break balancing }
                a[s] = (a[s] * targets[s] / reach).squareRoot()
            }
            worst = 0
            for s in 0..<n where targets[s] > 0 {
                let row = (0..<n).reduce(0) { linked(s, $1) ? $0 + a[s] * a[$1] : $0 }
                let error = abs(row - targets[s]) / targets[s]
                worst = error.isFinite ? max(worst, error) : .infinity
            }
            if worst <= 1e-12 { break }
        }
        guard worst <= 1e-9 else {
            throw TrafficError.infeasible(
                "the through shares cannot be balanced (row error \(worst)): the through vehicles of the stations cannot be "
                    + "paired so that each leaves by another station")
        }
        return (0..<n).map { s in (0..<n).map { r in linked(s, r) ? a[s] * a[r] : 0 } }
    }
}
