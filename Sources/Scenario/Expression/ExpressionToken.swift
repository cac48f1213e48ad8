import CityTwinCore

/// One token of the expression language, with the span of text it came from.
struct ExpressionToken: Sendable, Equatable {
    enum Kind: Sendable, Equatable {
        /// A number literal (its digits stay readable through the span, so a selector can insist on an integer).
        case number(Double)
        /// A dotted name: `water.reserve_days`, `sum`, `zones`, `manufacturing`, or a keyword.
        case name(String)
        case leftParenthesis, rightParenthesis, leftBracket, rightBracket, comma
        case plus, minus, star, slash, caret
        case less, lessEqual, greater, greaterEqual, equalEqual, notEqual
        /// `=`, `*=`, `+=`, `-=`: only an assignment's operator.
        case assign, scaleAssign, addAssign, subtractAssign
        case end
    }

    let kind: Kind
    let span: SourceSpan

    /// The word keywords; they cannot be paths.
    static let keywords: Set<String> = ["and", "or", "not"]

    /// How a token is named in messages: its text in backquotes, or "the end of the expression".
    func quoted(in source: ExpressionSource) -> String {
        kind == .end ? "the end of the expression" : "`\(source.text(of: span))`"
    }
}
