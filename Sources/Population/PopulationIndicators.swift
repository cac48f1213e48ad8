public import CityTwinCore
public import LinearAlgebra

/// The population indicators of one instant, computed from the cohort matrix (and the step's flows).
///
/// - `population.total`, `.births`, `.deaths`, `.net_migration`, `.internal_migration`: city and zones.
/// - `population.female`, `population.male`: city.
/// - `population.by_age_sex[<group>,<sex>]`: city, five-year groups (the open group as given).
/// - `population.dependency_ratio`: (persons 0–14 + persons 65+) / persons 15–64 × 100, city.
/// - `population.median_age`: the age that halves the population, interpolated linearly within its
///   age group (persons spread evenly over the group), city. The open group is treated as 10 years wide.
public struct PopulationIndicators: Sendable {
    public let ages: AgeGroups
    public let cohorts: Matrix
    private let names: Names

    public init(ages: AgeGroups, cohorts: Matrix, names: Names? = nil) {
        self.ages = ages
        self.cohorts = cohorts
        self.names = names ?? Names(ages: ages)
    }

    /// The age-group variable names, built once per model rather than once per tick.
    public struct Names: Sendable {
        /// For each sex, the five-year groups: (first age group index, last + 1, variable name).
        let groups: [[(range: Range<Int>, variable: String)]]

        public init(ages: AgeGroups) {
            var labels: [(range: Range<Int>, label: String)] = []
            for index in 0..<ages.count {
                let label = Names.fiveYearLabel(index, ages)
                if let last = labels.last, last.label == label {
                    labels[labels.count - 1].range = last.range.lowerBound..<(index + 1)
                } else {
                    labels.append((index..<(index + 1), label))
                }
            }
            groups = Sex.allCases.map { sex in
                labels.map { ($0.range, "population.by_age_sex[\($0.label),\(sex.rawValue)]") }
            }
        }

        /// The five-year group label of an age group ("0-4", …; the open group keeps its own label).
        static func fiveYearLabel(_ index: Int, _ ages: AgeGroups) -> String {
            if index == ages.count - 1 { return ages.label(index) }
            let start = ages.startAge(index) / 5 * 5
            return start + 5 > ages.openAge ? "\(start)-\(ages.openAge - 1)" : "\(start)-\(start + 4)"
        }
    }

    /// Persons by age group (both sexes), city.
    public var byAge: [Double] {
        let a = ages.count
        let rows = cohorts.rowSums
        return (0..<a).map { rows[$0] + rows[a + $0] }
    }

    public var dependencyRatio: Double {
        var young = 0.0, old = 0.0, working = 0.0
        for (index, persons) in byAge.enumerated() {
            let age = ages.startAge(index)
            if age < 15 { young += persons } else if age >= 65 { old += persons } else { working += persons }
        }
        return working > 0 ? 100 * (young + old) / working : .nan
    }

    public var medianAge: Double {
        let counts = byAge
        let half = counts.reduce(0, +) / 2
        var cumulative = 0.0
        for (index, persons) in counts.enumerated() {
            if cumulative + persons >= half, persons > 0 {
                let width = index == ages.count - 1 ? 10.0 : Double(ages.interval)
                return Double(ages.startAge(index)) + (half - cumulative) / persons * width
            }
            cumulative += persons
        }
        return .nan
    }

    public func samples(flows: CohortFlows?) -> [IndicatorSample] {
        let a = ages.count
        let byZone = cohorts.columnSums
        var samples: [IndicatorSample] = []
        samples.append(IndicatorSample("population.total", unit: "persons", value: byZone.reduce(0, +)))
        for (zone, value) in byZone.enumerated() {
            samples.append(IndicatorSample("population.total", unit: "persons", region: .zone(zone), value: value))
        }
        let rowSums = cohorts.rowSums
        samples.append(IndicatorSample("population.female", unit: "persons", value: rowSums[0..<a].reduce(0, +)))
        samples.append(IndicatorSample("population.male", unit: "persons", value: rowSums[a...].reduce(0, +)))
        if let flows {
            for (variable, values) in [("population.births", flows.births), ("population.deaths", flows.deaths),
                                       ("population.net_migration", flows.netMigration),
                                       ("population.internal_migration", flows.internalMigration)] {
                samples.append(IndicatorSample(variable, unit: "persons", value: values.reduce(0, +)))
                for (zone, value) in values.enumerated() {
                    samples.append(IndicatorSample(variable, unit: "persons", region: .zone(zone), value: value))
                }
            }
        }
        samples.append(IndicatorSample("population.dependency_ratio", unit: "percent", value: dependencyRatio))
        samples.append(IndicatorSample("population.median_age", unit: "years", value: medianAge))
        for sex in Sex.allCases {
            let offset = sex.rowOffset(ageGroups: a)
            for group in names.groups[sex == .female ? 0 : 1] {
                let persons = group.range.reduce(0) { $0 + rowSums[offset + $1] }
                samples.append(IndicatorSample(group.variable, unit: "persons", value: persons))
            }
        }
        return samples
    }
}
