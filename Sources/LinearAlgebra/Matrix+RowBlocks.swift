internal import CBLAS

// BLAS on row blocks of column-major matrices. A block of consecutive rows is itself a column-major
// matrix whose leading dimension is the parent's row count, so BLAS reads it in place: no copies.
// The population model keeps both sexes in one (2A × Z) matrix and works on the female or male half.

extension Matrix {
    /// `C[cRows, :] ← α · A[aRows, :] · B[bRows, :] + β · C[cRows, :]` (dgemm on row blocks).
    ///
    /// A nil range means all rows. Shapes must agree: |aRows| = |cRows|, A's columns = |bRows|,
    /// B's columns = C's columns.
    /// - Complexity: 2·|cRows|·C.columns·A.columns flops.
    public static func multiplyRowBlocks(
        _ a: Matrix, rowsOfA aRows: Range<Int>? = nil,
        _ b: Matrix, rowsOfB bRows: Range<Int>? = nil,
        into c: inout Matrix, rowsOfC cRows: Range<Int>? = nil,
        alpha: Double = 1, beta: Double = 0
    ) {
        let ar = aRows ?? 0..<a.rows
        let br = bRows ?? 0..<b.rows
        let cr = cRows ?? 0..<c.rows
        precondition(ar.lowerBound >= 0 && ar.upperBound <= a.rows, "gemm: A rows \(ar) outside 0..<\(a.rows)")
        precondition(br.lowerBound >= 0 && br.upperBound <= b.rows, "gemm: B rows \(br) outside 0..<\(b.rows)")
        precondition(cr.lowerBound >= 0 && cr.upperBound <= c.rows, "gemm: C rows \(cr) outside 0..<\(c.rows)")
        let (m, k, n) = (cr.count, a.columns, c.columns)
        precondition(ar.count == m, "gemm: A block has \(ar.count) rows, C block \(m)")
        precondition(br.count == k, "gemm: A has \(k) columns, B block \(br.count) rows")
        precondition(b.columns == n, "gemm: B has \(b.columns) columns, C \(n)")
        if m == 0 || n == 0 { return }
        let (lda, ldb, ldc) = (max(1, a.rows), max(1, b.rows), max(1, c.rows))
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in
                    cblas_dgemm(
                        CblasColMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), alpha,
                        pa.baseAddress! + ar.lowerBound, Int32(lda), pb.baseAddress! + br.lowerBound, Int32(ldb),
                        beta, pc.baseAddress! + cr.lowerBound, Int32(ldc))
                }
            }
        }
    }

    /// `y ← α · A[rows, :]ᵀ · x + β · y`: weighted sums down each column of a row block (dgemv).
    ///
    /// With x = 1 it gives the column sums of the block; with x = age-specific rates, per-zone totals.
    /// - Complexity: 2·|rows|·columns flops.
    public func multiplyRowBlockTransposed(
        rows: Range<Int>? = nil, by x: [Double], into y: inout [Double], alpha: Double = 1, beta: Double = 0
    ) {
        let r = rows ?? 0..<self.rows
        precondition(r.lowerBound >= 0 && r.upperBound <= self.rows, "gemv: rows \(r) outside 0..<\(self.rows)")
        precondition(x.count == r.count, "gemv: vector has \(x.count) elements, block \(r.count) rows")
        precondition(y.count == columns, "gemv: result has \(y.count) elements, expected \(columns)")
        if columns == 0 { return }
        if r.isEmpty {
            for j in 0..<columns { y[j] *= beta }
            return
        }
        storage.withUnsafeBufferPointer { pa in
            x.withUnsafeBufferPointer { px in
                y.withUnsafeMutableBufferPointer { py in
                    cblas_dgemv(
                        CblasColMajor, CblasTrans, Int32(r.count), Int32(columns), alpha,
                        pa.baseAddress! + r.lowerBound, Int32(max(1, self.rows)), px.baseAddress, 1, beta,
                        py.baseAddress, 1)
                }
            }
        }
    }
}
