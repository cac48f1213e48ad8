public import CityTwinCore

/// A member's tick failed: the error, wrapped with what a planner needs to find its cause — the scenario
/// file, the member, the year the failing tick simulated, and the interventions in force in it (each with
/// the file and line that wrote it).
public struct MemberRunFailure: Error, CustomStringConvertible {
    public let scenarioFile: String
    public let member: Int
    /// The year the failing tick simulated (``YearLabel``).
    public let year: Double
    /// Interventions in force during that year, with where they are written.
    public let interventions: [(name: String, location: SourceLocation)]
    public let underlying: any Error

    public var description: String {
        let yearText = year == year.rounded() ? String(Int(year)) : String(year)
        var text = "\(scenarioFile): member \(member) failed in \(yearText): \(underlying)"
        if interventions.isEmpty {
            text += "; no intervention was in force"
        } else {
            text +=
                "; interventions in force: "
                + interventions.map { "`\($0.name)` (\($0.location))" }.joined(separator: ", ")
        }
        return text
    }
}
