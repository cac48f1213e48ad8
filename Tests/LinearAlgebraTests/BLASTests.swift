import LinearAlgebra
import TestSupport
import Testing

@Suite("BLAS products on column-major matrices")
struct BLASTests {
    @Test func handCheckedProduct() {
        // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
        let a = Matrix([[1, 2], [3, 4]])
        let b = Matrix([[5, 6], [7, 8]])
        #expect(a * b == Matrix([[19, 22], [43, 50]]))
        #expect(Matrix.product(a, b, transposeA: .transpose) == Matrix([[26, 30], [38, 44]]))
        #expect(a.times([1, 1]) == [3, 7])
        #expect(a.times([1, 1], transpose: .transpose) == [4, 6])
    }

    @Test func storageIsColumnMajor() {
        let a = Matrix([[1, 2, 3], [4, 5, 6]])
        #expect(a.storage == [1, 4, 2, 5, 3, 6])
        #expect(a[1, 2] == 6)
        #expect(a.transposed.storage == [1, 2, 3, 4, 5, 6])
    }

    @Test(arguments: [1 as UInt64, 2, 3])
    func gemmMatchesTripleLoop(seed: UInt64) {
        var g = SeededGenerator(seed: seed)
        let a = Matrix.random(rows: 7, columns: 5, using: &g)
        let b = Matrix.random(rows: 5, columns: 4, using: &g)
        var expected = Matrix(rows: 7, columns: 4)
        for i in 0..<7 { for j in 0..<4 { for k in 0..<5 { expected[i, j] += a[i, k] * b[k, j] } } }
        // Sums of 5 products of numbers in [−1, 1]: rounding differences stay below 1e-14.
        #expect((a * b).maxDifference(expected) < 1e-14, "seed \(seed)")
    }

    @Test func rowBlocksMultiplyInPlace() {
        var g = SeededGenerator(seed: 11)
        let p = Matrix.random(rows: 6, columns: 3, using: &g)
        let m = Matrix.random(rows: 3, columns: 3, using: &g)
        var c = Matrix(rows: 6, columns: 3)
        Matrix.multiplyRowBlocks(p, rowsOfA: 2..<5, m, into: &c, rowsOfC: 2..<5)
        let full = p * m
        for i in 0..<6 {
            for j in 0..<3 { #expect(abs(c[i, j] - ((2..<5).contains(i) ? full[i, j] : 0)) < 1e-15) }
        }
        var sums = [Double](repeating: 0, count: 3)
        p.multiplyRowBlockTransposed(rows: 1..<4, by: [1, 1, 1], into: &sums)
        for j in 0..<3 { #expect(abs(sums[j] - (p[1, j] + p[2, j] + p[3, j])) < 1e-15) }
    }

    @Test func levelOne() {
        var y = [1.0, 2, 3]
        Vector.axpy(2, [1, 1, 1], &y)
        #expect(y == [3, 4, 5])
        #expect(Vector.dot([1, 2, 3], [4, 5, 6]) == 32)
        #expect(Vector.norm([3, 4]) == 5)
    }
}
