import LinearAlgebra
import TestSupport
import Testing

/// Identities on seeded random inputs. Tolerances: the matrices are well conditioned (diagonally
/// shifted), so backward-stable LAPACK routines leave residuals of a few hundred ulps at n ≤ 50;
/// 1e-11 leaves room while still failing on any real error.
@Suite("LAPACK factorisations")
struct FactorizationTests {
    static let seeds: [UInt64] = [7, 42, 2026]

    func wellConditioned(_ n: Int, _ g: inout SeededGenerator) -> Matrix {
        var a = Matrix.random(rows: n, columns: n, using: &g)
        for i in 0..<n { a[i, i] += Double(n) }
        return a
    }

    @Test(arguments: seeds)
    func luSolveReproducesRightHandSide(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let a = wellConditioned(40, &g)
        let b = Matrix.random(rows: 40, columns: 3, using: &g)
        let x = try a.solve(b)
        #expect((a * x).maxDifference(b) < 1e-11, "seed \(seed)")
        let lu = try LUFactorization(a)
        #expect((a * lu.solve(b)).maxDifference(b) < 1e-11, "seed \(seed)")
        #expect((Matrix.product(a, lu.solve(b, transpose: .transpose), transposeA: .transpose)).maxDifference(b) < 1e-11)
        #expect((a * lu.inverse).maxDifference(.identity(40)) < 1e-11)
    }

    @Test func handCheckedSolveAndDeterminant() throws {
        // 2x + y = 3, x + 3y = 5 → x = 0.8, y = 1.4; det = 5.
        let a = Matrix([[2, 1], [1, 3]])
        let x = try a.solve([3, 5])
        #expect(abs(x[0] - 0.8) < 1e-15 && abs(x[1] - 1.4) < 1e-15)
        #expect(abs(try LUFactorization(a).determinant - 5) < 1e-14)
    }

    @Test func singularMatrixIsATypedError() {
        let a = Matrix([[1, 2], [2, 4]])
        #expect(throws: LinearAlgebraError.singular(pivot: 2)) { try a.solve([1, 1]) }
        #expect(throws: LinearAlgebraError.self) { try LUFactorization(Matrix(rows: 3, columns: 3)) }
    }

    @Test(arguments: seeds)
    func choleskyReconstructs(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let r = Matrix.random(rows: 30, columns: 30, using: &g)
        var spd = Matrix.product(r, r, transposeA: .transpose)
        for i in 0..<30 { spd[i, i] += 1 }
        let chol = try CholeskyFactorization(spd)
        #expect(Matrix.product(chol.lower, chol.lower, transposeB: .transpose).maxDifference(spd) < 1e-11, "seed \(seed)")
        let b = Matrix.random(rows: 30, columns: 2, using: &g)
        #expect((spd * chol.solve(b)).maxDifference(b) < 1e-10, "seed \(seed)")
    }

    @Test func choleskyRejectsIndefinite() {
        #expect(throws: LinearAlgebraError.notPositiveDefinite(minor: 2)) {
            try CholeskyFactorization(Matrix([[1, 2], [2, 1]]))
        }
    }

    @Test(arguments: seeds)
    func leastSquaresResidualIsOrthogonalToColumns(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let a = Matrix.random(rows: 50, columns: 6, using: &g)
        let b = Matrix.random(rows: 50, columns: 1, using: &g).storage
        let x = try a.leastSquares(b)
        let residual = zip(b, a.times(x)).map { $0 - $1 }
        // Normal equations: Aᵀ r = 0 at the minimiser.
        let gradient = a.times(residual, transpose: .transpose)
        #expect(gradient.map(abs).max()! < 1e-12, "seed \(seed)")
    }

    @Test func leastSquaresHandChecked() throws {
        // Fit y = c0 + c1·t to (0, 1), (1, 3), (2, 5): exactly c0 = 1, c1 = 2.
        let a = Matrix([[1, 0], [1, 1], [1, 2]])
        let c = try a.leastSquares([1, 3, 5])
        #expect(abs(c[0] - 1) < 1e-14 && abs(c[1] - 2) < 1e-14)
    }

    @Test(arguments: seeds)
    func symmetricEigenReconstructsAndIsOrthogonal(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let r = Matrix.random(rows: 25, columns: 25, using: &g)
        let s = r + r.transposed
        let eigen = try SymmetricEigen(s)
        let q = eigen.vectors
        #expect(Matrix.product(q, q, transposeA: .transpose).maxDifference(.identity(25)) < 1e-12, "QᵀQ = I, seed \(seed)")
        let reconstructed = Matrix.product(q * .diagonal(eigen.values), q, transposeB: .transpose)
        #expect(reconstructed.maxDifference(s) < 1e-12, "seed \(seed)")
        #expect(zip(eigen.values, eigen.values.dropFirst()).allSatisfy { $0 <= $1 })
    }

    @Test func eigenvaluesHandChecked() throws {
        // [2 1; 1 2] has eigenvalues 1 and 3.
        let eigen = try SymmetricEigen(Matrix([[2, 1], [1, 2]]))
        #expect(abs(eigen.values[0] - 1) < 1e-14 && abs(eigen.values[1] - 3) < 1e-14)
    }

    @Test(arguments: seeds)
    func svdReconstructs(seed: UInt64) throws {
        var g = SeededGenerator(seed: seed)
        let a = Matrix.random(rows: 30, columns: 12, using: &g)
        let svd = try SingularValueDecomposition(a)
        let reconstructed = svd.u * .diagonal(svd.singularValues) * svd.vt
        #expect(reconstructed.maxDifference(a) < 1e-12, "seed \(seed)")
        #expect(Matrix.product(svd.u, svd.u, transposeA: .transpose).maxDifference(.identity(12)) < 1e-12)
        #expect(zip(svd.singularValues, svd.singularValues.dropFirst()).allSatisfy { $0 >= $1 })
    }

    @Test func singularValuesHandChecked() throws {
        // diag(3, 2) padded with a zero row: singular values 3, 2.
        let svd = try SingularValueDecomposition(Matrix([[3, 0], [0, 2], [0, 0]]))
        #expect(abs(svd.singularValues[0] - 3) < 1e-14 && abs(svd.singularValues[1] - 2) < 1e-14)
    }
}
