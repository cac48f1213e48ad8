internal import CLAPACKE

/// Eigenvalues and eigenvectors of a real symmetric matrix: `A = Q · diag(λ) · Qᵀ` (LAPACK dsyevd,
/// divide and conquer).
///
/// The eigenvalues are real and ascending; the columns of Q are orthonormal eigenvectors. Ensemble
/// square-root filters use it for the symmetric square root of a covariance.
public struct SymmetricEigen: Sendable {
    /// Eigenvalues in ascending order.
    public let values: [Double]
    /// Orthonormal eigenvectors, one per column, in the order of `values`.
    public let vectors: Matrix

    /// Decomposes `a`, reading only its lower triangle.
    /// - Throws: `LinearAlgebraError.didNotConverge`.
    /// - Complexity: O(n³).
    public init(_ a: Matrix) throws {
        precondition(a.isSquare, "eigen: the matrix is \(a.rows)×\(a.columns), not square")
        let n = a.rows
        var q = a
        var w = [Double](repeating: 0, count: n)
        if n > 0 {
            let info = q.storage.withUnsafeMutableBufferPointer { pa in
                w.withUnsafeMutableBufferPointer { pw in
                    LAPACKE_dsyevd(
                        LAPACK_COL_MAJOR, CChar(UInt8(ascii: "V")), CChar(UInt8(ascii: "L")), LapackInt(n),
                        pa.baseAddress, LapackInt(n), pw.baseAddress)
                }
            }
            checkArguments(info, "dsyevd")
            if info > 0 { throw LinearAlgebraError.didNotConverge(routine: "dsyevd", info: Int(info)) }
        }
        self.values = w
        self.vectors = q
    }
}

/// The thin singular value decomposition `A = U · diag(σ) · Vᵀ` (LAPACK dgesdd, divide and conquer).
///
/// For an m × n matrix with k = min(m, n): U is m × k, σ has k values in descending order, Vᵀ is k × n.
public struct SingularValueDecomposition: Sendable {
    /// Left singular vectors (m × k).
    public let u: Matrix
    /// Singular values, descending, non-negative.
    public let singularValues: [Double]
    /// Right singular vectors, transposed (k × n).
    public let vt: Matrix

    /// - Throws: `LinearAlgebraError.didNotConverge`.
    /// - Complexity: O(m·n·min(m, n)).
    public init(_ a: Matrix) throws {
        let (m, n) = (a.rows, a.columns)
        let k = min(m, n)
        var work = a
        var s = [Double](repeating: 0, count: k)
        var u = Matrix(rows: m, columns: k)
        var vt = Matrix(rows: k, columns: n)
        if k > 0 {
            let info = work.storage.withUnsafeMutableBufferPointer { pa in
                s.withUnsafeMutableBufferPointer { ps in
                    u.storage.withUnsafeMutableBufferPointer { pu in
                        vt.storage.withUnsafeMutableBufferPointer { pv in
                            LAPACKE_dgesdd(
                                LAPACK_COL_MAJOR, CChar(UInt8(ascii: "S")), LapackInt(m), LapackInt(n),
                                pa.baseAddress, LapackInt(m), ps.baseAddress, pu.baseAddress, LapackInt(m),
                                pv.baseAddress, LapackInt(k))
                        }
                    }
                }
            }
            checkArguments(info, "dgesdd")
            if info > 0 { throw LinearAlgebraError.didNotConverge(routine: "dgesdd", info: Int(info)) }
        }
        self.u = u
        self.singularValues = s
        self.vt = vt
    }
}
