/// Data that makes a linear-algebra operation impossible. (An illegal argument is our bug and traps instead.)
public enum LinearAlgebraError: Error, Equatable, CustomStringConvertible {
    /// LU found an exactly zero pivot: the matrix is singular. `pivot` is the one-based column LAPACK names.
    case singular(pivot: Int)
    /// Cholesky found a leading minor that is not positive: the matrix is not positive definite.
    case notPositiveDefinite(minor: Int)
    /// Least squares: the matrix does not have full rank.
    case rankDeficient(column: Int)
    /// An iterative LAPACK routine (eigenvalues, SVD) did not converge.
    case didNotConverge(routine: String, info: Int)

    public var description: String {
        switch self {
        case .singular(let pivot):
            "the matrix is singular (zero pivot in column \(pivot)); check for a row or column of zeros or a repeated row"
        case .notPositiveDefinite(let minor):
            "the matrix is not positive definite (leading minor \(minor) is not positive)"
        case .rankDeficient(let column):
            "the least-squares matrix is rank deficient (column \(column) is dependent on the others)"
        case .didNotConverge(let routine, let info):
            "\(routine) did not converge (info = \(info))"
        }
    }
}

/// Traps on LAPACK's `info < 0`: an illegal argument is a bug in this module, never the user's data.
@inline(__always)
func checkArguments(_ info: Int32, _ routine: StaticString) {
    precondition(info >= 0, "\(routine): illegal value in argument \(-info) (a bug in LinearAlgebra)")
}
