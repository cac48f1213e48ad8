import CityTwinCore

/// What an expression yields.
public enum ValueType: String, Sendable, Hashable {
    /// A `Double`.
    case number
    /// True or false: a condition (comparisons, `and`, `or`, `not`).
    case boolean
}

/// One reference of a compiled expression, as the resolver resolved it.
public struct CompiledReference: Sendable, Hashable {
    public let reference: Reference
    /// Read from the previous tick's values (inside `previous(…)`).
    public let isPrevious: Bool
    public let resolved: ResolvedReference
}

/// An expression checked against a model and compiled for fast, repeated evaluation.
///
/// Compiling resolves every reference once, checks types and units (see the rules on
/// ``ExpressionParser`` for syntax and below for meaning), and flattens the tree into a postfix program.
/// Evaluating runs that program over two flat arrays of indicator values — the current tick's and the
/// previous tick's — with no strings, dictionaries or heap allocation.
///
/// Meaning:
/// - Arithmetic is IEEE 754 double precision: `x / 0` is ±∞ (NaN for `0 / 0`), and a NaN makes every
///   comparison with it false except `!=`. Conditions over such values are therefore false, which for a
///   trigger means "does not fire"; guard a division with `and` if that matters (`and` does not
///   short-circuit, but nothing in the language has side effects, so only the result counts).
/// - `==` and `!=` compare exactly.
/// - `sum`, `mean`, `min`, `max` run over every value of every argument: `max(a[zones 1-3], b)` is the
///   largest of four numbers. A NaN among them makes the result NaN.
/// - Units: see ``ExpressionCompiler``; in short `+ -`, comparisons and aggregates need equal units,
///   literals fit anything, and `* / ^` give unitless results (a deliberate simplification).
/// - `previous(e)` is `e` evaluated on the previous tick's values. What "previous" holds on the first
///   tick is the caller's choice (passing the current values makes `previous(x) == x`).
public struct CompiledExpression: Sendable, Hashable {
    public let expression: Expression
    public let type: ValueType
    /// The result's unit; empty when unitless (a condition, a literal, a product).
    public let unit: String
    /// Every reference in source order, with its resolved slots.
    public let references: [CompiledReference]
    let program: ExpressionProgram

    /// Compiles an expression that must yield `type`.
    ///
    /// - Throws: ``InputErrors`` with every unknown path, type and unit error found, each located in the file
    ///   with an underlined excerpt.
    public init(_ expression: Expression, as type: ValueType, resolver: some ReferenceResolver) throws {
        try self.init(expression, as: type, resolver: resolver, role: nil)
    }

    /// Compiles a trigger or alert condition (true or false).
    public static func condition(_ expression: Expression, resolver: some ReferenceResolver) throws -> CompiledExpression {
        try CompiledExpression(expression, as: .boolean, resolver: resolver)
    }

    /// Compiles a number-valued expression.
    public static func number(_ expression: Expression, resolver: some ReferenceResolver) throws -> CompiledExpression {
        try CompiledExpression(expression, as: .number, resolver: resolver)
    }

    /// `role` names the expression in a type error ("the value assigned"); nil for a plain expression.
    init(_ expression: Expression, as type: ValueType, resolver: any ReferenceResolver, role: String?) throws {
        var compiler = ExpressionCompiler(source: expression.source, resolver: resolver)
        let value = compiler.compile(expression.root, previous: false)
        let root = expression.root
        let text = expression.source.text(of: root.span)
        switch (type, value.type) {
        case (.boolean, .number):
            compiler.error(
                "\(role ?? "a condition") must be true or false, but `\(text)` is a number", root.span,
                hint: "compare it with something, e.g. `\(text) > 0`")
        case (.number, .boolean):
            compiler.error("\(role ?? "the expression") must be a number, but `\(text)` is a condition (true or false)", root.span)
        default:
            break
        }
        if !compiler.errors.isEmpty { throw InputErrors(compiler.errors) }
        self.expression = expression
        self.type = type
        unit = value.unit ?? ""
        references = compiler.references
        program = compiler.program()
    }

    /// The value of a number-valued expression.
    /// - Parameters:
    ///   - current: This tick's indicator values, indexed by the resolver's slots.
    ///   - previous: The previous tick's, indexed the same way.
    /// - Complexity: O(size of the expression + slots read); no heap allocation.
    public func evaluate(current: [Double], previous: [Double]) -> Double {
        precondition(type == .number, "evaluate(current:previous:) is for numbers; use isTrue for a condition")
        return program.run(current: current, previous: previous)
    }

    /// Whether a condition holds.
    /// - Complexity: O(size of the expression + slots read); no heap allocation.
    public func isTrue(current: [Double], previous: [Double]) -> Bool {
        precondition(type == .boolean, "isTrue(current:previous:) is for conditions; use evaluate for a number")
        return program.run(current: current, previous: previous) != 0
    }

    /// The slots read from the current tick's values, ascending, without repeats.
    public var currentSlots: [Int] { Self.slots(references.filter { !$0.isPrevious }) }

    /// The slots read from the previous tick's values, ascending, without repeats.
    public var previousSlots: [Int] { Self.slots(references.filter(\.isPrevious)) }

    private static func slots(_ references: [CompiledReference]) -> [Int] {
        Array(Set(references.flatMap(\.resolved.slots))).sorted()
    }
}
