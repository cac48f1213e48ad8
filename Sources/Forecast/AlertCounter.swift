import CityTwinCore
import Scenario

/// Counts, per year, the members in which an alert's condition holds (city and zones), and the
/// members in which it has held at least once so far. A condition is evaluated after each tick, on that
/// tick's flows and the stocks at its end, and is labelled by the year the tick simulated (``YearLabel``).
struct AlertCounter {
    let alert: CompiledAlert
    let zones: [String]
    var byYear: [(year: Double, count: Int, everCount: Int, zoneCounts: [Int])] = []
    /// Per member: has the city condition held in some year so far?
    var everHeld: [Bool] = []

    init(alert: CompiledAlert, zones: [String]) {
        self.alert = alert
        self.zones = zones
    }

    /// One tick: every member's indicator vector at its end and at its start, in member order.
    mutating func take(current: [[Double]], previous: [[Double]], year: Double, startYear: Int) {
        guard year < Double(startYear + alert.spec.withinYears) - 1e-9 else { return }
        if everHeld.isEmpty { everHeld = Array(repeating: false, count: current.count) }
        var count = 0
        var zoneCounts = [Int](repeating: 0, count: alert.spec.byZone ? zones.count : 0)
        for m in current.indices {
            if alert.holds(current: current[m], previous: previous[m]) {
                count += 1
                everHeld[m] = true
            }
            if alert.spec.byZone {
                for (zone, holds) in alert.holdsByZone(current: current[m], previous: previous[m]).enumerated() where holds {
                    zoneCounts[zone] += 1
                }
            }
        }
        byYear.append((year, count, everHeld.filter { $0 }.count, zoneCounts))
    }

    func report(members: Int) -> AlertReport {
        let n = Double(members)
        let threshold = alert.spec.probabilityAtLeast
        let probabilities = byYear.map {
            AlertReport.YearProbability(year: $0.year, probability: Double($0.count) / n, cumulativeProbability: Double($0.everCount) / n)
        }
        let first = probabilities.first { $0.probability >= threshold }?.year
        var warnings: [AlertReport.ZoneWarning] = []
        if alert.spec.byZone {
            for (index, zone) in zones.enumerated() {
                let series = byYear.map { (year: $0.year, p: Double($0.zoneCounts[index]) / n) }
                if let firstYear = series.first(where: { $0.p >= threshold })?.year {
                    warnings.append(.init(zone: zone, firstYear: firstYear, maximumProbability: series.map(\.p).max() ?? 0))
                }
            }
        }
        return AlertReport(
            name: alert.spec.name, condition: alert.spec.condition.text, withinYears: alert.spec.withinYears,
            probabilityAtLeast: threshold, members: members, probabilityByYear: probabilities,
            probabilityWithin: probabilities.last?.cumulativeProbability ?? 0, firstYear: first, zones: warnings)
    }
}
