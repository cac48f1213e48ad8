import CityTwinCore
import Economy
import LinearAlgebra
import Testing

/// Miller & Blair (2009), ch. 2, the two-sector example. The fixtures print L to 8 decimals (tolerance 5e-9,
/// half a unit in the last place); x after the demand change is printed to one decimal (1247.5, 1841.6;
/// exactly 1247.5248 and 1841.5842), so it must agree within 0.05, and labour — the book multiplies the
/// rounded x — within the labour coefficient × 0.05.
@Suite("Miller & Blair chapter 2")
struct MillerBlairTests {
    func table() throws -> InputOutputTable {
        let z = try labelledMatrix(fixture("miller_blair_ch2_Z"))
        let xTable = try fixture("miller_blair_ch2_x")
        let x = try xTable.rows.indices.map { try xTable.double($0, "indout") }
        let lab = try fixture("miller_blair_ch2_labcoeff")
        let labour = try ["sec1", "sec2"].enumerated().map { try lab.double(0, $0.element) * x[$0.offset] }
        return try InputOutputTable(sectors: ["sec1", "sec2"], intermediate: z, output: x, employment: labour)
    }

    @Test func technicalCoefficients() throws {
        let a = try table().technicalCoefficients
        let published = try labelledMatrix(fixture("miller_blair_ch2_A"))
        for i in 0..<2 { for j in 0..<2 { #expect(abs(a[i, j] - published[i, j]) <= 1e-15) } }
    }

    @Test func finalDemandFromTheTable() throws {
        let f = try table().finalDemand
        let fd = try fixture("miller_blair_ch2_fd")
        #expect(f == [try fd.double(0, "fi"), try fd.double(1, "fi")])
    }

    @Test func leontiefInverse() throws {
        let l = try LeontiefModel(table: table()).inverse
        let published = try labelledMatrix(fixture("miller_blair_ch2_L"))
        for i in 0..<2 { for j in 0..<2 { #expect(abs(l[i, j] - published[i, j]) <= 5e-9, "L[\(i),\(j)]") } }
    }

    /// New final demand (600, 1500) gives x = (1247.5, 1841.6) and labour (374.25, 460.4).
    @Test func outputAndLabourAfterDemandChange() throws {
        let t = try table()
        let model = try LeontiefModel(table: t)
        let x = model.output(for: [600, 1500])
        let xn = try fixture("miller_blair_ch2_xnew")
        for j in 0..<2 {
            let published = try xn.double(j, "indout")
            #expect(abs(x[j] - published) <= 0.05, "x[\(j)] = \(x[j])")
        }
        let coeff = t.coefficients(try #require(t.employment))
        let labour = zip(coeff, x).map(*)
        let lt = try fixture("miller_blair_ch2_labtot")
        for (j, name) in ["sec1", "sec2"].enumerated() {
            let published = try lt.double(0, name)
            #expect(abs(labour[j] - published) <= coeff[j] * 0.05 + 1e-12, "labour[\(j)] = \(labour[j])")
            // And exactly the book's figure from the book's rounded x.
            #expect(abs(coeff[j] * (try xn.double(j, "indout")) - published) <= 1e-9 * published)
        }
    }

    @Test func refactorsOnlyWhenCoefficientsChange() throws {
        var model = try LeontiefModel(table: table())
        #expect(model.factorizations == 1)
        #expect(try model.update(coefficients: model.coefficients) == false)
        #expect(model.factorizations == 1)
        var a = model.coefficients
        a[0, 1] = 0.3
        #expect(try model.update(coefficients: a))
        #expect(model.factorizations == 2)
        // The new solve agrees with a fresh dense solve of (I − A) x = f.
        var iMinusA = Matrix.identity(2)
        iMinusA.add(a, scaledBy: -1)
        let direct = try iMinusA.solve([600, 1500])
        let x = model.output(for: [600, 1500])
        for j in 0..<2 { #expect(abs(x[j] - direct[j]) <= 1e-12 * direct[j]) }
    }

    @Test func rejectsAnUnproductiveEconomy() throws {
        #expect(throws: EconomyError.self) { try LeontiefModel(coefficients: Matrix([[0.5, 0.2], [0.6, 0.1]])) }
        #expect(throws: EconomyError.self) { try LeontiefModel(coefficients: Matrix([[0.1, -0.2], [0.2, 0.1]])) }
    }
}
