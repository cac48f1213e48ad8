public import LinearAlgebra

/// The name of a state field, a dotted path such as `population.cohorts` or `traffic.link_volume`.
public struct FieldKey: Sendable, Hashable, Comparable, CustomStringConvertible, ExpressibleByStringLiteral {
    public let path: String
    public init(_ path: String) { self.path = path }
    public init(stringLiteral value: String) { self.path = value }
    public var description: String { path }
    public static func < (a: FieldKey, b: FieldKey) -> Bool { a.path < b.path }
}

/// A named dimension of a field: what its rows or columns index (age, zone, link, sector, …).
public struct Dimension: Sendable, Hashable, CustomStringConvertible {
    /// What the index means, e.g. "age×sex", "zone", "link".
    public let name: String
    /// Its length.
    public let count: Int

    public init(_ name: String, _ count: Int) {
        self.name = name
        self.count = count
    }

    /// A dimension of length one (a scalar's rows or a row vector's rows).
    public static let one = Dimension("1", 1)

    public var description: String { "\(name)[\(count)]" }
}

/// One quantity of the city: a dense column-major matrix with named row and column dimensions and a unit.
///
/// Ensembles will widen the column dimension (zone × member) so that one GEMM advances all members;
/// fields therefore never assume that their column count equals the zone count without saying so.
public struct Field: Sendable, Hashable {
    public let rows: Dimension
    public let columns: Dimension
    /// Unit of every element, e.g. "persons".
    public let unit: String
    /// The values, `rows.count × columns.count`.
    public var values: Matrix

    public init(rows: Dimension, columns: Dimension, unit: String, values: Matrix) {
        precondition(
            values.rows == rows.count && values.columns == columns.count,
            "field values are \(values.rows)×\(values.columns), dimensions say \(rows.count)×\(columns.count)")
        self.rows = rows
        self.columns = columns
        self.unit = unit
        self.values = values
    }

    /// A field of zeros.
    public init(rows: Dimension, columns: Dimension, unit: String) {
        self.init(rows: rows, columns: columns, unit: unit, values: Matrix(rows: rows.count, columns: columns.count))
    }
}

/// Everything the simulation knows about the city at one instant: named fields of dense matrices.
///
/// Modules read and write fields by key. Reads of a field nobody declared are a programming error and
/// trap with the key's name; `Simulation` checks the declarations against the fields before the clock
/// starts.
public struct CityState: Sendable, Hashable {
    /// The fields by key (set within the core only: by `add`, the subscripts and a saved state's restore).
    public internal(set) var fields: [FieldKey: Field] = [:]
    /// While a module steps, initializes or reports: the fields it declared (see CityState+Access.swift).
    /// Not part of the state's value: equality and hashing ignore it.
    var access: FieldAccess?
    /// The length of the run's base tick in years, for modules that report a step's flows per year.
    /// Set by `Simulation`; like `access`, not part of the state's value.
    public internal(set) var tickYears = 1.0

    public init() {}

    public static func == (a: CityState, b: CityState) -> Bool { a.fields == b.fields }
    public func hash(into hasher: inout Hasher) { hasher.combine(fields) }

    /// Adds a field. Adding a key twice is a programming error (two modules writing one field).
    public mutating func add(_ key: FieldKey, _ field: Field) {
        precondition(fields[key] == nil, "field \(key) is already in the state")
        checkWrite(key)
        fields[key] = field
    }

    /// Whether the state has a field.
    public func contains(_ key: FieldKey) -> Bool { fields[key] != nil }

    /// The field with this key.
    public func field(_ key: FieldKey) -> Field {
        checkRead(key)
        guard let field = fields[key] else { preconditionFailure("no field \(key) in the city state") }
        return field
    }

    /// The values of a field.
    public subscript(key: FieldKey) -> Matrix {
        get { field(key).values }
        set {
            checkWrite(key)
            guard let shape = fields[key].map({ ($0.values.rows, $0.values.columns) }) else {
                preconditionFailure("no field \(key) in the city state")
            }
            precondition(
                shape == (newValue.rows, newValue.columns),
                "field \(key) is \(shape.0)×\(shape.1); a \(newValue.rows)×\(newValue.columns) matrix cannot replace it")
            fields[key]!.values = newValue
        }
    }

    /// Mutates a field's values in place, without copying its storage.
    public mutating func modify<R>(_ key: FieldKey, _ body: (inout Matrix) throws -> R) rethrows -> R {
        checkWrite(key)
        // Only the shape is kept (not the values: holding them would make the body copy the storage).
        guard let shape = fields[key].map({ ($0.values.rows, $0.values.columns) }) else {
            preconditionFailure("no field \(key) in the city state")
        }
        defer {
            let values = fields[key]!.values
            precondition(values.rows == shape.0 && values.columns == shape.1, "field \(key) changed shape while modified")
        }
        return try body(&fields[key]!.values)
    }

    /// All keys, sorted.
    public var keys: [FieldKey] { fields.keys.sorted() }
}
