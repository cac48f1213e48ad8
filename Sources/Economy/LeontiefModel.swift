public import LinearAlgebra

/// The demand-driven Leontief model: the output that satisfies a final demand,
///
///     x = A·x + f   ⇔   (I − A)·x = f   ⇔   x = L·f,   L = (I − A)⁻¹ (the Leontief inverse).
///
/// `I − A` is LU-factored once (LAPACK dgetrf, (2/3)·S³ flops); each demand vector is then an O(S²)
/// triangular solve (dgetrs). The factorisation is redone only when the coefficients change
/// (`update(coefficients:)` compares them first), which `factorizations` counts.
///
/// Productivity: the model requires `A ≥ 0` with every column sum below 1 (each sector's domestic
/// inputs cost less than its output). That is sufficient for the spectral radius of A to be below 1,
/// hence for L = I + A + A² + … ≥ 0 (Miller & Blair 2009, §2.3 and App. 2.1, Hawkins–Simon).
/// It is checked on construction; tables at basic prices satisfy it whenever value added is positive.
///
/// Reference: Miller, R. E. & Blair, P. D. (2009), *Input-Output Analysis*, 2nd ed., ch. 2.
public struct LeontiefModel: Sendable {
    /// The technical coefficients A (S × S).
    public private(set) var coefficients: Matrix
    /// LU factors of I − A.
    public private(set) var factorization: LUFactorization
    /// How many times I − A has been factored (1 after construction).
    public private(set) var factorizations = 0
    /// Sector names for messages.
    public let sectors: [String]

    /// Factors `I − A`.
    /// - Throws: `EconomyError` for a negative coefficient, a column sum ≥ 1, or a singular `I − A`.
    /// - Complexity: O(S³).
    public init(coefficients a: Matrix, sectors: [String]? = nil) throws {
        precondition(a.isSquare, "A is \(a.rows)×\(a.columns), not square")
        self.sectors = sectors ?? (0..<a.rows).map { "sector \($0 + 1)" }
        precondition(self.sectors.count == a.rows, "\(self.sectors.count) sector names for a \(a.rows)-sector A")
        coefficients = a
        factorization = try LeontiefModel.factor(a, sectors: self.sectors)
        factorizations = 1
    }

    /// The model of a table: `A = Z · diag(x)⁻¹`.
    public init(table: InputOutputTable) throws {
        try self.init(coefficients: table.technicalCoefficients, sectors: table.sectors)
    }

    private static func factor(_ a: Matrix, sectors: [String]) throws -> LUFactorization {
        let n = a.rows
        for j in 0..<n {
            var sum = 0.0
            for i in 0..<n {
                let value = a[i, j]
                if value < 0 { throw EconomyError.negativeCoefficient(supplier: sectors[i], buyer: sectors[j], value: value) }
                sum += value
            }
            if sum >= 1 { throw EconomyError.notProductive(sector: sectors[j], columnSum: sum) }
        }
        var iMinusA = Matrix.identity(n)
        iMinusA.add(a, scaledBy: -1)
        do {
            return try LUFactorization(iMinusA)
        } catch {
            throw EconomyError.singular("I − A")
        }
    }

    /// Number of sectors.
    public var count: Int { coefficients.rows }

    /// Replaces A and refactors, but only if it differs from the current A.
    /// - Returns: whether a new factorisation was made.
    @discardableResult
    public mutating func update(coefficients a: Matrix) throws -> Bool {
        guard a != coefficients else { return false }
        precondition(a.rows == count && a.columns == count, "new A is \(a.rows)×\(a.columns), expected \(count)×\(count)")
        factorization = try LeontiefModel.factor(a, sectors: sectors)
        coefficients = a
        factorizations += 1
        return true
    }

    /// Output `x = (I − A)⁻¹ f` for one final-demand vector.
    /// - Complexity: O(S²).
    public func output(for finalDemand: [Double]) -> [Double] {
        factorization.solve(finalDemand)
    }

    /// Outputs for several final-demand columns at once (an S × k matrix: scenarios or ensemble members).
    public func output(for finalDemand: Matrix) -> Matrix {
        factorization.solve(finalDemand)
    }

    /// The Leontief inverse `L = (I − A)⁻¹`, whose column j is the output every sector must produce
    /// for one unit of final demand for sector j.
    /// - Complexity: O(S³); use `output(for:)` when only x is wanted.
    public var inverse: Matrix { factorization.inverse }

    /// `cᵀ · L` without forming L: solves `(I − A)ᵀ · m = c` (one transposed solve, O(S²)).
    /// This is how every "coefficient × Leontief inverse" multiplier is computed.
    public func multiplier(of coefficients: [Double]) -> [Double] {
        factorization.solve(coefficients, transpose: .transpose)
    }
}
