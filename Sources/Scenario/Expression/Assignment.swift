import CityTwinCore

/// A parsed assignment: `traffic.toll[links 10, 11] = 3.0`, `water.per_capita_demand *= 0.85`.
///
/// The target is a parameter (resolved by a ``TargetResolver``), the value an expression over
/// indicators (resolved by a ``ReferenceResolver``). Compile it with ``CompiledAssignment``.
public struct Assignment: Sendable, Hashable, CustomStringConvertible {
    /// What the operator does to the target's old value `x` with the expression's value `v`.
    public enum Operation: String, Sendable, Hashable, CaseIterable {
        /// `=`: x ← v
        case set = "="
        /// `*=`: x ← x · v
        case scale = "*="
        /// `+=`: x ← x + v
        case add = "+="
        /// `-=`: x ← x − v
        case subtract = "-="
    }

    public let target: Reference
    public let operation: Operation
    public let operatorSpan: SourceSpan
    /// The right-hand side; shares the assignment's source text.
    public let value: Expression

    public init(target: Reference, operation: Operation, operatorSpan: SourceSpan, value: Expression) {
        self.target = target
        self.operation = operation
        self.operatorSpan = operatorSpan
        self.value = value
    }

    public var source: ExpressionSource { value.source }

    public var description: String { "\(target) \(operation.rawValue) \(value)" }
}
