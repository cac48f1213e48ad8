import CityTwinCore

/// A parsed expression: its syntax tree and the text it came from (for error locations and excerpts).
///
/// Produced by ``ExpressionParser/parse(_:at:)``; checked against a model and turned into something
/// fast to evaluate by ``CompiledExpression``.
///
/// Foundation also declares an `Expression` (for `#Expression`); a file outside this module that imports
/// both must write `Scenario.Expression`.
public struct Expression: Sendable, Hashable, CustomStringConvertible {
    public let source: ExpressionSource
    public let root: Node

    public init(source: ExpressionSource, root: Node) {
        self.source = source
        self.root = root
    }

    /// A node of the syntax tree. Every node knows its span in ``source``.
    public indirect enum Node: Sendable, Hashable {
        case number(Double, span: SourceSpan)
        case reference(Reference)
        case unary(UnaryOperator, Node, span: SourceSpan)
        /// `operatorSpan` is the operator's own text, `span` the whole expression.
        case binary(BinaryOperator, Node, Node, operatorSpan: SourceSpan, span: SourceSpan)
        case call(Function, arguments: [Node], nameSpan: SourceSpan, span: SourceSpan)

        public var span: SourceSpan {
            switch self {
            case .number(_, let span), .unary(_, _, let span), .binary(_, _, _, _, let span), .call(_, _, _, let span): span
            case .reference(let reference): reference.span
            }
        }
    }

    public enum UnaryOperator: String, Sendable, Hashable {
        case negate = "-"
        case not = "not"
    }

    public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
        case add = "+", subtract = "-", multiply = "*", divide = "/", power = "^"
        case less = "<", lessEqual = "<=", greater = ">", greaterEqual = ">=", equal = "==", notEqual = "!="
        case and = "and", or = "or"

        var isComparison: Bool {
            switch self {
            case .less, .lessEqual, .greater, .greaterEqual, .equal, .notEqual: true
            default: false
            }
        }

        var isLogical: Bool { self == .and || self == .or }
    }

    /// The built-in functions.
    public enum Function: String, Sendable, Hashable, CaseIterable {
        /// Aggregates over every value of every argument (selectors contribute one value per element).
        case sum, mean, min, max
        /// The absolute value of one number.
        case abs
        /// Its argument evaluated on the previous tick's values of the indicators.
        case previous

        var isAggregate: Bool {
            switch self {
            case .sum, .mean, .min, .max: true
            case .abs, .previous: false
            }
        }
    }

    /// Fully parenthesised, canonical spelling, for tests and logs: `(2 + (3 * (4 ^ 2)))`.
    public var description: String { Self.render(root) }

    static func render(_ node: Node) -> String {
        switch node {
        case .number(let value, _):
            value == value.rounded() && Swift.abs(value) < 1e15 ? String(Int(value)) : "\(value)"
        case .reference(let reference):
            reference.description
        case .unary(.negate, let operand, _):
            "(-\(render(operand)))"
        case .unary(.not, let operand, _):
            "(not \(render(operand)))"
        case .binary(let op, let lhs, let rhs, _, _):
            "(\(render(lhs)) \(op.rawValue) \(render(rhs)))"
        case .call(let function, let arguments, _, _):
            "\(function.rawValue)(\(arguments.map(render).joined(separator: ", ")))"
        }
    }
}
