/// The coupling graph of a set of modules, generated from their declared reads and writes: which module
/// writes each field, who reads it, the stepping order, the rates and the reads that lag a tick because
/// of a cycle. `markdown` renders it as a document (a Mermaid flowchart and tables) so that the picture
/// in the docs is never drawn by hand.
public struct CouplingGraph: Sendable {
    public struct Edge: Sendable, Hashable {
        public let writer: String
        public let reader: String
        public let field: FieldKey
        /// Whether the reader sees the previous tick's value (a cycle broken by a one-tick lag).
        public let lagged: Bool
    }

    /// Module names in stepping order, with their substeps per base tick.
    public let order: [(name: String, substeps: Int)]
    public let edges: [Edge]
    /// Fields read that no module writes (they must come with the initial state).
    public let externalInputs: [(reader: String, field: FieldKey)]

    public init(_ modules: [any SimulationModule]) throws {
        let schedule = try ModuleSchedule(modules)
        order = schedule.order.map { (modules[$0].name, modules[$0].substeps) }
        var writer: [FieldKey: String] = [:]
        for module in modules { for key in module.writes { writer[key] = module.name } }
        let lagged = Set(schedule.laggedReads.map { "\($0.reader)|\($0.field)" })
        var edges: [Edge] = []
        var external: [(String, FieldKey)] = []
        for index in schedule.order {
            let module = modules[index]
            for key in module.reads.sorted() {
                if let w = writer[key] {
                    if w != module.name {
                        edges.append(Edge(writer: w, reader: module.name, field: key, lagged: lagged.contains("\(module.name)|\(key)")))
                    }
                } else {
                    external.append((module.name, key))
                }
            }
        }
        self.edges = edges
        self.externalInputs = external
    }

    /// A Markdown document: stepping order, a Mermaid flowchart (dashed arrows lag a tick) and a table.
    public func markdown(title: String) -> String {
        var lines = [
            "# \(title)", "",
            "Generated from the modules' declared `reads` and `writes` by `CouplingGraph`; do not edit by hand.", "",
            "## Stepping order within one base tick", "",
        ]
        for (i, module) in order.enumerated() {
            let rate = module.substeps == 1 ? "once per tick" : "\(module.substeps) substeps per tick"
            lines.append("\(i + 1). `\(module.name)` — \(rate)")
        }
        lines += [
            "", "## Graph", "", "Solid arrows: the reader runs after the writer in the same tick. Dashed arrows: the read sees",
            "the previous tick's value (a cycle broken by a one-tick lag).", "", "```mermaid", "flowchart LR",
        ]
        for module in order { lines.append("    \(module.name)[\(module.name)]") }
        var grouped: [String: [Edge]] = [:]
        for edge in edges { grouped["\(edge.writer)|\(edge.reader)|\(edge.lagged)", default: []].append(edge) }
        for key in grouped.keys.sorted() {
            let group = grouped[key]!
            let label = group.map(\.field.path).sorted().joined(separator: "<br/>")
            let arrow = group[0].lagged ? "-. \"\(label)\" .->" : "-- \"\(label)\" -->"
            lines.append("    \(group[0].writer) \(arrow) \(group[0].reader)")
        }
        lines += ["```", "", "## Fields exchanged", "", "| field | writer | reader | timing |", "|---|---|---|---|"]
        for edge in edges.sorted(by: { ($0.field, $0.reader) < ($1.field, $1.reader) }) {
            lines.append("| `\(edge.field)` | \(edge.writer) | \(edge.reader) | \(edge.lagged ? "previous tick (cycle)" : "same tick") |")
        }
        if !externalInputs.isEmpty {
            lines += ["", "## Inputs from the initial state", ""]
            for input in externalInputs { lines.append("- `\(input.field)` read by \(input.reader)") }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
