public import LinearAlgebra

/// The supply-driven Ghosh model and the forward linkages it defines.
///
/// With allocation coefficients `B = diag(x)⁻¹ · Z` (the share of sector i's output sold to j), the
/// Ghosh inverse is `G = (I − B)⁻¹` and output satisfies `xᵀ = vᵀ · G` for primary inputs v. The row sum
/// of G for sector i — the total output made possible downstream by one more unit of primary input
/// into i — is its (total) forward linkage (Miller & Blair 2009, §12.1–12.2; Eurostat 2008, §15.4).
///
/// Note that G = diag(x)⁻¹ · L · diag(x): the same factorisation could serve, but B is factored on its
/// own here so that the linkage does not depend on the Leontief model's state.
public enum GhoshModel {
    /// The Ghosh inverse `(I − B)⁻¹`.
    /// - Complexity: O(S³).
    public static func inverse(of table: InputOutputTable) throws -> Matrix {
        var iMinusB = Matrix.identity(table.count)
        iMinusB.add(table.allocationCoefficients, scaledBy: -1)
        do {
            return try LUFactorization(iMinusB).inverse
        } catch {
            throw EconomyError.singular("I − B (Ghosh)")
        }
    }

    /// Forward linkages: the row sums of the Ghosh inverse, `G · 1`, one solve `(I − B) g = 1`.
    public static func forwardLinkages(of table: InputOutputTable) throws -> [Double] {
        var iMinusB = Matrix.identity(table.count)
        iMinusB.add(table.allocationCoefficients, scaledBy: -1)
        do {
            return try LUFactorization(iMinusB).solve(Array(repeating: 1, count: table.count))
        } catch {
            throw EconomyError.singular("I − B (Ghosh)")
        }
    }

    /// Backward linkages in the Leontief sense (column sums of L), for symmetry with the forward ones.
    public static func backwardLinkages(of table: InputOutputTable) throws -> [Double] {
        try LeontiefModel(table: table).multiplier(of: Array(repeating: 1, count: table.count))
    }
}
