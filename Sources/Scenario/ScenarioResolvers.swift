import CityTwinCore
import Foundation

/// Resolves references in conditions and values to indicator slots, for every dimension the modules
/// declare: `population.total` (city), `population.total[zones 1, 4-6]` (those zones),
/// `traffic.vc[link 9-10]`, `economy.output[sector manufacturing]`, `water.supply[source wells]`,
/// `population.by_age_sex[65-69, female]` (elements), `sum(water.deficit[district north])` (the zones of
/// a district), `previous(population.births)`.
///
/// With `zone` set (an alert evaluated zone by zone), a reference without a selector to a variable
/// that has zone values reads that zone's value.
struct IndicatorResolver: ReferenceResolver {
    let catalog: IndicatorCatalog
    var zone: Int? = nil

    func resolve(_ request: ReferenceRequest) -> Result<ResolvedReference, ReferenceError> {
        let path = request.path
        guard let descriptor = catalog.descriptor(path) else { return .failure(unknown(request)) }
        let unit = descriptor.unit
        guard let selector = request.selector else { return unselected(request, descriptor) }
        let slots: Result<[Int], ReferenceError>
        if selector.names("zone", plural: "zones"), descriptor.byZone {
            slots = zoneSlots(path, selector)
        } else if selector.names("district", plural: "districts"), descriptor.byZone {
            slots = districtSlots(path, selector)
        } else if let elements = descriptor.elements,
            elements.dimension.isEmpty ? selector.keyword.isEmpty : selector.names(elements.dimension)
        {
            slots = elementSlots(descriptor, elements, selector)
        } else {
            var accepted: [String] = descriptor.byZone ? ["[zones 1, 4-6]"] : []
            if let elements = descriptor.elements {
                let example = elements.names.first ?? "…"
                accepted.append(
                    elements.dimension.isEmpty
                        ? "[\(example.replacingOccurrences(of: ",", with: ", "))]" : "[\(elements.dimension) \(example)]")
            }
            let found = selector.keyword.isEmpty ? "a selector without a dimension" : "`\(selector.keyword)`"
            return .failure(
                ReferenceError(
                    accepted.isEmpty ? "`\(path)` is a single value; it takes no selector" : "`\(path)` is not selected by \(found)",
                    hint: accepted.isEmpty ? nil : "write e.g. \(path)\(accepted.joined(separator: " or \(path)"))",
                    span: selector.keyword.isEmpty ? selector.span : selector.keywordSpan))
        }
        return slots.map { ResolvedReference(slots: $0, unit: unit) }
    }

    private func unknown(_ request: ReferenceRequest) -> ReferenceError {
        let suggestion = Suggestion.nearest(to: request.path, in: catalog.paths)
        let hint = suggestion.map { "did you mean `\($0)`?" } ?? "`citytwin describe <model>` lists the indicators"
        return ReferenceError("unknown indicator `\(request.path)`", hint: hint, span: request.reference.pathSpan)
    }

    private func unselected(_ request: ReferenceRequest, _ descriptor: IndicatorDescriptor) -> Result<ResolvedReference, ReferenceError> {
        let path = request.path
        let unit = descriptor.unit
        if let zone, let slot = catalog.slot(path, .zone(zone)) { return .success(ResolvedReference(slots: [slot], unit: unit)) }
        if let slot = catalog.slot(path, .city) { return .success(ResolvedReference(slots: [slot], unit: unit)) }
        let example =
            descriptor.byZone
            ? "\(path)[zones 1-3]"
            : descriptor.elements.map {
                $0.dimension.isEmpty ? "\(path)[\($0.names.first ?? "")]" : "\(path)[\($0.dimension) \($0.names.first ?? "")]"
            } ?? path
        return .failure(
            ReferenceError(
                "`\(path)` has no city-level value", hint: "select what to read, e.g. \(example)",
                span: request.reference.span))
    }

    /// Zone slots; ranges of whole numbers are zone ids, expanded only when no larger than the zone list.
    private func zoneSlots(_ path: String, _ selector: Selector) -> Result<[Int], ReferenceError> {
        let zoneIDs = catalog.zoneIDs
        var slots: [Int] = []
        for item in selector.items {
            let ids: [String]
            if let integers = item.integers {
                guard integers.count <= zoneIDs.count else {
                    return .failure(
                        ReferenceError(
                            "`\(item)` names \(integers.count) zones; the model has \(zoneIDs.count)",
                            span: item.span))
                }
                ids = integers.map(String.init)
            } else {
                ids = [item.description]
            }
            for id in ids {
                guard let index = zoneIDs.firstIndex(of: id) else {
                    let numeric = Int(id) != nil && zoneIDs.allSatisfy { Int($0) != nil }
                    let bounds = id.split(separator: "-").compactMap { Int($0) }
                    let hint =
                        bounds.count == 2 && bounds[0] > bounds[1]
                        ? "a range runs upwards: write `\(bounds[1])-\(bounds[0])`"
                        : numeric
                            ? "zone ids are \(zoneIDs.first ?? "") … \(zoneIDs.last ?? "") (zones.csv)"
                            : Suggestion.hint(for: id, in: zoneIDs)
                    return .failure(ReferenceError("zone `\(id)` does not exist", hint: hint, span: item.span))
                }
                slots.append(catalog.slot(path, .zone(index))!)
            }
        }
        return .success(slots)
    }

    /// The zone slots of the named districts (`[district north]`, `[districts north, east]`): read them
    /// with sum(), mean(), min() or max() — e.g. `sum(water.deficit[district north])`.
    private func districtSlots(_ path: String, _ selector: Selector) -> Result<[Int], ReferenceError> {
        let districts = catalog.zoneDistricts.compactMap { $0 }
        guard !districts.isEmpty else {
            return .failure(
                ReferenceError(
                    "the model declares no districts", hint: "add a `district` column to zones.csv",
                    span: selector.keywordSpan))
        }
        var slots: [Int] = []
        for item in selector.items {
            let name = item.description
            let zones = catalog.zoneDistricts.indices.filter { catalog.zoneDistricts[$0] == name }
            guard !zones.isEmpty else {
                var known: [String] = []
                for district in districts where !known.contains(district) { known.append(district) }
                return .failure(
                    ReferenceError(
                        "district `\(name)` does not exist",
                        hint: Suggestion.hint(for: name, in: known)
                            ?? "districts are \(known.joined(separator: ", ")) (zones.csv)", span: item.span))
            }
            slots += zones.compactMap { catalog.slot(path, .zone($0)) }
        }
        return .success(slots)
    }

    /// Element slots. Items are element names (`9-10` is the link from 9 to 10, never a range of
    /// positions); a dimension whose names have two parts (`65-69,female`) takes both as items.
    private func elementSlots(_ descriptor: IndicatorDescriptor, _ elements: IndicatorDescriptor.Elements, _ selector: Selector)
        -> Result<[Int], ReferenceError>
    {
        let names = elements.names
        let dimension = elements.dimension.isEmpty ? "element" : elements.dimension
        let composite = names.first?.contains(",") ?? false
        let wanted: [(String, SourceSpan)] =
            composite
            ? [(selector.items.map(\.description).joined(separator: ","), selector.span)]
            : selector.items.map { ($0.description, $0.span) }
        var slots: [Int] = []
        for (name, span) in wanted {
            let match = names.contains(name) ? name : names.first { $0 == name + "+" || $0.hasPrefix(name + "+,") }
            guard let match, let slot = catalog.slot(descriptor.variable(element: match)) else {
                return .failure(
                    ReferenceError(
                        "`\(descriptor.path)` has no \(dimension) `\(name)`",
                        hint: Suggestion.hint(for: name, in: names), span: span))
            }
            slots.append(slot)
        }
        return .success(slots)
    }
}

/// Resolves assignment targets to parameter slots: `population.fertility_scale`,
/// `traffic.capacity[links 3, 7]`, `economy.final_demand_growth[sectors manufacturing]`.
struct ParameterResolver: TargetResolver {
    let catalog: ParameterCatalog

    func resolve(_ request: ReferenceRequest) -> Result<ResolvedTarget, ReferenceError> {
        guard let index = catalog.index(of: request.path) else {
            return .failure(
                ReferenceError(
                    "unknown parameter `\(request.path)`",
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
            return .failure(
                ReferenceError(
                    "`\(request.path)` is selected by \(dimension.name), not `\(selector.keyword)`",
                    hint: "write e.g. [\(dimension.name)s 1-3]", span: selector.keywordSpan))
        }
        switch catalog.elements(selector.items.map { ($0.description, $0.integers) }, of: descriptor) {
        case .success(let positions):
            return .success(ResolvedTarget(indices: positions.map { slots.lowerBound + $0 }, unit: descriptor.unit))
        case .failure(let message): return .failure(ReferenceError(message.text, hint: message.hint, span: selector.span))
        }
    }
}
