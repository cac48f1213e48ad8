import CityTwinCore

/// Splits an expression's text into tokens.
///
/// Numbers are decimal with optional `_` between digits, fraction and exponent (`2_000`, `0.85`,
/// `1e-3`); there is no sign in a literal (`-3` is unary minus applied to `3`). Names are identifiers
/// (`[A-Za-z_][A-Za-z0-9_]*`) joined by dots without spaces (`water.reserve_days`).
/// - Complexity: O(n) in the length of the text.
struct ExpressionLexer {
    let source: ExpressionSource

    /// All tokens, ending with `.end`; the first malformed character is an error.
    func tokens() throws(InputErrors) -> [ExpressionToken] {
        let text = source.characters
        var tokens: [ExpressionToken] = []
        var i = 0
        func add(_ kind: ExpressionToken.Kind, _ length: Int) {
            tokens.append(ExpressionToken(kind: kind, span: SourceSpan(i, i + length)))
            i += length
        }
        func next(_ offset: Int) -> Character? { i + offset < text.count ? text[i + offset] : nil }

        while i < text.count {
            let c = text[i]
            if c.isWhitespace {
                i += 1
                continue
            }
            if c.isASCII && c.isNumber {
                let (value, length) = try number(at: i)
                tokens.append(ExpressionToken(kind: .number(value), span: SourceSpan(i, i + length)))
                i += length
                continue
            }
            if Self.startsIdentifier(c) {
                let length = try name(at: i)
                tokens.append(ExpressionToken(kind: .name(String(text[i..<i + length])), span: SourceSpan(i, i + length)))
                i += length
                continue
            }
            switch (c, next(1)) {
            case ("(", _): add(.leftParenthesis, 1)
            case (")", _): add(.rightParenthesis, 1)
            case ("[", _): add(.leftBracket, 1)
            case ("]", _): add(.rightBracket, 1)
            case (",", _): add(.comma, 1)
            case ("^", _): add(.caret, 1)
            case ("/", _): add(.slash, 1)
            case ("*", "="): add(.scaleAssign, 2)
            case ("*", "*"):
                throw InputErrors([
                    source.error("`**` is not an operator", at: SourceSpan(i, i + 2), hint: "write powers with `^`, e.g. `1.02 ^ 5`")
                ])
            case ("*", _): add(.star, 1)
            case ("+", "="): add(.addAssign, 2)
            case ("+", _): add(.plus, 1)
            case ("-", "="): add(.subtractAssign, 2)
            case ("-", _): add(.minus, 1)
            case ("<", "="): add(.lessEqual, 2)
            case ("<", ">"):
                throw InputErrors([source.error("`<>` is not an operator", at: SourceSpan(i, i + 2), hint: "write `!=` for “not equal”")])
            case ("<", _): add(.less, 1)
            case (">", "="): add(.greaterEqual, 2)
            case (">", _): add(.greater, 1)
            case ("=", "="): add(.equalEqual, 2)
            case ("=", _): add(.assign, 1)
            case ("!", "="): add(.notEqual, 2)
            case ("!", _):
                throw InputErrors([
                    source.error("unexpected character `!`", at: SourceSpan(i, i + 1), hint: "write `not` to negate a condition")
                ])
            case ("&", "&"):
                throw InputErrors([source.error("`&&` is not an operator", at: SourceSpan(i, i + 2), hint: "write `and`")])
            case ("|", "|"):
                throw InputErrors([source.error("`||` is not an operator", at: SourceSpan(i, i + 2), hint: "write `or`")])
            default:
                throw InputErrors([source.error("unexpected character `\(c)`", at: SourceSpan(i, i + 1))])
            }
        }
        tokens.append(ExpressionToken(kind: .end, span: SourceSpan(text.count, text.count)))
        return tokens
    }

    static func startsIdentifier(_ c: Character) -> Bool { c == "_" || (c.isASCII && c.isLetter) }
    static func continuesIdentifier(_ c: Character) -> Bool { c == "_" || (c.isASCII && (c.isLetter || c.isNumber)) }

    /// The length of the dotted name starting at `start`.
    private func name(at start: Int) throws(InputErrors) -> Int {
        let text = source.characters
        var i = start
        while true {
            while i < text.count, Self.continuesIdentifier(text[i]) { i += 1 }
            guard i < text.count, text[i] == "." else { return i - start }
            guard i + 1 < text.count, Self.startsIdentifier(text[i + 1]) else {
                throw InputErrors([
                    source.error(
                        "a path cannot end with `.`", at: SourceSpan(start, i + 1),
                        hint: "paths are names joined by dots, e.g. `water.reserve_days`"
                    )
                ])
            }
            i += 1
        }
    }

    /// The value and length of the number literal starting at `start`.
    private func number(at start: Int) throws(InputErrors) -> (Double, Int) {
        let text = source.characters
        var i = start
        func isDigit(_ offset: Int) -> Bool { offset < text.count && text[offset].isASCII && text[offset].isNumber }
        func digits() {
            while isDigit(i) || (i < text.count && text[i] == "_" && isDigit(i + 1) && isDigit(i - 1)) { i += 1 }
        }
        digits()
        if i < text.count, text[i] == ".", isDigit(i + 1) {
            i += 1
            digits()
        }
        if i < text.count, text[i] == "e" || text[i] == "E" {
            var j = i + 1
            if j < text.count, text[j] == "+" || text[j] == "-" { j += 1 }
            if isDigit(j) {
                i = j
                digits()
            }
        }
        // `3days`, `2_` or `1.5.2`: a malformed number, not a number followed by a name.
        if i < text.count, Self.continuesIdentifier(text[i]) || (text[i] == "." && isDigit(i + 1)) {
            var end = i
            while end < text.count, Self.continuesIdentifier(text[end]) || text[end] == "." { end += 1 }
            throw InputErrors([
                source.error(
                    "`\(String(text[start..<end]))` is not a number", at: SourceSpan(start, end),
                    hint: "numbers are written like `30`, `0.85`, `1e-3` or `2_000`; units come from the paths, not the literals"
                )
            ])
        }
        let literal = String(text[start..<i].filter { $0 != "_" })
        guard let value = Double(literal), value.isFinite else {
            throw InputErrors([source.error("`\(String(text[start..<i]))` is too large a number", at: SourceSpan(start, i))])
        }
        return (value, i - start)
    }
}
