/// Type I multipliers of an input-output table: the economy-wide effect of one more unit of final demand
/// for each sector.
///
/// With `L = (I − A)⁻¹` and a satellite coefficient row `c` (per unit of output),
///
///     output multiplier      m_o = 1ᵀ · L              (column sums of L)
///     value-added multiplier m_v = (v ⊘ x)ᵀ · L
///     income multiplier      m_w = (w ⊘ x)ᵀ · L        (compensation of employees)
///     employment multiplier  m_e = (e ⊘ x)ᵀ · L        (jobs per unit of final demand)
///
/// Each is one transposed solve `(I − A)ᵀ m = c`, so L is never formed. These are the "simple" (type I)
/// multipliers: household spending is outside the model (Miller & Blair 2009, §6.2; Eurostat 2008, §15.3).
public struct Multipliers: Sendable, Hashable {
    public let output: [Double]
    public let valueAdded: [Double]?
    public let income: [Double]?
    public let employment: [Double]?

    /// The multipliers of a table.
    /// - Throws: `EconomyError` when the table's A is not productive.
    public init(table: InputOutputTable) throws {
        try self.init(model: LeontiefModel(table: table), table: table)
    }

    /// The multipliers from an existing model of the same table.
    public init(model: LeontiefModel, table: InputOutputTable) {
        precondition(model.count == table.count, "model and table differ in sector count")
        output = model.multiplier(of: Array(repeating: 1, count: table.count))
        valueAdded = table.valueAdded.map { model.multiplier(of: table.coefficients($0)) }
        income = table.compensation.map { model.multiplier(of: table.coefficients($0)) }
        employment = table.employment.map { model.multiplier(of: table.coefficients($0)) }
    }
}
