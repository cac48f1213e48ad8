public import LinearAlgebra

/// What the traffic model reports each tick.
///
/// Times are in the network's time unit (Sioux Falls: 0.01 h, read as minutes); VKT is vehicle × length unit per
/// assigned hour; VHT is vehicle-hours per assigned hour (Σ x·t / 60 with t in minutes).
public struct TrafficIndicators: Sendable, Hashable {
    public var linkVolume: [Double]
    /// Volume / capacity (0 on links without capacity).
    public var volumeCapacityRatio: [Double]
    /// Congested travel time t_a(x_a), without tolls or distance cost.
    public var linkTime: [Double]
    /// Σ_a x_a · length_a.
    public var vehicleKilometres: Double
    /// Σ_a x_a · t_a / 60.
    public var vehicleHours: Double
    /// Demand-weighted mean congested car trip time, Σ_od q_od τ_od / Σ_od q_od (off-diagonal).
    public var meanTripTime: Double
    /// Jobs reachable from each zone within the threshold (congested car time; the zone's own jobs included).
    public var jobAccessibility: [Double]

    public init(
        network: Network, flows: [Double], carVehicles: Matrix, timeSkim: Matrix, jobs: [Double],
        accessibilityMinutes: Double
    ) {
        linkVolume = flows
        volumeCapacityRatio = (0..<network.linkCount).map {
            network.links[$0].capacity > 0 ? flows[$0] / network.links[$0].capacity : 0
        }
        let times = (0..<network.linkCount).map { network.delay.time($0, flows[$0]) }
        linkTime = times
        vehicleKilometres = (0..<network.linkCount).reduce(0) { $0 + flows[$1] * network.links[$1].length }
        vehicleHours = (0..<network.linkCount).reduce(0) { $0 + flows[$1] * times[$1] } / 60
        let z = network.zoneCount
        var weighted = 0.0, trips = 0.0
        for j in 0..<z {
            for i in 0..<z where i != j && carVehicles[i, j] > 0 && timeSkim[i, j].isFinite {
                weighted += carVehicles[i, j] * timeSkim[i, j]
                trips += carVehicles[i, j]
            }
        }
        meanTripTime = trips > 0 ? weighted / trips : 0
        jobAccessibility = (0..<z).map { i in
            (0..<z).reduce(0) { sum, j in (i == j || timeSkim[i, j] <= accessibilityMinutes) ? sum + jobs[j] : sum }
        }
    }
}
