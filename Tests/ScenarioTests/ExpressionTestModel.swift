import CityTwinCore

@testable import Scenario

/// A tiny model for expression tests: a handful of indicators over 5 zones, 3 links and 2 sectors.
///
/// Slots: 0 population.total (city); 1…5 population.total by zone 1…5; 6 water.reserve_days;
/// 7 traffic.vht; 8…10 traffic.speed by link 1…3; 11, 12 economy.output for manufacturing, services;
/// 13 population.growth_rate (dimensionless).
struct ExpressionTestModel: ReferenceResolver, TargetResolver {
    struct Indicator {
        let unit: String
        let city: Int?
        let dimension: (singular: String, elements: [String: Int])?
    }

    static let indicators: [String: Indicator] = [
        "population.total": Indicator(unit: "persons", city: 0, dimension: ("zone", ["1": 1, "2": 2, "3": 3, "4": 4, "5": 5])),
        "water.reserve_days": Indicator(unit: "days", city: 6, dimension: nil),
        "traffic.vht": Indicator(unit: "veh·h", city: 7, dimension: nil),
        "traffic.speed": Indicator(unit: "km/h", city: nil, dimension: ("link", ["1": 8, "2": 9, "3": 10])),
        "economy.output": Indicator(unit: "EUR", city: nil, dimension: ("sector", ["manufacturing": 11, "services": 12])),
        "population.growth_rate": Indicator(unit: "", city: 13, dimension: nil),
    ]

    /// Parameters an assignment may change: traffic.toll by link 1…5 (indices 0…4), and water demand (5).
    static let parameters: [String: Indicator] = [
        "traffic.toll": Indicator(unit: "EUR", city: nil, dimension: ("link", ["1": 0, "2": 1, "3": 2, "4": 3, "5": 4])),
        "water.per_capita_demand": Indicator(unit: "l/day", city: 5, dimension: nil),
    ]

    static let current: [Double] = [1000, 100, 200, 300, 150, 250, 45, 12000, 30, 50, 40, 500, 700, 0.01]
    static let previous: [Double] = [990, 100, 190, 300, 150, 250, 50, 11000, 35, 50, 45, 480, 690, 0.012]

    func resolve(_ request: ReferenceRequest) -> Result<ResolvedReference, ReferenceError> {
        Self.lookup(request, in: Self.indicators, kind: "indicator").map { ResolvedReference(slots: $0.0, unit: $0.1) }
    }

    func resolve(_ request: ReferenceRequest) -> Result<ResolvedTarget, ReferenceError> {
        Self.lookup(request, in: Self.parameters, kind: "parameter").map { ResolvedTarget(indices: $0.0, unit: $0.1) }
    }

    static func lookup(_ request: ReferenceRequest, in table: [String: Indicator], kind: String)
        -> Result<([Int], String), ReferenceError>
    {
        guard let indicator = table[request.path] else {
            return .failure(
                ReferenceError(
                    "unknown \(kind) `\(request.path)`",
                    hint: Suggestion.hint(for: request.path, in: table.keys.sorted()),
                    span: request.reference.pathSpan
                ))
        }
        guard let selector = request.selector else {
            guard let city = indicator.city else {
                return .failure(ReferenceError("`\(request.path)` has no city-level value; select \(indicator.dimension!.singular)s"))
            }
            return .success(([city], indicator.unit))
        }
        guard let dimension = indicator.dimension, selector.names(dimension.singular) else {
            return .failure(ReferenceError("`\(request.path)` has no dimension `\(selector.keyword)`", span: selector.keywordSpan))
        }
        var slots: [Int] = []
        for item in selector.items {
            let names = item.integers.map { $0.map(String.init) } ?? [item.description]
            for name in names {
                guard let slot = dimension.elements[name] else {
                    return .failure(ReferenceError("\(dimension.singular) \(name) does not exist", span: item.span))
                }
                slots.append(slot)
            }
        }
        return .success((slots, indicator.unit))
    }
}
