public import CityTwinCore
public import LinearAlgebra

/// The population indicators of one instant, computed from the cohort matrix (and the step's flows).
///
/// - `population.total`, `.births`, `.deaths`, `.net_migration`, `.internal_migration`,
///   `.migration_clamped`: city and zones.
/// - `population.female`, `population.male`: city.
/// - `population.by_age_sex[<group>,<sex>]`: city, at the model's own age resolution: single years
///   (`65,female`, `100+,male`) in a single-year model, five-year groups (`65-69,female`) in a
///   five-year model. (Until issue 10 this name always meant five-year groups; in a single-year model
///   those are now `population.by_age_sex_5y[65-69,female]`.)
/// - `population.by_age_sex_5y[<group>,<sex>]`: city, five-year groups (the open group as given); only
///   in models whose groups are narrower than five years.
/// - `population.births_by_age[age <group>]`: births of the step by age group of the mother, city.
/// - `population.deaths_by_age_sex[<group>,<sex>]`: deaths of the step by cohort (the group reached
///   at the end of the step; group 0: deaths among the step's births), city.
/// - `population.life_expectancy[sex <sex>]`: e₀ of the survival ratios in force over the step; with
///   life tables by zone also per zone (the city value is then their population-weighted mean).
/// - `population.total_fertility`: TFR of the fertility in force over the step, births per woman.
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

    /// The element names and variables, built once per model rather than once per tick.
    public struct Names: Sendable {
        /// Element names of age group × sex at the model's resolution (`65,female`), females first.
        public let ageSexElements: [String]
        /// `population.by_age_sex[…]` for each element above.
        let byAgeSex: [String]
        /// Five-year view: for each sex, (first age group index, last + 1, element name); empty when the
        /// model's groups are five years wide or wider.
        let fiveYear: [[(range: Range<Int>, element: String)]]
        let fiveYearVariables: [[String]]
        /// Age group labels (`65`, `100+`) and their variables.
        public let ageElements: [String]
        let birthsByAge: [String]
        let deathsByAgeSex: [String]

        public init(ages: AgeGroups) {
            let labels = (0..<ages.count).map { ages.label($0) }
            ageSexElements = Sex.allCases.flatMap { sex in labels.map { "\($0),\(sex.rawValue)" } }
            byAgeSex = ageSexElements.map { "population.by_age_sex[\($0)]" }
            deathsByAgeSex = ageSexElements.map { "population.deaths_by_age_sex[\($0)]" }
            ageElements = labels
            birthsByAge = labels.map { "population.births_by_age[\($0)]" }
            var groups: [(range: Range<Int>, label: String)] = []
            if ages.interval < 5 {
                for index in 0..<ages.count {
                    let label = Names.fiveYearLabel(index, ages)
                    if let last = groups.last, last.label == label {
                        groups[groups.count - 1].range = last.range.lowerBound..<(index + 1)
                    } else {
                        groups.append((index..<(index + 1), label))
                    }
                }
            }
            fiveYear = Sex.allCases.map { sex in groups.map { ($0.range, "\($0.label),\(sex.rawValue)") } }
            fiveYearVariables = fiveYear.map { $0.map { "population.by_age_sex_5y[\($0.element)]" } }
        }

        /// Element names of the five-year view (empty when there is none).
        public var fiveYearElements: [String] { fiveYear.flatMap { $0.map(\.element) } }

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
            for (variable, values) in [
                ("population.births", flows.births), ("population.deaths", flows.deaths),
                ("population.net_migration", flows.netMigration),
                ("population.internal_migration", flows.internalMigration),
                ("population.migration_clamped", flows.clampedByZone),
            ] {
                samples.append(IndicatorSample(variable, unit: "persons", value: values.reduce(0, +)))
                for (zone, value) in values.enumerated() {
                    samples.append(IndicatorSample(variable, unit: "persons", region: .zone(zone), value: value))
                }
            }
            for (variable, value) in zip(names.birthsByAge, flows.birthsByAgeOfMother) {
                samples.append(IndicatorSample(variable, unit: "persons", value: value))
            }
            for (variable, value) in zip(names.deathsByAgeSex, flows.deathsByAgeSex) {
                samples.append(IndicatorSample(variable, unit: "persons", value: value))
            }
            samples.append(IndicatorSample("population.life_expectancy[female]", unit: "years", value: flows.lifeExpectancyFemale))
            samples.append(IndicatorSample("population.life_expectancy[male]", unit: "years", value: flows.lifeExpectancyMale))
            for (zone, (female, male)) in zip(flows.lifeExpectancyFemaleByZone, flows.lifeExpectancyMaleByZone).enumerated() {
                samples.append(IndicatorSample("population.life_expectancy[female]", unit: "years", region: .zone(zone), value: female))
                samples.append(IndicatorSample("population.life_expectancy[male]", unit: "years", region: .zone(zone), value: male))
            }
            samples.append(IndicatorSample("population.total_fertility", unit: "births per woman", value: flows.totalFertility))
        }
        samples.append(IndicatorSample("population.dependency_ratio", unit: "percent", value: dependencyRatio))
        samples.append(IndicatorSample("population.median_age", unit: "years", value: medianAge))
        for (variable, persons) in zip(names.byAgeSex, rowSums) {
            samples.append(IndicatorSample(variable, unit: "persons", value: persons))
        }
        for (k, sex) in Sex.allCases.enumerated() {
            let offset = sex.rowOffset(ageGroups: a)
            for (group, variable) in zip(names.fiveYear[k], names.fiveYearVariables[k]) {
                let persons = group.range.reduce(0) { $0 + rowSums[offset + $1] }
                samples.append(IndicatorSample(variable, unit: "persons", value: persons))
            }
        }
        return samples
    }
}
