/// The order in which modules step within a tick, derived from what they read and write.
///
/// A module that reads a field runs after the module that writes it (Kahn's topological sort, ties
/// broken by the order the modules were given). Where the declarations form a cycle, the module given
/// first among those on the cycle runs first and reads its inputs from the previous tick: a one-tick
/// lag, recorded in `laggedReads` so that it can be documented and reported. Modules that merely
/// depend on a cycle wait for it and are never lagged.
public struct ModuleSchedule: Sendable, Hashable {
    /// Indices into the given module list, in stepping order.
    public let order: [Int]
    /// (reader, field) pairs that see the previous tick's value because of a cycle.
    public let laggedReads: [LaggedRead]

    public struct LaggedRead: Sendable, Hashable {
        public let reader: String
        public let field: FieldKey
        public let writer: String

        public init(reader: String, field: FieldKey, writer: String) {
            self.reader = reader
            self.field = field
            self.writer = writer
        }
    }

    /// Orders `modules`. Two modules declaring the same written field is an error.
    public init(_ modules: [any SimulationModule]) throws {
        var writer: [FieldKey: Int] = [:]
        for (index, module) in modules.enumerated() {
            for key in module.writes {
                if let other = writer[key] {
                    throw SimulationError.conflictingWriters(field: key, first: modules[other].name, second: module.name)
                }
                writer[key] = index
            }
        }
        // Edges writer → reader.
        var dependsOn = modules.enumerated().map { index, module in
            Set(module.reads.compactMap { writer[$0] }).subtracting([index])
        }
        var order: [Int] = []
        var lagged: [LaggedRead] = []
        var remaining = Array(modules.indices)
        while !remaining.isEmpty {
            if let ready = remaining.first(where: { dependsOn[$0].isEmpty }) {
                order.append(ready)
                remaining.removeAll { $0 == ready }
                for i in remaining { dependsOn[i].remove(ready) }
            } else {
                // A cycle: run the first remaining module that lies on one; its unmet reads lag by one tick.
                let first = remaining.first { ModuleSchedule.reaches($0, from: $0, through: dependsOn) } ?? remaining[0]
                remaining.removeAll { $0 == first }
                for key in modules[first].reads.sorted() {
                    if let w = writer[key], dependsOn[first].contains(w) {
                        lagged.append(LaggedRead(reader: modules[first].name, field: key, writer: modules[w].name))
                    }
                }
                order.append(first)
                for i in remaining { dependsOn[i].remove(first) }
            }
        }
        self.order = order
        self.laggedReads = lagged
    }

    /// Whether `target` can be reached from `start`'s dependencies (so `start == target` asks for a cycle).
    static func reaches(_ target: Int, from start: Int, through dependsOn: [Set<Int>]) -> Bool {
        var seen = Set<Int>()
        var stack = Array(dependsOn[start])
        while let next = stack.popLast() {
            if next == target { return true }
            if seen.insert(next).inserted { stack += dependsOn[next] }
        }
        return false
    }
}
