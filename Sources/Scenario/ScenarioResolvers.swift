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
        guard catalog.hasVariable(path) else { return .failure(unknown(request)) }
        let unit = unitOf(path)
        guard let selector = request.selector else { return unselected(request, unit: unit) }
        guard selector.names("zone", plural: "zones") else {
            return .failure(ReferenceError("indicators are selected by zone, not `\(selector.keyword)`",
                                           hint: "write e.g. [zones 1, 4-6]", span: selector.keywordSpan))
        }
        var slots: [Int] = []
        for item in selector.items {
            for id in ids(of: item) {
                switch zoneSlot(path, id: id, item: item, selector: selector) {
                case .success(let slot): slots.append(slot)
                case .failure(let error): return .failure(error)
                }
            }
        }
        return .success(ResolvedReference(slots: slots, unit: unit))
    }

    private func unitOf(_ path: String) -> String {
        let region: Region = catalog.isByZone(path) ? .zone(0) : .city
        let slot = catalog.slot(path, region) ?? catalog.slot(path, .city) ?? 0
        return catalog.entries[slot].unit
    }

    private func unknown(_ request: ReferenceRequest) -> ReferenceError {
        let suggestion = Suggestion.nearest(to: request.path, in: catalog.variables)
        let hint = suggestion.map { "did you mean `\($0)`?" } ?? "`citytwin describe <model>` lists the indicators"
        return ReferenceError("unknown indicator `\(request.path)`", hint: hint, span: request.reference.pathSpan)
    }

    private func unselected(_ request: ReferenceRequest, unit: String) -> Result<ResolvedReference, ReferenceError> {
        let path = request.path
        if let zone {
            if let slot = catalog.slot(path, .zone(zone)) { return .success(ResolvedReference(slots: [slot], unit: unit)) }
        }
        if let slot = catalog.slot(path, .city) { return .success(ResolvedReference(slots: [slot], unit: unit)) }
        return .failure(ReferenceError("`\(path)` has no city-level value", hint: "select zones, e.g. \(path)[zones 1-3]",
                                       span: request.reference.span))
    }

    private func ids(of item: SelectorItem) -> [String] {
        if let integers = item.integers { return integers.map(String.init) }
        return [item.description]
    }

    private func zoneSlot(_ path: String, id: String, item: SelectorItem, selector: Selector) -> Result<Int, ReferenceError> {
        let zoneIDs = catalog.zoneIDs
        guard let index = zoneIDs.firstIndex(of: id) else {
            let numeric = Int(id) != nil && zoneIDs.allSatisfy { Int($0) != nil }
            let bounds = id.split(separator: "-").compactMap { Int($0) }
            let hint = bounds.count == 2 && bounds[0] > bounds[1] ? "a range runs upwards: write `\(bounds[1])-\(bounds[0])`"
                : numeric ? "zone ids are \(zoneIDs.first ?? "") … \(zoneIDs.last ?? "") (zones.csv)"
                : Suggestion.hint(for: id, in: zoneIDs)
            return .failure(ReferenceError("zone `\(id)` does not exist", hint: hint, span: item.span))
        }
        guard let slot = catalog.slot(path, .zone(index)) else {
            return .failure(ReferenceError("`\(path)` has no values by zone", span: selector.span))
        }
        return .success(slot)
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
