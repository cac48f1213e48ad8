internal import CLAPACKE

/// The LU factorisation `P · A = L · U` of a square matrix with partial pivoting (LAPACK dgetrf).
///
/// Factor once, solve many: the Leontief model refactors only when its coefficients change and solves
/// once per tick. Solving costs O(n²) per right-hand side against O(n³) for the factorisation.
public struct LUFactorization: Sendable {
    /// L (unit lower, below the diagonal) and U (upper) packed in one matrix, as dgetrf leaves them.
    public let factors: Matrix
    /// One-based pivot rows, as LAPACK writes them.
    let pivots: [LapackInt]

    /// Factors `a`.
    /// - Throws: `LinearAlgebraError.singular` when a pivot is exactly zero.
    /// - Complexity: (2/3)·n³ flops.
    public init(_ a: Matrix) throws {
        precondition(a.isSquare, "LU: the matrix is \(a.rows)×\(a.columns), not square")
        var lu = a
        let n = a.rows
        var pivots = [LapackInt](repeating: 0, count: max(1, n))
        let info = lu.storage.withUnsafeMutableBufferPointer { pa in
            pivots.withUnsafeMutableBufferPointer { pp in
                LAPACKE_dgetrf(LAPACK_COL_MAJOR, LapackInt(n), LapackInt(n), pa.baseAddress, LapackInt(max(1, n)), pp.baseAddress)
            }
        }
        checkArguments(info, "dgetrf")
        if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info)) }
        self.factors = lu
        self.pivots = pivots
    }

    /// Order of the factored matrix.
    public var order: Int { factors.rows }

    /// Solves `A · X = B` (or `Aᵀ · X = B`) for X, all columns of B at once (dgetrs).
    public func solve(_ b: Matrix, transpose: Transpose = .none) -> Matrix {
        precondition(b.rows == order, "LU solve: right-hand side has \(b.rows) rows, expected \(order)")
        var x = b
        if order == 0 || b.columns == 0 { return x }
        let trans: CChar = transpose == .none ? CChar(UInt8(ascii: "N")) : CChar(UInt8(ascii: "T"))
        let info = factors.storage.withUnsafeBufferPointer { pa in
            pivots.withUnsafeBufferPointer { pp in
                x.storage.withUnsafeMutableBufferPointer { px in
                    LAPACKE_dgetrs(
                        LAPACK_COL_MAJOR, trans, LapackInt(order), LapackInt(b.columns),
                        pa.baseAddress, LapackInt(order), pp.baseAddress, px.baseAddress, LapackInt(order))
                }
            }
        }
        checkArguments(info, "dgetrs")
        return x
    }

    /// Solves `A · x = b` for one vector.
    public func solve(_ b: [Double], transpose: Transpose = .none) -> [Double] {
        solve(Matrix(column: b), transpose: transpose).storage
    }

    /// A⁻¹, by solving against the identity. Prefer `solve` unless the inverse itself is wanted
    /// (e.g. the Leontief inverse, whose entries are multipliers).
    public var inverse: Matrix { solve(Matrix.identity(order)) }

    /// det(A) from the diagonal of U and the parity of the pivots.
    public var determinant: Double {
        var det = 1.0
        for i in 0..<order {
            det *= factors[i, i]
            if pivots[i] != LapackInt(i + 1) { det = -det }
        }
        return det
    }
}

extension Matrix {
    /// Solves `A · X = B` in one call (LAPACK dgesv). Use `LUFactorization` to solve many times.
    /// - Throws: `LinearAlgebraError.singular`.
    public func solve(_ b: Matrix) throws -> Matrix {
        precondition(isSquare, "solve: the matrix is \(rows)×\(columns), not square")
        precondition(b.rows == rows, "solve: right-hand side has \(b.rows) rows, expected \(rows)")
        var a = self
        var x = b
        let n = rows
        if n == 0 || b.columns == 0 { return x }
        var pivots = [LapackInt](repeating: 0, count: n)
        let info = a.storage.withUnsafeMutableBufferPointer { pa in
            pivots.withUnsafeMutableBufferPointer { pp in
                x.storage.withUnsafeMutableBufferPointer { px in
                    LAPACKE_dgesv(
                        LAPACK_COL_MAJOR, LapackInt(n), LapackInt(b.columns), pa.baseAddress, LapackInt(n),
                        pp.baseAddress, px.baseAddress, LapackInt(n))
                }
            }
        }
        checkArguments(info, "dgesv")
        if info > 0 { throw LinearAlgebraError.singular(pivot: Int(info)) }
        return x
    }

    /// Solves `A · x = b` for one vector.
    public func solve(_ b: [Double]) throws -> [Double] {
        try solve(Matrix(column: b)).storage
    }

    /// A⁻¹ (through an LU factorisation).
    public func inverse() throws -> Matrix {
        try LUFactorization(self).inverse
    }
}
