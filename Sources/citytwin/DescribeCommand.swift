import ArgumentParser
import CityTwinCore
import Scenario

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe",
        abstract: "List a model's parameters (what a scenario can set) and indicators (what it can read and record)."
    )

    @Argument(help: "The model folder (or its model.yaml).")
    var model: String

    func run() throws {
        let plan = try reportingInputErrors { try SimulationProblem.exploring(CityModelLoader.load(model)).plan() }
        let city = plan.problem.model
        print("\(city.name): \(city.description)")
        print("base year \(city.baseYear), \(city.zones.count) zones\n")
        print("PARAMETERS (scenario `parameters:`, `set:` and `ensemble.uncertain:`)")
        for (index, descriptor) in plan.parameters.descriptors.enumerated() {
            let values = Array(plan.baseParameters[plan.parameters.slots(of: index)])
            let elements = descriptor.elementNames.isEmpty ? "1…\(values.count)" : descriptor.elementNames.joined(separator: ", ")
            let current =
                values.count == 1
                ? "\(values[0])" : "\(values.map { "\($0)" }.joined(separator: ", ")) for \(descriptor.dimension!.name)s \(elements)"
            let range = "\(descriptor.range.lowerBound)…\(descriptor.range.upperBound)"
            let selector = descriptor.dimension.map { "[\($0.name)s …]" } ?? ""
            print("  \(descriptor.path)\(selector)  [\(descriptor.unit)]  default \(current), allowed \(range)")
            print("      \(descriptor.description)")
        }
        print("\nINDICATORS (conditions, alerts, `record:`)")
        for descriptor in plan.indicators.descriptors {
            var reads: [String] = descriptor.hasCityValue ? ["city"] : []
            if descriptor.byZone { reads.append("[zones …]") }
            if let elements = descriptor.elements {
                let keyword = elements.dimension.isEmpty ? "" : elements.dimension + " "
                let shown = elements.names.prefix(4).joined(separator: "; ") + (elements.names.count > 4 ? "; …" : "")
                reads.append("[\(keyword)…] (\(elements.names.count): \(shown))")
            }
            let kind = descriptor.kind == .stock ? "stock" : "flow"
            print(
                "  \(descriptor.path)  [\(descriptor.unit)]  \(kind), \(reads.joined(separator: ", "))"
                    + (descriptor.better == .neither ? "" : ", \(descriptor.better.rawValue) is better"))
            print("      \(descriptor.description)")
        }
    }
}
