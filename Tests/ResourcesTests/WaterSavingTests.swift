import CityTwinCore
import LinearAlgebra
import Resources
import Testing

/// Water that can be saved (issue 11 item 3) on the sample city: a 15 % cut of residential demand during a
/// drought, paired with the same run without it (same seed, so the same inflow draws).
@Suite("Water saved by a restriction, sample city")
struct WaterSavingTests {
    static let drought = Drought(from: 2022, until: 2024, factor: 0.5)

    /// Store and withdrawals after each of the three drought years.
    func run(restricted: Bool) throws -> (stock: [Double], withdrawals: [Double], spill: [Double], city: SampleCity) {
        var city = try SampleCity()
        city.resources.water.reservoir.droughts = [Self.drought]
        if restricted { city.resources.water.perCapitaDemand *= 0.85 }
        var simulation = try Simulation(clock: Clock(startYear: 2022, endYear: 2025), modules: city.modules(), seed: 7)
        var stock = [simulation.state[WaterModule.reservoirStock][0, 0]], withdrawals: [Double] = [], spill: [Double] = []
        repeat {
            try simulation.step()
            stock.append(simulation.state[WaterModule.reservoirStock][0, 0])
            withdrawals.append(simulation.state[WaterModule.balance][1, 0])
            spill.append(simulation.state[WaterModule.balance][2, 0])
        } while simulation.status == .running
        return (stock, withdrawals, spill, city)
    }

    @Test func aRestrictionLeavesTheWaterItSavesInTheStore() throws {
        let base = try run(restricted: false), cut = try run(restricted: true)
        let water = base.city.resources.water
        let induced = water.reservoir.inducedRechargeShare * Self.drought.factor  // 0.63 × 0.5
        #expect(base.stock[0] == cut.stock[0])
        #expect(base.spill.allSatisfy { $0 == 0 } && cut.spill.allSatisfy { $0 == 0 }, "the store falls in the drought")
        for year in 1...3 {
            // Each year the store keeps (1 − ρ·f) of the withdrawals the restriction avoids (the rest would have
            // come back from the river): an identity of the balance, exact up to rounding.
            let savedWithdrawals = base.withdrawals[year - 1] - cut.withdrawals[year - 1]
            let kept = (cut.stock[year] - cut.stock[year - 1]) - (base.stock[year] - base.stock[year - 1])
            #expect(abs(kept - (1 - induced) * savedWithdrawals) <= 1e-6 * savedWithdrawals, "year \(2021 + year)")
            #expect(cut.stock[year] > base.stock[year] + 600_000 * Double(year), "year \(2021 + year)")
        }
        // With numbers: in the first year 202 600 × 1.011 residents save 15 % of 189.3 L/day over a year whose
        // months average 0.9875 of the mean day; the sources produce 1/(1 − 0.12) of it, the aquifer 41 % of
        // that, and the store keeps 1 − 0.63 × 0.5 of what the aquifer does not pump: about 0.68 million m³.
        let residents = 202_600 * 1.011
        let seasonMean = water.seasonalDemand.reduce(0, +) / 12
        let tap = 0.15 * water.perCapitaDemand / 1000 * residents * 365.25 * seasonMean
        let expected = tap / (1 - water.leakage) * 0.41 * (1 - induced)
        let saved = cut.stock[1] - base.stock[1]
        #expect(abs(saved / expected - 1) < 0.005, "saved \(saved) m³, expected \(expected) m³")
        #expect(abs(saved - 678_000) < 7_000, "saved \(saved) m³")
    }
}
