/// Warnings for years in which a solver inside the run stopped before its target, read from the forecast.
///
/// A module that reports convergence does so with an indicator named `<module>.converged` (1 when its solver met its
/// target in that year, 0 when it stopped at an iteration or time limit), as the traffic assignment does. A year is
/// flagged when the indicator's `value` (a deterministic run) or `mean` (an ensemble: some member did not converge)
/// is below 1. The warnings go to the run summary on the command line and to manifest.json (`warnings`).
public enum ConvergenceWarnings {
    /// One line per indicator that fell below 1 in some year, naming the years (in order).
    public static func messages(_ table: ForecastTable) -> [String] {
        var years: [String: [Int]] = [:]
        for row in table.rows
        where row.variable.hasSuffix(".converged") && (row.statistic == "value" || row.statistic == "mean") && row.value < 1 {
            years[row.variable, default: []].append(Int(row.year))
        }
        return years.keys.sorted().map { variable in
            let list = Array(Set(years[variable]!)).sorted().map(String.init).joined(separator: ", ")
            let module = variable.dropLast(".converged".count)
            return "`\(variable)` < 1 in \(list): the \(module) solver stopped before its target in "
                + "\(years[variable]!.count == 1 ? "that year" : "those years") (see `\(module).relative_gap`); "
                + "raise max_iterations or loosen the target in the model"
        }
    }
}
