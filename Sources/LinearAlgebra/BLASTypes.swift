internal import CBLAS

/// Whether BLAS reads an operand as stored or transposed. Wraps `CBLAS_TRANSPOSE` so no raw constant leaks.
public enum Transpose: Sendable {
    case none
    case transpose

    var cblas: CBLAS_TRANSPOSE {
        switch self {
        case .none: CblasNoTrans
        case .transpose: CblasTrans
        }
    }
}

/// LAPACK's integer type. `lapack_int` is a C macro Swift cannot see; Debian's LAPACKE uses 32-bit integers.
typealias LapackInt = Int32

/// Facts about the BLAS in use, for benchmark reports.
public enum BLASInfo {
    /// The kernel set OpenBLAS selected for this processor (e.g. "Haswell").
    public static var coreName: String {
        guard let name = openblas_get_corename() else { return "unknown" }
        return String(cString: name)
    }

    /// OpenBLAS's thread count.
    public static var threadCount: Int { Int(openblas_get_num_threads()) }

    /// Sets OpenBLAS's thread count (benchmarks pin it).
    public static func setThreadCount(_ n: Int) { openblas_set_num_threads(Int32(n)) }
}
