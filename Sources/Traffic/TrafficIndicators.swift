public import LinearAlgebra

/// What the traffic model reports each tick, for the assigned peak hour (times in minutes, lengths in km).
///
/// With link flows x_a, congested times t_a(x_a), lengths ℓ_a and tolls τ_a, and intrazonal car trips q_ii at the
/// intrazonal skims (``CarSkims``):
///
///     VKT = Σ_a x_a ℓ_a + Σ_i q_ii d_ii                  (vehicle-km in the peak hour)
///     VHT = (Σ_a x_a t_a + Σ_i q_ii t_ii) / 60           (vehicle-hours in the peak hour)
///     trips = Σ_od q_od                                   (car vehicle trips, intrazonal included)
///     mean trip time = 60 · VHT / trips                   (minutes; exactly the demand-weighted mean of the times
///                                                          of the paths used, whatever the tolls)
///     toll revenue = Σ_a x_a τ_a                          (money in the peak hour)
///     mean trip length = VKT / trips                      (km; the demand-weighted mean length of the paths used)
///     door-to-door time = Σ_od r_od t_od / Σ_od r_od + terminal time
///                                                         (minutes; the residents' car trips r_od at the time skim
///                                                          t_od of the assigned flows, plus access, egress and
///                                                          parking at both ends, a declared figure per trip)
///
/// The demand q_od is everything assigned: the residents' car trips r_od, trucks on internal trips and the external
/// traffic (through and external–internal vehicles, ``ExternalTraffic``), so VKT, VHT and the link volumes are the traffic on the city's
/// roads; the door-to-door time and the trip-length distributions describe the residents' trips only.
///
/// The trip-length distributions (``TripLengthBands``) are the shares of the residents' peak-hour car vehicle trips and of
/// the day's person trips of all modes by band of the distance skim d_od at the assigned flows (intrazonal trips at
/// the skim's diagonal, half the distance to the zone's least-cost neighbour). The skim's length is that of the least
/// generalized-cost path, so the car distribution's mean can differ from VKT / trips where equilibrium flows split
/// between paths of equal cost and unequal length.
///
/// Job accessibility counts the jobs of every zone reachable within the threshold: `jobAccessibility` on the
/// generalized cost (time + tolls and running cost through the value of time, the cost travellers weigh),
/// `jobAccessibilityByTime` on congested time alone; a zone's own jobs always count.
public struct TrafficIndicators: Sendable, Hashable {
    public var linkVolume: [Double]
    /// Volume / capacity (0 on links without capacity).
    public var volumeCapacityRatio: [Double]
    /// Congested travel time t_a(x_a), minutes, without tolls or distance cost.
    public var linkTime: [Double]
    /// Vehicle-km in the peak hour.
    public var vehicleKilometres: Double
    /// Vehicle-hours in the peak hour.
    public var vehicleHours: Double
    /// Vehicle trips assigned in the peak hour (residents' car trips, trucks on internal trips and external traffic).
    public var carTrips: Double
    /// The residents' car vehicle trips in the peak hour.
    public var residentCarTrips: Double
    /// Trucks on the city's internal trips in the peak hour.
    public var truckTrips: Double
    /// Vehicles crossing the cordon in the peak hour (through and external–internal trips).
    public var externalTrips: Double
    /// Through vehicles in the peak hour (they cross the cordon twice and are counted once).
    public var throughTrips: Double
    /// 60 · VHT / trips, minutes.
    public var meanTripTime: Double
    /// VKT / trips, km.
    public var meanTripLength: Double
    /// The residents' mean car trip time at the time skim plus the terminal time per trip, minutes.
    public var meanDoorToDoorTime: Double
    /// Share of the residents' peak-hour car vehicle trips in each distance band (the initializer's `bands`).
    public var tripLengthShares: [Double]
    /// Share of the day's person trips (all modes) in each distance band (zeros when no person trips were given).
    public var personTripLengthShares: [Double]
    /// Tolls paid in the peak hour, money.
    public var tollRevenue: Double
    /// Jobs reachable within the threshold in generalized minutes, by zone.
    public var jobAccessibility: [Double]
    /// Jobs reachable within the threshold in minutes of congested time, by zone.
    public var jobAccessibilityByTime: [Double]

    public init(
        network: Network, flows: [Double], vehicles: Matrix, skims: CarSkims, jobs: [Double], accessibilityMinutes: Double,
        personTrips: Matrix? = nil, bands: TripLengthBands = .nhtsShortTrips, terminalMinutes: Double = 0,
        residentVehicles: Matrix? = nil, truckTrips: Double = 0, external: ExternalDemand? = nil
    ) {
        let residents = residentVehicles ?? vehicles
        let l = network.linkCount, z = network.zoneCount
        linkVolume = flows
        volumeCapacityRatio = (0..<l).map { network.links[$0].capacity > 0 ? flows[$0] / network.links[$0].capacity : 0 }
        let times = (0..<l).map { network.delay.time($0, flows[$0]) }
        linkTime = times
        var kilometres = (0..<l).reduce(0) { $0 + flows[$1] * network.links[$1].length }
        var minutes = (0..<l).reduce(0) { $0 + flows[$1] * times[$1] }
        for i in 0..<z {
            kilometres += vehicles[i, i] * skims.distance[i, i]
            minutes += vehicles[i, i] * skims.time[i, i]
        }
        vehicleKilometres = kilometres
        vehicleHours = minutes / 60
        carTrips = vehicles.sum
        residentCarTrips = residents.sum
        self.truckTrips = truckTrips
        throughTrips = external?.through.sum ?? 0
        externalTrips = throughTrips + (external?.externalInternal.sum ?? 0)
        meanTripTime = carTrips > 0 ? 60 * vehicleHours / carTrips : 0
        meanTripLength = carTrips > 0 ? vehicleKilometres / carTrips : 0
        meanDoorToDoorTime = CarSkims.tripWeightedMean(of: skims.time, trips: residents) + terminalMinutes
        tripLengthShares = bands.shares(of: residents, kilometres: skims.distance)
        personTripLengthShares =
            personTrips.map { bands.shares(of: $0, kilometres: skims.distance) } ?? [Double](repeating: 0, count: bands.names.count)
        tollRevenue = (0..<l).reduce(0) { $0 + flows[$1] * network.links[$1].toll }
        func reachable(_ cost: Matrix) -> [Double] {
            (0..<z).map { i in (0..<z).reduce(0) { sum, j in (i == j || cost[i, j] <= accessibilityMinutes) ? sum + jobs[j] : sum } }
        }
        jobAccessibility = reachable(skims.generalized)
        jobAccessibilityByTime = reachable(skims.time)
    }
}
