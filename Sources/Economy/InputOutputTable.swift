public import LinearAlgebra

/// A symmetric (sector × sector) input-output table: intermediate flows, output and the satellite rows
/// that turn output into value added, income and jobs.
///
/// Notation follows Miller & Blair (2009), ch. 2: `Z` is the intermediate flow matrix (`z_ij` is what
/// sector j buys from sector i), `x` total output, `f` final demand, with the accounting identity
///
///     x = Z · 1 + f
///
/// Satellite rows are per sector (columns of the table): value added `v`, compensation of employees `w`
/// (income) and employment `e`, all in the table's units (money for v and w, persons or thousand persons
/// for e). All coefficients are per unit of output: `v_j / x_j` and so on.
///
/// References: Miller, R. E. & Blair, P. D. (2009), *Input-Output Analysis*, 2nd ed., Cambridge, ch. 2;
/// Eurostat (2008), *Manual of Supply, Use and Input-Output Tables*, ch. 15.
public struct InputOutputTable: Sendable, Hashable {
    /// Sector names, in the order of Z's rows and columns.
    public let sectors: [String]
    /// Intermediate flows `Z` (S × S): row = supplying sector, column = buying sector.
    public let intermediate: Matrix
    /// Total output `x` by sector.
    public let output: [Double]
    /// Final demand `f` by sector; when the table gives none, `x − Z·1`.
    public let finalDemand: [Double]
    /// Value added (GVA at basic prices) by sector, if known.
    public let valueAdded: [Double]?
    /// Compensation of employees (household income) by sector, if known.
    public let compensation: [Double]?
    /// Employment by sector, if known.
    public let employment: [Double]?

    /// A table. Shapes are the caller's responsibility (a mismatch traps); data that makes the model
    /// meaningless (non-positive output) throws.
    public init(
        sectors: [String], intermediate: Matrix, output: [Double], finalDemand: [Double]? = nil,
        valueAdded: [Double]? = nil, compensation: [Double]? = nil, employment: [Double]? = nil
    ) throws {
        let n = sectors.count
        precondition(
            intermediate.rows == n && intermediate.columns == n, "Z is \(intermediate.rows)×\(intermediate.columns), expected \(n)×\(n)")
        precondition(output.count == n, "x has \(output.count) entries, expected \(n)")
        for extra in [finalDemand, valueAdded, compensation, employment] {
            if let extra { precondition(extra.count == n, "a satellite row has \(extra.count) entries, expected \(n)") }
        }
        for (j, value) in output.enumerated() where !(value > 0) {
            throw EconomyError.nonPositiveOutput(sector: sectors[j], value: value)
        }
        self.sectors = sectors
        self.intermediate = intermediate
        self.output = output
        let rowSums = intermediate.rowSums
        self.finalDemand = finalDemand ?? zip(output, rowSums).map { $0 - $1 }
        self.valueAdded = valueAdded
        self.compensation = compensation
        self.employment = employment
    }

    /// Number of sectors.
    public var count: Int { sectors.count }

    /// Technical (input) coefficients `A = Z · diag(x)⁻¹`: `a_ij = z_ij / x_j`, what sector j buys from i
    /// per unit of its own output.
    /// - Complexity: O(S²).
    public var technicalCoefficients: Matrix {
        var a = intermediate
        for j in 0..<count {
            let scale = 1 / output[j]
            for i in 0..<count { a[i, j] *= scale }
        }
        return a
    }

    /// Allocation (output) coefficients of the Ghosh model `B = diag(x)⁻¹ · Z`: `b_ij = z_ij / x_i`, the
    /// share of sector i's output sold to sector j.
    public var allocationCoefficients: Matrix {
        var b = intermediate
        for j in 0..<count {
            for i in 0..<count { b[i, j] /= output[i] }
        }
        return b
    }

    /// A satellite row divided by output: `r_j / x_j`.
    public func coefficients(_ row: [Double]) -> [Double] {
        zip(row, output).map { $0 / $1 }
    }
}
