public import CityTwinCore
import Foundation
public import Scenario

/// One observed value of a declared indicator: a region, a variable, a year, a value and optionally its
/// standard deviation, resolved to the indicator's slot in the scenario's ``IndicatorCatalog``.
public struct Observation: Sendable, Hashable {
    /// A zone id, or the model's name for the city.
    public let region: String
    /// The recorded variable (`population.total`, `traffic.vc[9-10]`, `economy.output[manufacturing]`).
    public let variable: String
    /// The labelled year (``YearLabel``: a flow's year of occurrence, a stock's 1 January).
    public let year: Double
    public let value: Double
    /// The observation error's standard deviation, in the indicator's unit, when given.
    public let standardDeviation: Double?
    /// The indicator's slot in the catalog.
    public let slot: Int
    public let location: SourceLocation

    public init(
        region: String, variable: String, year: Double, value: Double, standardDeviation: Double?, slot: Int,
        location: SourceLocation
    ) {
        self.region = region
        self.variable = variable
        self.year = year
        self.value = value
        self.standardDeviation = standardDeviation
        self.slot = slot
        self.location = location
    }

    /// The series the observation belongs to: `variable@region`.
    public var series: String { "\(variable)@\(region)" }
}

/// Observed data as a CSV file `region,variable,year,value[,sd]`, read strictly through the engine's one
/// input layer (``CSVTable``): every problem is reported with its file, line and column, all at once.
///
/// - `region`: a zone id of the model's `zones.csv`, or the model's name for a city-level value;
/// - `variable`: any recorded indicator variable, element variables included (`traffic.vc[9-10]`); an
///   unknown one gets a "did you mean";
/// - `year`: a year of the run's horizon, labelled as the forecast labels it (``YearLabel``): a flow
///   (births, water supplied) in the year it happened, a stock (population) on 1 January; a continued run
///   (`--from`) skips the years before its start, which the runs it continues assimilated;
/// - `sd` (optional): the observation error's standard deviation (> 0), in the variable's unit.
public struct ObservationSet: Sendable {
    public let file: String
    public let observations: [Observation]

    public init(file: String, observations: [Observation]) {
        self.file = file
        self.observations = observations
    }

    public static let columns = ["region", "variable", "year", "value", "sd"]

    /// The distinct years observed, ascending.
    public var years: [Double] { Array(Set(observations.map(\.year))).sorted() }

    /// The distinct series (`variable@region`) in file order.
    public var series: [String] {
        var seen: Set<String> = []
        return observations.compactMap { seen.insert($0.series).inserted ? $0.series : nil }
    }

    /// Reads `path` against a compiled scenario's indicators and clock.
    public static func load(
        _ path: String, plan: ScenarioPlan, reader: InputFiles = InputFiles(),
        referencedFrom reference: SourceLocation? = nil
    ) throws -> ObservationSet {
        let table = try reader.table(at: path, referencedFrom: reference)
        return try parse(table, plan: plan)
    }

    /// Resolves the rows of a table already read.
    public static func parse(_ table: CSVTable, plan: ScenarioPlan) throws -> ObservationSet {
        var diagnostics = Diagnostics()
        table.rejectUnknownColumns(known: columns, &diagnostics)
        guard let indices = table.columns(Array(columns.prefix(4)), &diagnostics) else {
            try diagnostics.throwIfAny()
            return ObservationSet(file: table.file, observations: [])
        }
        let (regionColumn, variableColumn, yearColumn, valueColumn) = (indices[0], indices[1], indices[2], indices[3])
        let sdColumn = table.header.firstIndex(of: "sd")
        table.rejectDuplicateKeys([regionColumn, variableColumn, yearColumn], &diagnostics)
        let model = plan.problem.model
        let catalog = plan.indicators
        let zoneIDs = model.zones.map(\.id)
        var observations: [Observation] = []
        for row in table.rows {
            let region = row.cells[regionColumn]
            let variable = row.cells[variableColumn]
            let year = table.number(row, yearColumn, diagnostics: &diagnostics)
            let value = table.number(row, valueColumn, diagnostics: &diagnostics)
            let sd = sdColumn.flatMap { table.optionalNumber(row, $0, diagnostics: &diagnostics) }
            var bad = year.isNaN || value.isNaN
            let resolvedRegion: Region?
            if region == model.name {
                resolvedRegion = .city
            } else if let zone = zoneIDs.firstIndex(of: region) {
                resolvedRegion = .zone(zone)
            } else {
                resolvedRegion = nil
                diagnostics.error(
                    table.location(row, regionColumn), "unknown region `\(region)`",
                    hint: "a region is a zone id of \(model.name)'s zones.csv or `\(model.name)` for the city"
                        + (Suggestion.hint(for: region, in: zoneIDs + [model.name]).map { "; \($0)" } ?? ""))
            }
            if !catalog.hasVariable(variable) {
                diagnostics.error(
                    table.location(row, variableColumn), "unknown indicator `\(variable)`",
                    hint: Suggestion.hint(for: variable, in: catalog.variables)
                        ?? "`citytwin describe` lists the indicators")
                bad = true
            }
            if let sd, !(sd > 0) {
                diagnostics.error(
                    table.location(row, sdColumn), "`sd` is \(sd); a standard deviation must be positive",
                    hint: "leave it empty for an unweighted observation")
                bad = true
            }
            // A continued run (`--from`) reads the whole growing file: the years before its start were the saved
            // run's, and assimilated there.
            if plan.problem.scenario.continuesSavedState, !year.isNaN, year < Double(plan.problem.scenario.startYear) - 1e-6 {
                continue
            }
            guard let resolvedRegion, !bad else { continue }
            guard let slot = catalog.slot(variable, resolvedRegion) else {
                diagnostics.error(
                    table.location(row, regionColumn),
                    resolvedRegion == .city ? "`\(variable)` has no city value" : "`\(variable)` has no zone values",
                    hint: resolvedRegion == .city ? "give it by zone" : "give it for the city (`\(model.name)`)")
                continue
            }
            guard plan.instant(of: slot, labelled: year) != nil else {
                diagnostics.error(
                    table.location(row, yearColumn),
                    "year \(ForecastYear.text(year)) is not a year of the run \(plan.problem.scenario.startYear)–\(plan.problem.scenario.endYear)",
                    hint: "observations must fall on the run's ticks; shorten or lengthen the horizon")
                continue
            }
            observations.append(
                Observation(
                    region: region, variable: variable, year: year, value: value,
                    standardDeviation: sd, slot: slot, location: table.location(row)))
        }
        if table.rows.isEmpty { diagnostics.error(table.headerLocation, "no observations") }
        try diagnostics.throwIfAny()
        return ObservationSet(file: table.file, observations: observations)
    }
}

/// Years as the forecast writes them.
enum ForecastYear {
    static func text(_ year: Double) -> String {
        year == year.rounded() ? String(Int(year)) : String(format: "%.4f", year)
    }
}
