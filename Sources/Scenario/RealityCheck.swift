public import CityTwinCore
import Foundation

/// The model's base year against the real city's facts (`facts.csv` beside `model.yaml`).
///
/// The model runs one tick from its base year (``SimulationProblem/exploring(_:)``, deterministic, seed 0);
/// each fact's expression is evaluated with stocks at the base-year instant and flows over that first
/// tick. For each fact:
///
///     difference          d = m − v                       (m: the model's figure, v: the fact)
///     relative difference r = d / |v|
///     within tolerance    |d| ≤ τ · |v|                   (τ: the fact's relative tolerance)
public enum RealityCheck {
    /// One fact compared with the model.
    public struct Row: Sendable, Hashable {
        public let fact: RealityFact
        /// The model's base-year figure, in the fact's unit.
        public let model: Double

        public init(fact: RealityFact, model: Double) {
            self.fact = fact
            self.model = model
        }

        /// Model minus fact, in the fact's unit.
        public var difference: Double { model - fact.value }
        /// Difference over the fact's magnitude (infinite for a zero fact with a non-zero difference).
        public var relativeDifference: Double {
            fact.value == 0 ? (difference == 0 ? 0 : .infinity) : difference / abs(fact.value)
        }
        /// Whether |model − fact| ≤ tolerance · |fact| (a NaN model figure is never within).
        public var isWithinTolerance: Bool { abs(difference) <= fact.tolerance * abs(fact.value) }
    }

    /// The file name of a model's facts, in its folder.
    public static let factsFileName = "facts.csv"

    /// Loads the model in `modelPath` (a folder) and its `facts.csv`, runs the base year and compares.
    public static func run(modelPath: String) throws -> [Row] {
        let model = try CityModelLoader.load(modelPath)
        let facts = try RealityFact.load((model.directory as NSString).appendingPathComponent(factsFileName))
        return try compare(model: model, facts: facts)
    }

    /// Runs `model`'s base year once and evaluates every fact's expression on it. Expressions that do not
    /// compile (an unknown indicator, a condition instead of a number) are thrown together, each at its
    /// cell in the facts file.
    public static func compare(model: CityModel, facts: [RealityFact]) throws -> [Row] {
        let plan = try SimulationProblem.exploring(model).plan()
        let resolver = IndicatorResolver(catalog: plan.indicators)
        var diagnostics = Diagnostics()
        var compiled: [CompiledExpression?] = []
        for fact in facts {
            compiled.append(
                diagnostics.collect(at: fact.expression.location) {
                    let parsed = try ExpressionParser.parse(fact.expression.text, at: fact.expression.location)
                    return try CompiledExpression.number(parsed, resolver: resolver)
                })
        }
        try diagnostics.throwIfAny()

        var member = try MemberRun(plan: plan, member: 0, keepsHistory: false, threads: 1)
        try member.step()
        // Stocks at the base-year instant (before the tick), flows over the tick.
        let catalog = plan.indicators
        let baseYear = catalog.entries.indices.map { slot in
            catalog.descriptors[catalog.entries[slot].descriptor].kind == .stock ? member.previous[slot] : member.current[slot]
        }
        return zip(facts, compiled).map { fact, expression in
            Row(fact: fact, model: expression?.evaluate(current: baseYear, previous: member.previous) ?? .nan)
        }
    }
}
