internal import CLAPACKE

/// The Cholesky factorisation `A = L · Lᵀ` of a symmetric positive-definite matrix (LAPACK dpotrf).
///
/// Half the work of LU and no pivoting; the natural solver for covariance matrices and normal equations.
public struct CholeskyFactorization: Sendable {
    /// The lower-triangular factor L (the strict upper triangle is zero).
    public let lower: Matrix

    /// Factors `a`, reading only its lower triangle.
    /// - Throws: `LinearAlgebraError.notPositiveDefinite`.
    /// - Complexity: (1/3)·n³ flops.
    public init(_ a: Matrix) throws {
        precondition(a.isSquare, "Cholesky: the matrix is \(a.rows)×\(a.columns), not square")
        let n = a.rows
        var l = a
        let info = l.storage.withUnsafeMutableBufferPointer { pa in
            LAPACKE_dpotrf(LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), LapackInt(n), pa.baseAddress, LapackInt(max(1, n)))
        }
        checkArguments(info, "dpotrf")
        if info > 0 { throw LinearAlgebraError.notPositiveDefinite(minor: Int(info)) }
        for j in 0..<n {
            for i in 0..<j { l[i, j] = 0 }
        }
        self.lower = l
    }

    /// Solves `A · X = B` (dpotrs).
    public func solve(_ b: Matrix) -> Matrix {
        let n = lower.rows
        precondition(b.rows == n, "Cholesky solve: right-hand side has \(b.rows) rows, expected \(n)")
        var x = b
        if n == 0 || b.columns == 0 { return x }
        let info = lower.storage.withUnsafeBufferPointer { pl in
            x.storage.withUnsafeMutableBufferPointer { px in
                LAPACKE_dpotrs(
                    LAPACK_COL_MAJOR, CChar(UInt8(ascii: "L")), LapackInt(n), LapackInt(b.columns),
                    pl.baseAddress, LapackInt(n), px.baseAddress, LapackInt(n))
            }
        }
        checkArguments(info, "dpotrs")
        return x
    }

    /// log det(A) = 2 Σ log Lᵢᵢ, without overflow.
    public var logDeterminant: Double {
        (0..<lower.rows).reduce(0) { $0 + 2 * log(lower[$1, $1]) }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
