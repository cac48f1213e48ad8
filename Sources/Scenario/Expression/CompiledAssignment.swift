import CityTwinCore

/// An assignment checked against a model: its target resolved to parameter indices, its value compiled.
///
/// Units: `=`, `+=` and `-=` need the value in the target's unit (or unitless); `*=` needs a unitless
/// factor (a literal, a dimensionless path, or a product or quotient, which are unitless by the
/// language's simplification).
public struct CompiledAssignment: Sendable, Hashable {
    public let assignment: Assignment
    /// Where the target's values live among the parameters, and their unit.
    public let target: ResolvedTarget
    public let value: CompiledExpression

    public var path: String { assignment.target.path }
    public var selector: Selector? { assignment.target.selector }
    public var operation: Assignment.Operation { assignment.operation }

    /// Resolves the target with `targets` and compiles the value with `references`.
    /// - Throws: ``InputErrors`` with every error of the target and the value together.
    public init(_ assignment: Assignment, targets: some TargetResolver, references: some ReferenceResolver) throws {
        let source = assignment.source
        var errors: [InputError] = []
        var target: ResolvedTarget?
        switch targets.resolve(ReferenceRequest(reference: assignment.target, isPrevious: false)) {
        case .failure(let failure):
            errors.append(source.error(failure.message, spans: [failure.span ?? assignment.target.span], hint: failure.hint))
        case .success(let resolved) where resolved.indices.isEmpty:
            errors.append(source.error("`\(source.text(of: assignment.target.span))` selects no values", at: assignment.target.span))
        case .success(let resolved):
            target = resolved
        }
        var value: CompiledExpression?
        do {
            value = try CompiledExpression(assignment.value, as: .number, resolver: references, role: "the value assigned")
        } catch let valueErrors as InputErrors {
            errors += valueErrors.errors
        }
        if let target, let value, !value.unit.isEmpty {
            let valueSpan = assignment.value.root.span
            let valueText = source.text(of: valueSpan)
            if assignment.operation == .scale {
                errors.append(
                    source.error(
                        "`*=` scales by a plain number, but `\(valueText)` is in \(value.unit)", at: valueSpan,
                        hint: "divide by a value in \(value.unit) to make a ratio, or use `=`, `+=` or `-=`"
                    ))
            } else if !target.unit.isEmpty, target.unit != value.unit {
                errors.append(
                    source.error(
                        "unit mismatch: \(target.unit) vs \(value.unit)", at: assignment.target.span, valueSpan,
                        hint: "`\(source.text(of: assignment.target.span))` is in \(target.unit) but `\(valueText)` is in \(value.unit)"
                    ))
            }
        }
        if !errors.isEmpty { throw InputErrors(errors) }
        self.assignment = assignment
        self.target = target!
        self.value = value!
    }

    /// The new value of one target element whose old value is `old`, with the value computed now.
    /// - Complexity: one evaluation of the value; for many elements compute the value once and use
    ///   ``apply(to:value:)``.
    public func apply(to old: Double, current: [Double], previous: [Double]) -> Double {
        apply(to: old, value: value.evaluate(current: current, previous: previous))
    }

    /// The new value of one target element: `v`, `old · v`, `old + v` or `old − v`.
    public func apply(to old: Double, value v: Double) -> Double {
        switch assignment.operation {
        case .set: v
        case .scale: old * v
        case .add: old + v
        case .subtract: old - v
        }
    }
}
