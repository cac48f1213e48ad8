import CityTwinCore

/// Resolves references in conditions and values to indicator slots: `population.total` (city),
/// `population.total[zones 1, 4-6]` (those zones), `previous(population.births)`.
///
/// With `zone` set (an alert evaluated zone by zone), a reference without a selector to a variable
/// that has zone values reads that zone's value.
struct IndicatorResolver: ReferenceResolver {
    let catalog: IndicatorCatalog
    var zone: Int? = nil

    func resolve(_ request: ReferenceRequest) -> Result<ResolvedReference, ReferenceError> {
        let path = request.path
        guard catalog.hasVariable(path) else {
            return .failure(ReferenceError("unknown indicator `\(path)`",
                                           hint: Suggestion.hint(for: path, in: catalog.variables).map { $0.hasPrefix("did") ? $0 : "see `citytwin describe`" },
                                           span: request.reference.pathSpan))
        }
        let unit = catalog.entries[catalog.slot(path, catalog.isByZone(path) ? .zone(0) : .city) ?? 0].unit
        guard let selector = request.selector else {
            if let zone, let slot = catalog.slot(path, .zone(zone)) { return .success(ResolvedReference(slots: [slot], unit: unit)) }
            guard let slot = catalog.slot(path, .city) else {
                return .failure(ReferenceError("`\(path)` has no city-level value", hint: "select zones, e.g. \(path)[zones 1-3]",
                                               span: request.reference.span))
            }
            return .success(ResolvedReference(slots: [slot], unit: unit))
        }
        guard selector.names("zone", plural: "zones") else {
            return .failure(ReferenceError("indicators are selected by zone, not `\(selector.keyword)`",
                                           hint: "write e.g. [zones 1, 4-6]", span: selector.keywordSpan))
        }
        var slots: [Int] = []
        for item in selector.items {
            let ids = item.integers.map { $0.map(String.init) } ?? [item.description]
            for id in ids {
                guard let index = catalog.zoneIDs.firstIndex(of: id) else {
                    return .failure(ReferenceError("zone `\(id)` does not exist", hint: Suggestion.hint(for: id, in: catalog.zoneIDs),
                                                   span: item.span))
                }
                guard let slot = catalog.slot(path, .zone(index)) else {
                    return .failure(ReferenceError("`\(path)` has no values by zone", span: selector.span))
                }
                slots.append(slot)
            }
        }
        return .success(ResolvedReference(slots: slots, unit: unit))
    }
}

/// Resolves assignment targets to parameter slots: `population.fertility_scale`,
/// `traffic.capacity[links 3, 7]`, `economy.final_demand_growth[sectors manufacturing]`.
struct ParameterResolver: TargetResolver {
    let catalog: ParameterCatalog

    func resolve(_ request: ReferenceRequest) -> Result<ResolvedTarget, ReferenceError> {
        guard let index = catalog.index(of: request.path) else {
            return .failure(ReferenceError("unknown parameter `\(request.path)`",
                                           hint: Suggestion.hint(for: request.path, in: catalog.paths),
                                           span: request.reference.pathSpan))
        }
        let descriptor = catalog.descriptors[index]
        let slots = catalog.slots(of: index)
        guard let selector = request.selector else {
            return .success(ResolvedTarget(indices: Array(slots), unit: descriptor.unit))
        }
        guard let dimension = descriptor.dimension else {
            return .failure(ReferenceError("`\(request.path)` is a single value; it takes no selector", span: selector.span))
        }
        guard selector.names(dimension.name, plural: dimension.name + "s") else {
            return .failure(ReferenceError("`\(request.path)` is selected by \(dimension.name), not `\(selector.keyword)`",
                                           hint: "write e.g. [\(dimension.name)s 1-3]", span: selector.keywordSpan))
        }
        switch catalog.elements(selector.items.map { ($0.description, $0.integers) }, of: descriptor) {
        case .success(let positions): return .success(ResolvedTarget(indices: positions.map { slots.lowerBound + $0 }, unit: descriptor.unit))
        case .failure(let message): return .failure(ReferenceError(message.text, hint: message.hint, span: selector.span))
        }
    }
}
