public import CityTwinCore

/// Parses the expression language's text into ``Expression`` and ``Assignment`` values.
///
/// The grammar, loosest binding first (EBNF; `{ }` repeats, `[ ]` is optional):
///
///     assignment     = reference ( "=" | "*=" | "+=" | "-=" ) expression
///     expression     = conjunction { "or" conjunction }
///     conjunction    = negation { "and" negation }
///     negation       = "not" negation | comparison
///     comparison     = sum [ ( "<" | "<=" | ">" | ">=" | "==" | "!=" ) sum ]
///     sum            = product { ( "+" | "-" ) product }
///     product        = signed { ( "*" | "/" ) signed }
///     signed         = "-" signed | power
///     power          = primary [ "^" signed ]
///     primary        = number | "(" expression ")" | call | reference
///     call           = function "(" expression { "," expression } ")"
///     function       = "sum" | "mean" | "min" | "max" | "abs" | "previous"
///     reference      = path [ selector ]
///     path           = identifier { "." identifier }
///     selector       = "[" identifier item { "," item } "]"
///     item           = integer [ "-" integer ] | identifier
///
/// Conventions, chosen to match how the formulas read aloud and ordinary mathematics:
/// - `^` is right-associative and binds tighter than a unary minus on its left: `2 ^ 3 ^ 2` = 2⁹ = 512,
///   `-2 ^ 2` = −(2²) = −4 (as in mathematics, Python and Fortran; not as in Excel). Its exponent may carry
///   a sign: `2 ^ -1` = 0.5.
/// - `+ -` and `* /` are left-associative: `10 - 4 - 3` = 3, `8 / 4 / 2` = 1.
/// - Comparisons do not chain: `a < b < c` is an error; write `a < b and b < c`.
/// - `not` binds looser than a comparison: `not x < 3` means `not (x < 3)`.
/// - `and` binds tighter than `or`.
///
/// Parsing stops at the first error (a later error often only echoes the first); type, unit and
/// path errors, found by ``CompiledExpression``, are collected all together.
public enum ExpressionParser {
    /// Parses a condition or a number-valued expression.
    ///
    /// - Parameters:
    ///   - text: The expression, e.g. `water.reserve_days < 30 and not previous(water.reserve_days) < 30`.
    ///   - origin: Where `text` starts in its file, so errors carry absolute line:column.
    /// - Throws: ``InputErrors`` holding one ``InputError`` with the location of the offending token and an
    ///   excerpt underlining it.
    public static func parse(_ text: String, at origin: SourceLocation) throws -> Expression {
        let source = ExpressionSource(text: text, origin: origin)
        var parser = try Parser(source)
        let root = try parser.wholeExpression()
        try parser.expectEnd(inAssignment: false)
        return Expression(source: source, root: root)
    }

    /// Parses an assignment: `target = value`, `target *= value`, `target += value` or `target -= value`.
    /// - Throws: ``InputErrors``, as ``parse(_:at:)``.
    public static func parseAssignment(_ text: String, at origin: SourceLocation) throws -> Assignment {
        let source = ExpressionSource(text: text, origin: origin)
        var parser = try Parser(source)
        let target = try parser.assignmentTarget()
        let token = parser.current
        let operation: Assignment.Operation
        switch token.kind {
        case .assign: operation = .set
        case .scaleAssign: operation = .scale
        case .addAssign: operation = .add
        case .subtractAssign: operation = .subtract
        default:
            throw InputErrors([
                source.error(
                    "expected `=`, `*=`, `+=` or `-=` after `\(source.text(of: target.span))`, found \(token.quoted(in: source))",
                    at: token.span,
                    hint: "an assignment reads `path = value`, e.g. `water.per_capita_demand *= 0.85`"
                )
            ])
        }
        parser.advance()
        let root = try parser.wholeExpression()
        try parser.expectEnd(inAssignment: true)
        return Assignment(target: target, operation: operation, operatorSpan: token.span, value: Expression(source: source, root: root))
    }
}

/// Recursive descent over the token list, one method per grammar rule.
private struct Parser {
    typealias Node = Expression.Node
    let source: ExpressionSource
    let tokens: [ExpressionToken]
    var position = 0
    /// Where the last consumed token ended: the end of the span of whatever was just parsed.
    var lastEnd = 0

    /// Bounds that keep parsing and compiling (both recursive) far from the stack's limit: no scenario
    /// needs a longer expression or deeper nesting.
    static let maximumTokens = 1_000
    static let maximumNesting = 50

    init(_ source: ExpressionSource) throws(InputErrors) {
        self.source = source
        tokens = try ExpressionLexer(source: source).tokens()
        if tokens.count > Parser.maximumTokens {
            throw InputErrors([
                source.error(
                    "the expression has \(tokens.count) tokens; at most \(Parser.maximumTokens) are read",
                    spans: [tokens[Parser.maximumTokens].span],
                    hint: "split the condition, or sum over a selector: sum(x[zones 1-24])")
            ])
        }
        var depth = 0
        for token in tokens {
            switch token.kind {
            case .leftParenthesis, .leftBracket: depth += 1
            case .rightParenthesis, .rightBracket: depth -= 1
            default: break
            }
            if depth > Parser.maximumNesting {
                throw InputErrors([source.error("brackets nest more than \(Parser.maximumNesting) deep", spans: [token.span])])
            }
        }
    }

    var current: ExpressionToken { tokens[position] }
    var next: ExpressionToken { tokens[Swift.min(position + 1, tokens.count - 1)] }

    mutating func advance() {
        lastEnd = current.span.end
        if position + 1 < tokens.count { position += 1 }
    }

    func isKeyword(_ word: String) -> Bool { current.kind == .name(word) }

    func fail(_ message: String, _ spans: SourceSpan..., hint: String? = nil) -> InputErrors {
        InputErrors([source.error(message, spans: spans, hint: hint)])
    }

    func span(from start: Int) -> SourceSpan { SourceSpan(start, lastEnd) }

    // MARK: Entry points

    mutating func wholeExpression() throws(InputErrors) -> Node {
        if current.kind == .end {
            throw fail(
                position == 0 ? "the expression is empty" : "expected a value after the operator, found the end of the expression",
                current.span)
        }
        return try disjunction()
    }

    mutating func expectEnd(inAssignment: Bool) throws(InputErrors) {
        let token = current
        switch token.kind {
        case .end:
            return
        case .assign where !inAssignment:
            throw fail("`=` sets a value; it cannot appear in a condition", token.span, hint: "to compare, write `==`")
        case .assign, .scaleAssign, .addAssign, .subtractAssign:
            throw fail(
                inAssignment
                    ? "only one assignment is allowed" : "an assignment (\(token.quoted(in: source))) cannot appear in a condition",
                token.span)
        case .rightParenthesis:
            throw fail("`)` has no matching `(`", token.span)
        case .rightBracket:
            throw fail("`]` has no matching `[`", token.span)
        case .name(let word):
            let hint =
                Suggestion.nearest(to: word, in: ExpressionToken.keywords.sorted()).map { "did you mean `\($0)`?" }
                ?? "is an operator missing before it?"
            throw fail("unexpected `\(word)` after a complete expression", token.span, hint: hint)
        default:
            throw fail(
                "unexpected \(token.quoted(in: source)) after a complete expression", token.span,
                hint: "is an operator missing before it?")
        }
    }

    // MARK: Precedence levels

    mutating func disjunction() throws(InputErrors) -> Node {
        let start = current.span.start
        var node = try conjunction()
        while isKeyword("or") {
            let op = current.span
            advance()
            let rhs = try conjunction()
            node = .binary(.or, node, rhs, operatorSpan: op, span: span(from: start))
        }
        return node
    }

    mutating func conjunction() throws(InputErrors) -> Node {
        let start = current.span.start
        var node = try negation()
        while isKeyword("and") {
            let op = current.span
            advance()
            let rhs = try negation()
            node = .binary(.and, node, rhs, operatorSpan: op, span: span(from: start))
        }
        return node
    }

    mutating func negation() throws(InputErrors) -> Node {
        guard isKeyword("not") else { return try comparison() }
        let start = current.span.start
        advance()
        let operand = try negation()
        return .unary(.not, operand, span: span(from: start))
    }

    static func comparisonOperator(_ kind: ExpressionToken.Kind) -> Expression.BinaryOperator? {
        switch kind {
        case .less: .less
        case .lessEqual: .lessEqual
        case .greater: .greater
        case .greaterEqual: .greaterEqual
        case .equalEqual: .equal
        case .notEqual: .notEqual
        default: nil
        }
    }

    mutating func comparison() throws(InputErrors) -> Node {
        let start = current.span.start
        let lhs = try sum()
        guard let op = Self.comparisonOperator(current.kind) else { return lhs }
        let opSpan = current.span
        advance()
        let rhs = try sum()
        if Self.comparisonOperator(current.kind) != nil {
            let middle = source.text(of: rhs.span)
            throw fail(
                "comparisons cannot be chained", current.span, opSpan,
                hint: "join two comparisons with `and`: `… \(op.rawValue) \(middle) and \(middle) \(source.text(of: current.span)) …`"
            )
        }
        return .binary(op, lhs, rhs, operatorSpan: opSpan, span: span(from: start))
    }

    mutating func sum() throws(InputErrors) -> Node {
        let start = current.span.start
        var node = try product()
        while current.kind == .plus || current.kind == .minus {
            let op: Expression.BinaryOperator = current.kind == .plus ? .add : .subtract
            let opSpan = current.span
            advance()
            let rhs = try product()
            node = .binary(op, node, rhs, operatorSpan: opSpan, span: span(from: start))
        }
        return node
    }

    mutating func product() throws(InputErrors) -> Node {
        let start = current.span.start
        var node = try signed()
        while current.kind == .star || current.kind == .slash {
            let op: Expression.BinaryOperator = current.kind == .star ? .multiply : .divide
            let opSpan = current.span
            advance()
            let rhs = try signed()
            node = .binary(op, node, rhs, operatorSpan: opSpan, span: span(from: start))
        }
        return node
    }

    mutating func signed() throws(InputErrors) -> Node {
        guard current.kind == .minus else { return try power() }
        let start = current.span.start
        advance()
        let operand = try signed()
        return .unary(.negate, operand, span: span(from: start))
    }

    mutating func power() throws(InputErrors) -> Node {
        let start = current.span.start
        let base = try primary()
        guard current.kind == .caret else { return base }
        let opSpan = current.span
        advance()
        let exponent = try signed()
        return .binary(.power, base, exponent, operatorSpan: opSpan, span: span(from: start))
    }

    // MARK: Primaries

    mutating func primary() throws(InputErrors) -> Node {
        let token = current
        switch token.kind {
        case .number(let value):
            advance()
            return .number(value, span: token.span)
        case .leftParenthesis:
            advance()
            let inner = try disjunction()
            try close(.rightParenthesis, opened: token.span)
            return inner
        case .name(let word) where ExpressionToken.keywords.contains(word):
            throw fail(
                "expected a value, found `\(word)`", token.span,
                hint: word == "not" ? "put `not …` in parentheses: `(not …)`" : nil)
        case .name(let word):
            if next.kind == .leftParenthesis { return try call(word) }
            return .reference(try reference())
        case .end:
            let after = position > 0 ? " after \(tokens[position - 1].quoted(in: source))" : ""
            throw fail("expected a value\(after), found the end of the expression", token.span)
        default:
            throw fail("expected a number, a path, a function or `(`, found \(token.quoted(in: source))", token.span)
        }
    }

    /// Consumes the closing bracket of `opened`, or explains what is wrong.
    mutating func close(_ kind: ExpressionToken.Kind, opened: SourceSpan) throws(InputErrors) {
        let (open, close) = kind == .rightParenthesis ? ("(", ")") : ("[", "]")
        if current.kind == kind {
            advance()
            return
        }
        if current.kind == .end {
            throw fail("unclosed `\(open)`", opened, hint: "add `\(close)` to close it")
        }
        throw fail("expected `\(close)` to close the `\(open)`, found \(current.quoted(in: source))", current.span, opened)
    }

    mutating func call(_ name: String) throws(InputErrors) -> Node {
        let nameToken = current
        guard let function = Expression.Function(rawValue: name) else {
            throw fail(
                "unknown function `\(name)`", nameToken.span,
                hint: Suggestion.hint(for: name, in: Expression.Function.allCases.map(\.rawValue)))
        }
        advance()
        let open = current.span
        advance()
        if current.kind == .rightParenthesis {
            throw fail("`\(name)()` needs an argument", SourceSpan(nameToken.span.start, current.span.end))
        }
        var arguments = [try disjunction()]
        while current.kind == .comma {
            let comma = current.span
            advance()
            if !function.isAggregate {
                throw fail("`\(name)` takes one argument", comma)
            }
            arguments.append(try disjunction())
        }
        try close(.rightParenthesis, opened: open)
        return .call(function, arguments: arguments, nameSpan: nameToken.span, span: span(from: nameToken.span.start))
    }

    mutating func assignmentTarget() throws(InputErrors) -> Reference {
        switch current.kind {
        case .name(let word) where !ExpressionToken.keywords.contains(word):
            return try reference()
        case .end:
            throw fail("the assignment is empty", current.span, hint: "an assignment reads `path = value`")
        default:
            throw fail(
                "expected the path to assign to, found \(current.quoted(in: source))", current.span,
                hint: "an assignment reads `path = value`, e.g. `traffic.toll[links 1-5] = 3.0`")
        }
    }

    mutating func reference() throws(InputErrors) -> Reference {
        guard case .name(let path) = current.kind else { preconditionFailure("a reference starts with a name") }
        let pathSpan = current.span
        advance()
        var selector: Selector?
        if current.kind == .leftBracket { selector = try self.selector() }
        return Reference(path: path, pathSpan: pathSpan, selector: selector, span: span(from: pathSpan.start))
    }

    mutating func selector() throws(InputErrors) -> Selector {
        let open = current.span
        advance()
        // A selector may start with its first item when the dimension needs no keyword (`[65-69, female]`).
        if case .number = current.kind {
            var items = [try item()]
            while current.kind == .comma {
                advance()
                items.append(try item())
            }
            try close(.rightBracket, opened: open)
            return Selector(keyword: "", keywordSpan: open, items: items, span: span(from: open.start))
        }
        guard case .name(let keyword) = current.kind, !keyword.contains("."), !ExpressionToken.keywords.contains(keyword) else {
            throw fail(
                "expected a dimension after `[`, found \(current.quoted(in: source))", current.span,
                hint: "a selector names its dimension first, e.g. `[zones 10, 11, 15-16]`")
        }
        let keywordSpan = current.span
        advance()
        if current.kind == .rightBracket || current.kind == .end {
            throw fail(
                "`[\(keyword)` selects nothing", current.kind == .end ? keywordSpan : current.span,
                hint: "list the items, e.g. `[\(keyword) 1, 3-5]`")
        }
        var items = [try item()]
        while current.kind == .comma {
            advance()
            items.append(try item())
        }
        if current.kind != .rightBracket, current.kind != .end {
            throw fail(
                "expected `,` or `]` in the selector, found \(current.quoted(in: source))", current.span,
                hint: "separate items with commas: `[\(keyword) 1, 2, 5-7]`")
        }
        try close(.rightBracket, opened: open)
        return Selector(keyword: keyword, keywordSpan: keywordSpan, items: items, span: span(from: open.start))
    }

    mutating func integer() throws(InputErrors) -> Int {
        let token = current
        let text = source.text(of: token.span)
        guard case .number(let value) = token.kind, text.allSatisfy({ $0 == "_" || $0.isNumber }), let n = Int(exactly: value) else {
            throw fail("selector items are whole numbers, ranges like `15-16` or names; found \(token.quoted(in: source))", token.span)
        }
        advance()
        return n
    }

    mutating func item() throws(InputErrors) -> SelectorItem {
        let start = current.span.start
        if case .name(let word) = current.kind, !ExpressionToken.keywords.contains(word) {
            guard !word.contains(".") else {
                throw fail("`\(word)` is not a selector item", current.span, hint: "item names have no dots")
            }
            advance()
            return SelectorItem(.name(word), span: span(from: start))
        }
        let lower = try integer()
        guard current.kind == .minus else { return SelectorItem(.integer(lower), span: span(from: start)) }
        advance()
        let upper = try integer()
        // `17-10` cannot be a range; it can be a name (links are named from-to), which the resolver decides.
        guard lower <= upper else { return SelectorItem(.name("\(lower)-\(upper)"), span: span(from: start)) }
        return SelectorItem(.range(lower...upper), span: span(from: start))
    }
}
