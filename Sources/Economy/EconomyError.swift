/// Why an input-output model cannot be built or solved: the data's problem, not ours.
public enum EconomyError: Error, Equatable, CustomStringConvertible {
    /// A technical coefficient is negative.
    case negativeCoefficient(supplier: String, buyer: String, value: Double)
    /// A sector's intermediate inputs are worth at least its output (column sum of A ≥ 1), so the
    /// economy may not be productive and `(I − A)⁻¹` may have negative entries.
    case notProductive(sector: String, columnSum: Double)
    /// A sector has zero or negative output, so its coefficients `z_ij / x_j` are undefined.
    case nonPositiveOutput(sector: String, value: Double)
    /// `I − A` (or `I − B`) is singular.
    case singular(String)

    public var description: String {
        switch self {
        case .negativeCoefficient(let supplier, let buyer, let value):
            "technical coefficient a[\(supplier), \(buyer)] = \(value) is negative; intermediate flows must be ≥ 0"
        case .notProductive(let sector, let columnSum):
            "sector \(sector) buys \(columnSum) of intermediate inputs per unit of output (≥ 1); the economy is not productive"
        case .nonPositiveOutput(let sector, let value):
            "sector \(sector) has output \(value); every sector needs a positive output to define its coefficients"
        case .singular(let what):
            "\(what) is singular"
        }
    }
}
