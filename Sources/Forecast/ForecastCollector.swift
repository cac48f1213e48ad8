import CityTwinCore
public import Scenario

/// Gathers the recorded indicators of every member at each instant into forecast rows: `value` for a
/// deterministic run, the ensemble statistics (and, on request, each member's value) otherwise; with
/// `includesLevels`, the same for the district levels the model declares.
public struct ForecastCollector {
    let plan: ScenarioPlan
    let memberOutput: Bool
    let regionNames: [String]
    var rows: [(slot: Int, year: Double, order: Int, row: ForecastTable.Row)] = []
    let levels: ZoneLevels?
    var levelRows: [(item: Int, district: Int, year: Double, order: Int, row: ForecastTable.Row)] = []

    public init(plan: ScenarioPlan, memberOutput: Bool, includesLevels: Bool = true) {
        self.plan = plan
        self.memberOutput = memberOutput
        levels = includesLevels ? ZoneLevels(plan: plan) : nil
        let model = plan.problem.model
        regionNames = plan.indicators.entries.map { entry in
            switch entry.region {
            case .city: model.name
            case .zone(let index): model.zones[index].id
            }
        }
    }

    /// Takes the members' indicators observed at `time`; each value is labelled by its year (flows by the
    /// year they happened in, stocks by their instant, ``YearLabel``), and values outside the horizon are left out.
    public mutating func take(_ members: [MemberRun], time: Double) {
        takeLevels(members, time: time)
        for slot in plan.recorded {
            guard let year = plan.yearLabel(of: slot, observedAt: time) else { continue }
            let entry = plan.indicators.entries[slot]
            func row(_ statistic: String, _ value: Double) -> ForecastTable.Row {
                ForecastTable.Row(
                    region: regionNames[slot], variable: entry.variable, unit: entry.unit, year: year,
                    statistic: statistic, value: value)
            }
            if plan.isDeterministic {
                let value = members[0].current[slot]
                if !value.isNaN { rows.append((slot, year, 0, row("value", value))) }
                continue
            }
            let values = members.map { $0.current[slot] }
            guard let statistics = EnsembleStatistic.summarise(values) else { continue }
            for (order, (statistic, value)) in zip(EnsembleStatistic.allCases, statistics).enumerated() {
                rows.append((slot, year, order, row(statistic.rawValue, value)))
            }
            if memberOutput {
                for (m, value) in values.enumerated() where !value.isNaN {
                    rows.append((slot, year, EnsembleStatistic.allCases.count + m, row("member \(m)", value)))
                }
            }
        }
    }

    /// District rows: each member's zone values aggregated, then the ensemble's statistics.
    mutating func takeLevels(_ members: [MemberRun], time: Double) {
        guard let levels else { return }
        let perMember = members.map { levels.values(of: $0.current) }
        for (i, item) in levels.items.enumerated() {
            guard let first = item.zoneSlots.first, let year = plan.yearLabel(of: first, observedAt: time) else { continue }
            for (d, district) in levels.districts.enumerated() {
                func row(_ statistic: String, _ value: Double) -> ForecastTable.Row {
                    ForecastTable.Row(
                        region: district, variable: item.variable, unit: item.unit, year: year, statistic: statistic, value: value)
                }
                if plan.isDeterministic {
                    let value = perMember[0][i][d]
                    if !value.isNaN { levelRows.append((i, d, year, 0, row("value", value))) }
                    continue
                }
                guard let statistics = EnsembleStatistic.summarise(perMember.map { $0[i][d] }) else { continue }
                for (order, (statistic, value)) in zip(EnsembleStatistic.allCases, statistics).enumerated() {
                    levelRows.append((i, d, year, order, row(statistic.rawValue, value)))
                }
            }
        }
    }

    /// District rows by variable, then district, then year, then statistic.
    func sortedLevelRows() -> [ForecastTable.Row] {
        levelRows.sorted { a, b in
            if a.row.variable != b.row.variable { return a.row.variable < b.row.variable }
            if a.district != b.district { return a.district < b.district }
            if a.year != b.year { return a.year < b.year }
            return a.order < b.order
        }.map(\.row)
    }

    /// Rows by variable, then region (city first, zones in model order), then year, then statistic.
    public func sortedRows() -> [ForecastTable.Row] {
        let entries = plan.indicators.entries
        return rows.sorted { a, b in
            let (ea, eb) = (entries[a.slot], entries[b.slot])
            if ea.variable != eb.variable { return ea.variable < eb.variable }
            if ea.region != eb.region { return ea.region < eb.region }
            if a.year != b.year { return a.year < b.year }
            return a.order < b.order
        }.map(\.row)
    }
}
