/// A dense matrix of `Double`, stored column-major so that BLAS and LAPACK read it without copying.
///
/// Element (i, j) — row i, column j, both zero-based — lives at `storage[i + j · rows]`.
/// A column is contiguous; a row is strided by `rows`. A vector is a matrix with one column.
///
/// `Matrix` is a value type with copy-on-write storage (it wraps a Swift `Array`), so it is `Sendable`
/// and `Hashable`: a model's parameters can be hashed for provenance.
public struct Matrix: Sendable, Hashable, CustomStringConvertible {
    /// Number of rows.
    public let rows: Int
    /// Number of columns.
    public let columns: Int
    /// The elements in column-major order: `storage[i + j * rows]` is element (i, j).
    ///
    /// Elements may be changed in place, but never the count: the shape is fixed at construction, and
    /// replacing or resizing the array to another length traps.
    public var storage: [Double] {
        get { elements }
        set {
            precondition(newValue.count == rows * columns, "storage of a \(rows)×\(columns) matrix set to \(newValue.count) elements")
            elements = newValue
        }
        _modify {
            yield &elements
            precondition(elements.count == rows * columns, "storage of a \(rows)×\(columns) matrix resized to \(elements.count) elements")
        }
    }
    private var elements: [Double]

    /// A matrix filled with one value (zero by default).
    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.elements = Array(repeating: value, count: rows * columns)
    }

    /// A matrix over existing column-major storage.
    public init(rows: Int, columns: Int, columnMajor storage: [Double]) {
        precondition(storage.count == rows * columns, "storage has \(storage.count) elements, expected \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.elements = storage
    }

    /// A matrix from nested rows, as a person writes it: `Matrix([[1, 2], [3, 4]])`.
    public init(_ rowsOfValues: [[Double]]) {
        let rows = rowsOfValues.count
        let columns = rowsOfValues.first?.count ?? 0
        precondition(rowsOfValues.allSatisfy { $0.count == columns }, "all rows must have the same length")
        var storage = [Double](repeating: 0, count: rows * columns)
        for i in 0..<rows {
            for j in 0..<columns { storage[i + j * rows] = rowsOfValues[i][j] }
        }
        self.init(rows: rows, columns: columns, columnMajor: storage)
    }

    /// A column vector.
    public init(column values: [Double]) {
        self.init(rows: values.count, columns: 1, columnMajor: values)
    }

    /// The n × n identity.
    public static func identity(_ n: Int) -> Matrix {
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = 1 }
        return m
    }

    /// A square matrix with `values` on its diagonal.
    public static func diagonal(_ values: [Double]) -> Matrix {
        let n = values.count
        var m = Matrix(rows: n, columns: n)
        for i in 0..<n { m.storage[i + i * n] = values[i] }
        return m
    }

    /// Element (i, j).
    @inlinable
    public subscript(i: Int, j: Int) -> Double {
        get {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) outside \(rows)×\(columns)")
            return storage[i + j * rows]
        }
        set {
            precondition(i >= 0 && i < rows && j >= 0 && j < columns, "index (\(i), \(j)) outside \(rows)×\(columns)")
            storage[i + j * rows] = newValue
        }
    }

    /// Whether the matrix is square.
    public var isSquare: Bool { rows == columns }

    /// Column j as an array (a copy).
    public func column(_ j: Int) -> [Double] {
        Array(storage[(j * rows)..<((j + 1) * rows)])
    }

    /// Row i as an array (a copy; rows are strided).
    public func row(_ i: Int) -> [Double] {
        (0..<columns).map { storage[i + $0 * rows] }
    }

    /// Replaces column j.
    public mutating func setColumn(_ j: Int, to values: [Double]) {
        precondition(values.count == rows, "column has \(values.count) values, expected \(rows)")
        storage.replaceSubrange((j * rows)..<((j + 1) * rows), with: values)
    }

    /// The transpose, as a new matrix.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for j in 0..<columns {
            for i in 0..<rows { t.storage[j + i * columns] = storage[i + j * rows] }
        }
        return t
    }

    /// Sum of all elements.
    public var sum: Double { storage.reduce(0, +) }

    /// Sums of each column.
    public var columnSums: [Double] {
        (0..<columns).map { j in storage[(j * rows)..<((j + 1) * rows)].reduce(0, +) }
    }

    /// Sums of each row.
    public var rowSums: [Double] {
        var sums = [Double](repeating: 0, count: rows)
        for j in 0..<columns {
            for i in 0..<rows { sums[i] += storage[i + j * rows] }
        }
        return sums
    }

    public var description: String {
        (0..<rows).map { i in (0..<columns).map { j in "\(self[i, j])" }.joined(separator: "\t") }
            .joined(separator: "\n")
    }
}
