public import LinearAlgebra

/// A linear observation operator H: state (n) → observations (m).
///
/// `.indices` observes state components directly (yₖ = x_{iₖ}), the common case for sensors and for the
/// benchmarks; it costs m·N copies per analysis instead of the 2·m·n·N flops of a dense H.
public enum ObservationOperator: Sendable {
    /// yₖ = x[indices[k]].
    case indices([Int])
    /// y = H·x with H an m × n matrix.
    case matrix(Matrix)

    /// m, the number of observations.
    public var observationCount: Int {
        switch self {
        case .indices(let indices): indices.count
        case .matrix(let h): h.rows
        }
    }

    /// H·E for an n × N ensemble, as an m × N matrix.
    public func apply(to ensemble: Matrix) -> Matrix {
        switch self {
        case .indices(let indices):
            let (n, members) = (ensemble.rows, ensemble.columns)
            let m = indices.count
            precondition(indices.allSatisfy { $0 >= 0 && $0 < n }, "observation index outside the state (size \(n))")
            let source = ensemble.storage
            var values = [Double](repeating: 0, count: m * members)
            for j in 0..<members {
                for (k, i) in indices.enumerated() { values[k + j * m] = source[i + j * n] }
            }
            return Matrix(rows: m, columns: members, columnMajor: values)
        case .matrix(let h):
            precondition(h.columns == ensemble.rows, "H has \(h.columns) columns, the state \(ensemble.rows) rows")
            return Matrix.product(h, ensemble)
        }
    }
}
