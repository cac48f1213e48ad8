public import LinearAlgebra

/// A simulation's state at the end of its clock, saved so that a later run continues from it: every field
/// of the ``CityState`` (values bit for bit), the instant, the position of the random streams, and what
/// modules carry between ticks outside the state (``ModuleMemory``).
///
/// Random streams are keyed by (seed, member, module, tick) with the tick counted from the model's base
/// year (``Simulation/ticksBefore`` + completed ticks), so a continued run draws exactly what the
/// uninterrupted run would have drawn: the streams' "position" is that tick count.
public struct SimulationSnapshot: Codable, Sendable, Hashable {
    /// One field: its dimensions, unit and values (column-major).
    public struct SavedField: Codable, Sendable, Hashable {
        public let rowsName: String
        public let rows: Int
        public let columnsName: String
        public let columns: Int
        public let unit: String
        public let values: PackedDoubles

        init(_ field: Field) {
            rowsName = field.rows.name
            rows = field.rows.count
            columnsName = field.columns.name
            columns = field.columns.count
            unit = field.unit
            values = PackedDoubles(field.values.storage)
        }

        var field: Field {
            Field(
                rows: Dimension(rowsName, rows), columns: Dimension(columnsName, columns), unit: unit,
                values: Matrix(rows: rows, columns: columns, columnMajor: values.values))
        }
    }

    /// Decimal year of the saved instant (the end of the clock that ran).
    public let time: Double
    /// Ticks completed since the model's base year: the random streams' position.
    public let ticks: Int
    /// The length of a tick, e.g. "1 year" (a continuation must use the same).
    public let tick: String
    /// The fields by key.
    public let fields: [String: SavedField]
    /// Carried values of the modules that adopt ``ModuleMemory``, by module name.
    public let memories: [String: [String: PackedDoubles]]

    public init(time: Double, ticks: Int, tick: String, state: CityState, memories: [String: [String: [Double]]]) {
        self.time = time
        self.ticks = ticks
        self.tick = tick
        fields = Dictionary(uniqueKeysWithValues: state.fields.map { ($0.key.path, SavedField($0.value)) })
        self.memories = memories.mapValues { $0.mapValues(PackedDoubles.init) }
    }

    /// Replaces the values of `state`'s fields by the saved ones, checking that the two have the same
    /// fields with the same shapes (a different model or a different `without:` gives other fields).
    func restore(into state: inout CityState) throws {
        let saved = Set(fields.keys), current = Set(state.fields.keys.map(\.path))
        if saved != current {
            let missing = current.subtracting(saved).sorted(), extra = saved.subtracting(current).sorted()
            throw SimulationError.incompatibleSnapshot(
                "the saved state's fields differ from this model's"
                    + (missing.isEmpty ? "" : "; not saved: \(missing.joined(separator: ", "))")
                    + (extra.isEmpty ? "" : "; saved but not in this model: \(extra.joined(separator: ", "))")
                    + " — continue with the same model and the same `without:`")
        }
        for key in state.keys {
            let saved = fields[key.path]!
            let field = state.fields[key]!
            guard saved.rows == field.values.rows, saved.columns == field.values.columns,
                saved.values.values.count == saved.rows * saved.columns
            else {
                throw SimulationError.incompatibleSnapshot(
                    "field \(key) is \(field.values.rows)×\(field.values.columns) in this model but \(saved.rows)×\(saved.columns) "
                        + "in the saved state — continue with the same model files")
            }
            state.fields[key] = saved.field
        }
    }
}
