import Foundation
import LinearAlgebra
import Testing

@testable import Traffic

/// Traffic crossing the cordon: through trips balanced between stations, external–internal trips by gravity, growth by
/// year, and their place in the assigned demand (issue 11 item 5: volumes plausible against the city's counts).
@Suite("External traffic")
struct ExternalTrafficTests {
    /// Three stations at three zones of a 4-zone city.
    static func threeStations(through: [Double], volumes: [Double]) -> [ExternalStation] {
        (0..<3).map { ExternalStation(name: "s\($0)", zone: $0, dailyVehicles: volumes[$0], throughShare: through[$0]) }
    }

    @Test("through trips: symmetric, each station's row holds half its through vehicles; three stations have the closed form")
    func throughBalancing() throws {
        // Through ends T = θ V = (8000, 6000, 4000): half-ends t = (4000, 3000, 2000). With three stations the symmetric
        // matrix with zero diagonal is unique: E_12 = (t1 + t2 − t3) / 2 = 2500, E_13 = 1500, E_23 = 500.
        let stations = Self.threeStations(through: [0.4, 0.3, 0.2], volumes: [20_000, 20_000, 20_000])
        let e = try ExternalTraffic.throughVehicles(stations: stations, ends: [8000, 6000, 4000])
        #expect(abs(e[0][1] - 2500) <= 1e-6 && abs(e[1][0] - 2500) <= 1e-6)
        #expect(abs(e[0][2] - 1500) <= 1e-6 && abs(e[2][0] - 1500) <= 1e-6)
        #expect(abs(e[1][2] - 500) <= 1e-6 && abs(e[2][1] - 500) <= 1e-6)
        #expect(e[0][0] == 0 && e[1][1] == 0 && e[2][2] == 0)
    }

    @Test("a station with more through traffic than all others can take is refused, naming it")
    func throughInfeasible() {
        let stations = Self.threeStations(through: [0.9, 0.1, 0.1], volumes: [20_000, 5_000, 5_000])
        #expect {
            _ = try ExternalTraffic(stations: stations)
        } throws: { error in
            "\(error)".contains("`s0` has 18000 through vehicles") && "\(error)".contains("1000 together")
        }
    }

    @Test("stations at the same zone exchange no through trips (such a trip would touch no link)")
    func sameZoneStations() throws {
        var stations = Self.threeStations(through: [0.5, 0.5, 0.5], volumes: [10_000, 10_000, 20_000])
        stations[1].zone = 0
        let e = try ExternalTraffic.throughVehicles(stations: stations, ends: [5000, 5000, 10_000])
        #expect(e[0][1] == 0 && e[1][0] == 0)
        #expect(abs(e[0][2] - 2500) <= 1e-6 && abs(e[1][2] - 2500) <= 1e-6)
    }

    @Test("peak-hour vehicles: every station's count × peak share crosses it, external–internal trips by attraction and cost")
    func peakHourVehicles() throws {
        let external = try ExternalTraffic(stations: Self.threeStations(through: [0.4, 0.3, 0.2], volumes: [20_000, 20_000, 20_000]))
        let attractions: [Double] = [0, 100, 300, 600]
        // Costs from every zone: 10 min to zone 3, 20 to the others (intrazonal 5).
        var cost = Matrix(rows: 4, columns: 4)
        for i in 0..<4 { for j in 0..<4 { cost[i, j] = i == j ? 5 : (j == 3 ? 10 : 20) } }
        let deterrence = Deterrence.exponential(beta: 0.1)
        let demand = try external.peakHourVehicles(
            yearsAfterBase: 0, attractions: attractions, generalizedCost: cost, deterrence: deterrence, costFloor: 1, peakHourShare: 0.1)
        // Every vehicle crossing a station: a through vehicle crosses two, so Σ_s 0.1 V_s = 2 · through + external–internal.
        #expect(abs(0.1 * 60_000 - (2 * demand.through.sum + demand.externalInternal.sum)) <= 1e-9)
        // Through: 0.1 × 2 × (2500 + 1500 + 500); external–internal 0.1 × (0.6 + 0.7 + 0.8) × 20000.
        #expect(abs(demand.through.sum - 0.1 * 2 * 4500) <= 1e-9)
        #expect(abs(demand.externalInternal.sum - 4200) <= 1e-9)
        // Station 0's inbound external–internal vehicles, (1 − 0.4) · 20000 / 2 · 0.1 = 600, go to zone j ∝ A_j e^(−0.1 c);
        // zone 0 attracts nothing, so no other station's outbound trips start there.
        let weights = [0.0, 100 * exp(-2.0), 300 * exp(-2.0), 600 * exp(-1.0)]
        let total = weights.reduce(0, +)
        for j in 0..<4 { #expect(abs(demand.externalInternal[0, j] - 600 * weights[j] / total) <= 1e-9, "zone \(j)") }
        // Symmetric by construction.
        for i in 0..<4 { for j in 0..<4 { #expect(abs(demand.externalInternal[i, j] - demand.externalInternal[j, i]) <= 1e-9) } }
    }

    @Test("counts grow by the station's annual rate, compounded from the base year")
    func growth() {
        let station = ExternalStation(name: "I-29", zone: 0, dailyVehicles: 25_000, throughShare: 0.3, annualGrowth: 0.02)
        #expect(station.dailyVehicles(yearsAfterBase: 0) == 25_000)
        #expect(abs(station.dailyVehicles(yearsAfterBase: 30) - 25_000 * pow(1.02, 30)) <= 1e-9)
    }

    @Test("in the four-step model: assigned = residents + trucks + external, VKT rises, the door-to-door time is the residents'")
    func inTheFourStepModel() throws {
        var parameters = DemandTests.sampleParameters()
        parameters.terminalMinutes = 4
        let network = try DemandTests.sampleNetwork(parameters)
        let population = DemandTests.samplePopulation
        let jobs = DemandTests.sampleJobs
        var without = FourStepModel(network: network, parameters: parameters)
        let base = try without.calibrate(population: population, jobs: jobs)
        // Zones 1 (north-west corner) and 13 (south-west corner) as gateways of a north–south road.
        parameters.externalTraffic = try ExternalTraffic(stations: [
            ExternalStation(name: "north", zone: 0, dailyVehicles: 20_000, throughShare: 0.5),
            ExternalStation(name: "south", zone: 12, dailyVehicles: 20_000, throughShare: 0.5),
        ])
        parameters.truckShare = 0.06
        var with = FourStepModel(network: network, parameters: parameters)
        let outcome = try with.calibrate(population: population, jobs: jobs)
        let i = outcome.indicators
        // 5000 through vehicles a day each way: 432 in the peak hour each way.
        #expect(abs(outcome.external.through[0, 12] - 5000 * 0.0864) <= 1e-9)
        #expect(abs(outcome.external.through[12, 0] - 5000 * 0.0864) <= 1e-9)
        #expect(abs(i.throughTrips - 2 * 5000 * 0.0864) <= 1e-9)
        #expect(abs(i.externalTrips - 2 * 20_000 * 0.0864 + i.throughTrips) <= 1e-9)
        // Trucks on internal trips: 6 % of the internal vehicles, 0.06 / 0.94 per resident car trip.
        #expect(abs(i.truckTrips - 0.06 / 0.94 * i.residentCarTrips) <= 1e-9 * i.truckTrips)
        #expect(abs(i.carTrips - (i.residentCarTrips + i.truckTrips + i.externalTrips)) <= 1e-9 * i.carTrips)
        // The mode constants are fitted on the residents' trips alone: the same car share either way.
        #expect(abs(outcome.personTrips[0].sum - base.personTrips[0].sum) <= 1e-6 * base.personTrips[0].sum)
        #expect(i.vehicleKilometres > base.indicators.vehicleKilometres + 2 * 5000 * 0.0864 * 5)
        // The door-to-door time is the residents' mean time at the time skim, plus 4 minutes.
        var minutes = 0.0
        for k in outcome.residentVehicles.storage.indices {
            minutes += outcome.residentVehicles.storage[k] * outcome.carSkims.time.storage[k]
        }
        #expect(abs(i.meanDoorToDoorTime - (minutes / outcome.residentVehicles.sum + 4)) <= 1e-12)
        // Flow leaves zone 1 on its links: at least the external vehicles leaving the station's zone for other zones.
        let leaving = network.links.indices.filter { network.links[$0].from == 1 }.map { outcome.assignment.flows[$0] }.reduce(0, +)
        let externalLeaving = (1..<24).map { outcome.external.total[0, $0] }.reduce(0, +)
        #expect(leaving >= externalLeaving)
    }
}
