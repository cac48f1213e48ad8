internal import CBLAS

// Level 1–3 BLAS on `Matrix`, through OpenBLAS. All routines act on column-major storage in place.

extension Matrix {
    /// General matrix product, in place: `C ← α · op(A) · op(B) + β · C` (BLAS dgemm).
    ///
    /// `op(X)` is X or Xᵀ as `transposeA`/`transposeB` say. Shapes must agree: op(A) is m × k,
    /// op(B) is k × n and `self` (C) is m × n; a mismatch is a programming error and traps.
    /// - Complexity: 2·m·n·k flops.
    public mutating func multiply(
        _ a: Matrix, _ b: Matrix, transposeA: Transpose = .none, transposeB: Transpose = .none,
        alpha: Double = 1, beta: Double = 0
    ) {
        let (m, ka) = transposeA == .none ? (a.rows, a.columns) : (a.columns, a.rows)
        let (kb, n) = transposeB == .none ? (b.rows, b.columns) : (b.columns, b.rows)
        precondition(ka == kb, "gemm: inner dimensions differ (\(ka) vs \(kb))")
        precondition(rows == m && columns == n, "gemm: result is \(rows)×\(columns), expected \(m)×\(n)")
        if m == 0 || n == 0 { return }
        let (lda, ldb, ldc) = (max(1, a.rows), max(1, b.rows), max(1, m))
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasColMajor, transposeA.cblas, transposeB.cblas,
                        Int32(m), Int32(n), Int32(ka), alpha,
                        pa.baseAddress, Int32(lda), pb.baseAddress, Int32(ldb), beta, pc.baseAddress, Int32(ldc))
                }
            }
        }
    }

    /// The product `op(A) · op(B)` as a new matrix.
    public static func product(
        _ a: Matrix, _ b: Matrix, transposeA: Transpose = .none, transposeB: Transpose = .none
    ) -> Matrix {
        let m = transposeA == .none ? a.rows : a.columns
        let n = transposeB == .none ? b.columns : b.rows
        var c = Matrix(rows: m, columns: n)
        c.multiply(a, b, transposeA: transposeA, transposeB: transposeB)
        return c
    }

    /// Matrix product.
    public static func * (a: Matrix, b: Matrix) -> Matrix { product(a, b) }

    /// Matrix–vector product, in place into `y`: `y ← α · op(A) · x + β · y` (BLAS dgemv).
    /// - Complexity: 2·m·n flops.
    public func multiply(
        _ x: [Double], into y: inout [Double], transpose: Transpose = .none, alpha: Double = 1, beta: Double = 0
    ) {
        let (m, n) = transpose == .none ? (rows, columns) : (columns, rows)
        precondition(x.count == n, "gemv: vector has \(x.count) elements, expected \(n)")
        precondition(y.count == m, "gemv: result has \(y.count) elements, expected \(m)")
        if m == 0 { return }
        if n == 0 {
            for i in 0..<m { y[i] *= beta }
            return
        }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasColMajor, transpose.cblas, Int32(rows), Int32(columns), alpha,
                        pa.baseAddress, Int32(max(1, rows)), px.baseAddress, 1, beta, py.baseAddress, 1)
                }
            }
        }
    }

    /// `op(A) · x` as a new vector.
    public func times(_ x: [Double], transpose: Transpose = .none) -> [Double] {
        var y = [Double](repeating: 0, count: transpose == .none ? rows : columns)
        multiply(x, into: &y, transpose: transpose)
        return y
    }

    /// `self ← self + α · X` (BLAS daxpy over the whole storage).
    public mutating func add(_ x: Matrix, scaledBy alpha: Double = 1) {
        precondition(x.rows == rows && x.columns == columns, "axpy: shapes differ (\(x.rows)×\(x.columns) vs \(rows)×\(columns))")
        Vector.axpy(alpha, x.storage, &storage)
    }

    /// `self ← α · self` (BLAS dscal).
    public mutating func scale(by alpha: Double) {
        Vector.scale(&storage, by: alpha)
    }

    public static func + (a: Matrix, b: Matrix) -> Matrix {
        var c = a
        c.add(b)
        return c
    }

    public static func - (a: Matrix, b: Matrix) -> Matrix {
        var c = a
        c.add(b, scaledBy: -1)
        return c
    }

    public static func * (alpha: Double, a: Matrix) -> Matrix {
        var c = a
        c.scale(by: alpha)
        return c
    }

    /// Frobenius norm ‖A‖_F (BLAS dnrm2 over the storage).
    public var frobeniusNorm: Double { Vector.norm(storage) }
}

/// Level-1 BLAS on plain `[Double]` vectors.
public enum Vector {
    /// `y ← y + α · x` (daxpy).
    public static func axpy(_ alpha: Double, _ x: [Double], _ y: inout [Double]) {
        precondition(x.count == y.count, "axpy: lengths differ (\(x.count) vs \(y.count))")
        if x.isEmpty { return }
        x.withUnsafeBufferPointer { px in
            y.withUnsafeMutableBufferPointer { py in
                cblas_daxpy(Int32(px.count), alpha, px.baseAddress, 1, py.baseAddress, 1)
            }
        }
    }

    /// `x ← α · x` (dscal).
    public static func scale(_ x: inout [Double], by alpha: Double) {
        if x.isEmpty { return }
        x.withUnsafeMutableBufferPointer { px in cblas_dscal(Int32(px.count), alpha, px.baseAddress, 1) }
    }

    /// xᵀy (ddot).
    public static func dot(_ x: [Double], _ y: [Double]) -> Double {
        precondition(x.count == y.count, "dot: lengths differ (\(x.count) vs \(y.count))")
        if x.isEmpty { return 0 }
        return x.withUnsafeBufferPointer { px in
            y.withUnsafeBufferPointer { py in cblas_ddot(Int32(px.count), px.baseAddress, 1, py.baseAddress, 1) }
        }
    }

    /// Euclidean norm ‖x‖₂ (dnrm2, which avoids overflow).
    public static func norm(_ x: [Double]) -> Double {
        if x.isEmpty { return 0 }
        return x.withUnsafeBufferPointer { px in cblas_dnrm2(Int32(px.count), px.baseAddress, 1) }
    }
}
