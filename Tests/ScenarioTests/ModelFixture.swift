import CityTwinCore
import Foundation
import TestSupport

/// A temporary copy of the sample city and a scenario beside it, which a test may break on purpose.
struct ModelFixture {
    let root: URL
    var modelDirectory: URL { root.appendingPathComponent("city") }
    var scenarioPath: String { root.appendingPathComponent("scenario.yaml").path }

    /// A copy of the sample city. With `coupled` false (the default, for quick tests of the population
    /// and scenario machinery) the model keeps only its population: the `economy:` and `resources:`
    /// sections are cut from model.yaml.
    init(scenario: String = ModelFixture.defaultScenario, coupled: Bool = false) throws {
        root = FileManager.default.temporaryDirectory.appendingPathComponent("citytwin-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let source = SampleCityFixture.folder
        try FileManager.default.copyItem(at: source, to: modelDirectory)
        if !coupled {
            let yaml = try read("city/model.yaml")
            let populationOnly = yaml.components(separatedBy: "\neconomy:")[0]
            try write("city/model.yaml", populationOnly + "\n")
        }
        try write("scenario.yaml", scenario)
    }

    static let defaultScenario = """
        name: test
        model: city
        start: 2020
        end: 2025
        tick: 1 year
        seed: 1

        """

    func write(_ relativePath: String, _ text: String) throws {
        try text.write(to: root.appendingPathComponent(relativePath), atomically: true, encoding: .utf8)
    }

    func read(_ relativePath: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// Replaces the first occurrence of `old` in a file.
    func edit(_ relativePath: String, replacing old: String, with new: String) throws {
        let text = try read(relativePath)
        guard let range = text.range(of: old) else { fatalError("\(old) not in \(relativePath)") }
        try write(relativePath, text.replacingCharacters(in: range, with: new))
    }

    func remove() { try? FileManager.default.removeItem(at: root) }
}
