import CityTwinCore

/// Type-checks an expression against a model (through a resolver) and generates its postfix program.
///
/// Rules, each an error before any evaluation:
/// - Arithmetic (`+ - * / ^`, unary `-`, `abs`, aggregates) takes numbers; `and`, `or`, `not` take
///   conditions; comparisons take numbers and give a condition. Booleans are never numbers: write
///   `x > 0`, not `x`, and there is no arithmetic on conditions.
/// - Units: a reference has its resolver's unit; a number literal (and a dimensionless path, unit `""`)
///   has none and combines with anything. `+ -`, comparisons and the arguments of an aggregate need
///   equal units. `* / ^` give a unitless result: the language does not do dimensional algebra (`persons /
///   days` is not a unit it knows), which keeps units a check against adding apples to oranges rather than
///   a calculus; a product compared with anything therefore always passes the unit check.
/// - A reference selecting several values may appear only directly inside an aggregate (or inside
///   `previous(…)` directly inside an aggregate); elsewhere it is an error saying how to aggregate it.
/// - `previous(…)` cannot be nested: one tick of history is kept.
///
/// Unlike parsing, compiling keeps going after an error, so every unknown path, type and unit error of
/// one expression is reported at once; a subexpression already in error takes no part in further checks.
struct ExpressionCompiler {
    typealias Instruction = ExpressionProgram.Instruction

    /// What a subexpression is; `type == nil` means it is already in error.
    struct Value {
        var type: ValueType?
        /// nil: unitless.
        var unit: String?

        static let invalid = Value(type: nil, unit: nil)
    }

    let source: ExpressionSource
    let resolver: any ReferenceResolver
    private(set) var errors: [InputError] = []
    private(set) var references: [CompiledReference] = []
    private var code: [Instruction] = []
    private var slotTable: [Int] = []
    private var depth = 0
    private var maxDepth = 0

    init(source: ExpressionSource, resolver: any ReferenceResolver) {
        self.source = source
        self.resolver = resolver
    }

    /// The program, once compiling found no errors.
    func program() -> ExpressionProgram {
        precondition(errors.isEmpty && depth == 1, "a program is generated only for a well-typed expression")
        let slots = references.flatMap(\.resolved.slots)
        return ExpressionProgram(instructions: code, slotTable: slotTable, stackDepth: maxDepth, slotCount: (slots.max() ?? -1) + 1)
    }

    mutating func error(_ message: String, _ spans: SourceSpan..., hint: String? = nil) {
        errors.append(source.error(message, spans: spans, hint: hint))
    }

    private mutating func emit(_ instruction: Instruction, stackChange: Int) {
        code.append(instruction)
        depth += stackChange
        maxDepth = Swift.max(maxDepth, depth)
    }

    func text(_ node: Expression.Node) -> String { source.text(of: node.span) }

    // MARK: Checks

    /// Reports a condition where a number is needed; false when `value` is not a usable number.
    mutating func requireNumber(_ value: Value, _ node: Expression.Node, by user: String) -> Bool {
        guard let type = value.type else { return false }
        if type == .boolean {
            error("\(user) needs a number, but `\(text(node))` is a condition (true or false)", node.span)
            return false
        }
        return true
    }

    /// Reports a number where a condition is needed; false when `value` is not a usable condition.
    mutating func requireCondition(_ value: Value, _ node: Expression.Node, by user: String) -> Bool {
        guard let type = value.type else { return false }
        if type == .number {
            error(
                "\(user) needs a condition (true or false), but `\(text(node))` is a number", node.span,
                hint: "compare it with something, e.g. `\(text(node)) > 0`")
            return false
        }
        return true
    }

    /// The common unit of two values that must agree, reporting a mismatch (nil: unitless).
    mutating func commonUnit(_ a: String?, _ aSpan: SourceSpan, _ b: String?, _ bSpan: SourceSpan) -> (unit: String?, ok: Bool) {
        guard let a else { return (b, true) }
        guard let b, b != a else { return (a, true) }
        error(
            "unit mismatch: \(a) vs \(b)", aSpan, bSpan,
            hint: "`\(source.text(of: aSpan))` is in \(a) but `\(source.text(of: bSpan))` is in \(b)")
        return (a, false)
    }

    // MARK: References

    /// Resolves a reference and records it; nil after reporting why it cannot be.
    mutating func resolve(_ reference: Reference, previous: Bool) -> ResolvedReference? {
        switch resolver.resolve(ReferenceRequest(reference: reference, isPrevious: previous)) {
        case .failure(let failure):
            errors.append(source.error(failure.message, spans: [failure.span ?? reference.span], hint: failure.hint))
            return nil
        case .success(let resolved):
            if resolved.slots.isEmpty {
                error("`\(source.text(of: reference.span))` selects no values", reference.span)
                return nil
            }
            references.append(CompiledReference(reference: reference, isPrevious: previous, resolved: resolved))
            return resolved
        }
    }

    static func unit(_ resolved: ResolvedReference) -> String? { resolved.unit.isEmpty ? nil : resolved.unit }

    // MARK: Nodes

    /// Generates code leaving exactly one value on the stack, and returns what it is.
    mutating func compile(_ node: Expression.Node, previous: Bool) -> Value {
        switch node {
        case .number(let value, _):
            emit(.constant(value), stackChange: 1)
            return Value(type: .number, unit: nil)

        case .reference(let reference):
            guard let resolved = resolve(reference, previous: previous) else { return .invalid }
            if resolved.slots.count > 1 {
                error(
                    "`\(source.text(of: reference.span))` has \(resolved.slots.count) values; wrap it in sum(), mean(), min() or max()",
                    reference.span)
                return .invalid
            }
            emit(previous ? .loadPrevious(slot: resolved.slots[0]) : .load(slot: resolved.slots[0]), stackChange: 1)
            return Value(type: .number, unit: Self.unit(resolved))

        case .unary(.negate, let operand, _):
            let value = compile(operand, previous: previous)
            emit(.negate, stackChange: 0)
            return requireNumber(value, operand, by: "`-`") ? value : .invalid

        case .unary(.not, let operand, _):
            let value = compile(operand, previous: previous)
            emit(.not, stackChange: 0)
            return requireCondition(value, operand, by: "`not`") ? value : .invalid

        case .binary(let op, let lhs, let rhs, _, _):
            let left = compile(lhs, previous: previous)
            let right = compile(rhs, previous: previous)
            emit(Self.instruction(op), stackChange: -1)
            if op.isLogical {
                let leftOK = requireCondition(left, lhs, by: "`\(op.rawValue)`")
                let rightOK = requireCondition(right, rhs, by: "`\(op.rawValue)`")
                return leftOK && rightOK ? Value(type: .boolean, unit: nil) : .invalid
            }
            let leftOK = requireNumber(left, lhs, by: "`\(op.rawValue)`")
            let rightOK = requireNumber(right, rhs, by: "`\(op.rawValue)`")
            guard leftOK && rightOK else { return .invalid }
            switch op {
            case .multiply, .divide, .power:
                return Value(type: .number, unit: nil)
            default:
                let (unit, agree) = commonUnit(left.unit, lhs.span, right.unit, rhs.span)
                guard agree else { return .invalid }
                return op.isComparison ? Value(type: .boolean, unit: nil) : Value(type: .number, unit: unit)
            }

        case .call(.previous, let arguments, let nameSpan, _):
            if previous {
                error("`previous()` cannot be nested", nameSpan, hint: "one tick of history is kept")
            }
            return compile(arguments[0], previous: true)

        case .call(.abs, let arguments, _, _):
            let value = compile(arguments[0], previous: previous)
            emit(.absolute, stackChange: 0)
            return requireNumber(value, arguments[0], by: "`abs()`") ? value : .invalid

        case .call(let function, let arguments, _, _):
            return aggregate(function, arguments, previous: previous)
        }
    }

    /// `sum`, `mean`, `min` and `max` over every value of every argument.
    private mutating func aggregate(_ function: Expression.Function, _ arguments: [Expression.Node], previous: Bool) -> Value {
        let fold: ExpressionProgram.Fold =
            switch function {
            case .min: .min
            case .max: .max
            default: .sum
            }
        emit(.constant(fold.identity), stackChange: 1)
        var valid = true
        var unit: (String, SourceSpan)?
        var count = 0
        for argument in arguments {
            let value: Value
            if let (reference, wrapped) = Self.directReference(argument) {
                let isPrevious = previous || wrapped
                if wrapped && previous {
                    error("`previous()` cannot be nested", argument.span, hint: "one tick of history is kept")
                }
                guard let resolved = resolve(reference, previous: isPrevious) else {
                    valid = false
                    continue
                }
                emit(.foldSlots(fold, start: slotTable.count, count: resolved.slots.count, previous: isPrevious), stackChange: 0)
                slotTable += resolved.slots
                count += resolved.slots.count
                value = Value(type: .number, unit: Self.unit(resolved))
            } else {
                value = compile(argument, previous: previous)
                emit(.fold(fold), stackChange: -1)
                count += 1
                guard requireNumber(value, argument, by: "`\(function.rawValue)()`") else {
                    valid = false
                    continue
                }
            }
            if let argumentUnit = value.unit {
                if let (first, span) = unit {
                    valid = commonUnit(first, span, argumentUnit, argument.span).ok && valid
                } else {
                    unit = (argumentUnit, argument.span)
                }
            }
        }
        if function == .mean { emit(.divideBy(Double(count)), stackChange: 0) }
        return valid ? Value(type: .number, unit: unit?.0) : .invalid
    }

    /// A reference an aggregate may read all values of: `x[…]`, or `previous(x[…])` (then `true`).
    private static func directReference(_ node: Expression.Node) -> (Reference, Bool)? {
        switch node {
        case .reference(let reference): (reference, false)
        case .call(.previous, let arguments, _, _):
            if case .reference(let reference) = arguments[0] { (reference, true) } else { nil }
        default: nil
        }
    }

    private static func instruction(_ op: Expression.BinaryOperator) -> Instruction {
        switch op {
        case .add: .add
        case .subtract: .subtract
        case .multiply: .multiply
        case .divide: .divide
        case .power: .power
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .equal: .equal
        case .notEqual: .notEqual
        case .and: .and
        case .or: .or
        }
    }
}
