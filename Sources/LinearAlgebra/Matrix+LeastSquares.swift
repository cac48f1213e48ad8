internal import CLAPACKE

extension Matrix {
    /// The least-squares solution of `A · x ≈ b` for a full-rank m × n matrix with m ≥ n (LAPACK dgels, QR).
    ///
    /// Minimises ‖A·x − b‖₂ for each column of `b`; returns the n × k solutions.
    /// - Throws: `LinearAlgebraError.rankDeficient` when A does not have full column rank.
    /// - Complexity: 2·m·n² − (2/3)·n³ flops for the QR factorisation.
    public func leastSquares(_ b: Matrix) throws -> Matrix {
        precondition(b.rows == rows, "least squares: right-hand side has \(b.rows) rows, expected \(rows)")
        precondition(rows >= columns, "least squares: need at least as many rows (\(rows)) as columns (\(columns))")
        var a = self
        var x = b
        if columns == 0 || b.columns == 0 { return Matrix(rows: columns, columns: b.columns) }
        let info = a.storage.withUnsafeMutableBufferPointer { pa in
            x.storage.withUnsafeMutableBufferPointer { px in
                LAPACKE_dgels(
                    LAPACK_COL_MAJOR, CChar(UInt8(ascii: "N")), LapackInt(rows), LapackInt(columns), LapackInt(b.columns),
                    pa.baseAddress, LapackInt(rows), px.baseAddress, LapackInt(rows))
            }
        }
        checkArguments(info, "dgels")
        if info > 0 { throw LinearAlgebraError.rankDeficient(column: Int(info)) }
        var solution = Matrix(rows: columns, columns: b.columns)
        for j in 0..<b.columns {
            for i in 0..<columns { solution[i, j] = x[i, j] }
        }
        return solution
    }

    /// The least-squares solution for one right-hand side.
    public func leastSquares(_ b: [Double]) throws -> [Double] {
        try leastSquares(Matrix(column: b)).storage
    }
}
