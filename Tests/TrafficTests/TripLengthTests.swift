import LinearAlgebra
import Testing
import Traffic

/// The trip-length distribution, the mean trip length and the door-to-door time (issue 13 item 5, issue 11 item 5).
@Suite("Trip lengths")
struct TripLengthTests {
    @Test("shares by band in miles: edges belong to the upper band, pairs without a path are left out")
    func sharesByBand() {
        let bands = TripLengthBands.nhtsShortTrips
        let mile = TripLengthBands.kilometresPerMile
        // Lengths 0.4, 0.5 (an edge), 2, 3 (an edge) and 7 miles, and one pair without a path.
        let kilometres = Matrix([[0.4 * mile, 0.5 * mile, 2 * mile], [3 * mile, 7 * mile, .infinity]])
        let trips = Matrix([[10, 20, 30], [40, 100, 500]])
        let shares = bands.shares(of: trips, kilometres: kilometres)
        #expect(shares.count == 4)
        #expect(abs(shares[0] - 10 / 200.0) <= 1e-15)
        #expect(abs(shares[1] - 20 / 200.0) <= 1e-15)
        #expect(abs(shares[2] - 30 / 200.0) <= 1e-15)
        #expect(abs(shares[3] - 140 / 200.0) <= 1e-15)
        let mean = CarSkims.tripWeightedMean(of: kilometres, trips: trips)
        #expect(abs(mean - mile * (4 + 10 + 60 + 120 + 700) / 200) <= 1e-12)
        #expect(bands.shares(of: Matrix(rows: 2, columns: 3), kilometres: kilometres) == [0, 0, 0, 0])
    }

    @Test("the sample city's base year: shares sum to 1, mean length = VKT / trips, door-to-door = skim time + terminal minutes")
    func sampleCityIndicators() throws {
        var parameters = DemandTests.sampleParameters()
        parameters.terminalMinutes = 4
        let network = try DemandTests.sampleNetwork(parameters)
        var model = FourStepModel(network: network, parameters: parameters)
        let population = DemandTests.samplePopulation
        let jobs = DemandTests.sampleJobs
        let outcome = try model.calibrate(population: population, jobs: jobs)
        let i = outcome.indicators
        #expect(abs(i.tripLengthShares.reduce(0, +) - 1) <= 1e-12)
        #expect(abs(i.personTripLengthShares.reduce(0, +) - 1) <= 1e-12)
        #expect(abs(i.meanTripLength - i.vehicleKilometres / i.carTrips) <= 1e-12 * i.meanTripLength)
        // Door to door: the residents' trips at the time skim of the assigned flows (within 1e-5 min of 60 · VHT / trips
        // here, where every trip is a resident's: the skim follows the least generalized-cost path), plus 4 minutes.
        var minutes = 0.0
        for k in outcome.assignedVehicles.storage.indices {
            minutes += outcome.assignedVehicles.storage[k] * outcome.carSkims.time.storage[k]
        }
        #expect(abs(i.meanDoorToDoorTime - (minutes / i.carTrips + 4)) <= 1e-12)
        #expect(abs(i.meanDoorToDoorTime - (i.meanTripTime + 4)) <= 1e-5)
        // The car distribution recomputed from the trips and the distance skim at the assigned flows.
        let bands = TripLengthBands.nhtsShortTrips
        #expect(i.tripLengthShares == bands.shares(of: outcome.assignedVehicles, kilometres: outcome.carSkims.distance))
        // Intrazonal trips are at half the distance to the least-cost neighbour: zone 1's nearest zone is 2 or 3 (6 and
        // 4 file units of 0.6 km, both at free flow here), so its intrazonal length is 1.2 or 1.8 km.
        let intrazonal = outcome.carSkims.distance[0, 0]
        #expect(abs(intrazonal - 1.2) <= 1e-12 || abs(intrazonal - 1.8) <= 1e-12, "\(intrazonal)")
        // Every trip on this network is under 14 km (8.7 miles): the distribution has mass below 3 miles.
        #expect(i.tripLengthShares[0] + i.tripLengthShares[1] + i.tripLengthShares[2] > 0)
        #expect(i.meanTripLength > 0 && i.meanTripLength < 14)
    }
}
