public import CityTwinCore

/// A stretch of an expression's text: `start..<end`, counted in characters from the start of the text.
///
/// Spans are positions in the text handed to ``ExpressionParser``; ``ExpressionSource`` turns them into
/// absolute file locations and underlined excerpts. A zero-width span (`start == end`) marks a place
/// between characters, such as the end of the text where a `)` was expected.
public struct SourceSpan: Sendable, Hashable {
    public let start: Int
    public let end: Int

    public init(_ start: Int, _ end: Int) {
        precondition(0 <= start && start <= end, "a span runs forwards")
        self.start = start
        self.end = end
    }

    /// The smallest span covering both.
    public func union(_ other: SourceSpan) -> SourceSpan {
        SourceSpan(Swift.min(start, other.start), Swift.max(end, other.end))
    }
}

/// The text of one expression and where it starts in the file, for turning spans into locations and excerpts.
///
/// `origin` is the file, line and column of the text's first character. Later lines of a multi-line
/// text start at column 1 of the following file lines (a YAML block scalar must be handed over with its
/// indentation). An origin without a line means the text is a file of its own: line 1, column 1.
public struct ExpressionSource: Sendable, Hashable {
    public let text: String
    public let origin: SourceLocation
    /// The text as characters, so spans index it directly.
    let characters: [Character]
    /// Offsets at which each line of the text starts.
    private let lineStarts: [Int]

    public init(text: String, origin: SourceLocation) {
        self.text = text
        self.origin = origin
        characters = Array(text)
        var starts = [0]
        for (offset, character) in characters.enumerated() where character.isNewline {
            starts.append(offset + 1)
        }
        lineStarts = starts
    }

    /// The text a span covers.
    public func text(of span: SourceSpan) -> String {
        String(characters[Swift.min(span.start, characters.count)..<Swift.min(span.end, characters.count)])
    }

    /// The line index within the text (0-based) holding an offset.
    private func lineIndex(of offset: Int) -> Int {
        var index = 0
        while index + 1 < lineStarts.count, lineStarts[index + 1] <= offset { index += 1 }
        return index
    }

    /// The absolute file location of an offset.
    public func location(of offset: Int) -> SourceLocation {
        let index = lineIndex(of: offset)
        let columnInLine = offset - lineStarts[index]
        let firstLine = origin.line ?? 1
        let firstColumn = origin.line == nil ? 1 : (origin.column ?? 1)
        return SourceLocation(
            file: origin.file,
            line: firstLine + index,
            column: index == 0 ? firstColumn + columnInLine : 1 + columnInLine
        )
    }

    /// The absolute file location where a span starts.
    public func location(of span: SourceSpan) -> SourceLocation { location(of: span.start) }

    /// The lines of the text touched by the spans, each followed by a line underlining its spans:
    /// `^` under the first character of a span, `~` under the rest. Indented by four spaces.
    ///
    /// A span running past the end of its line is underlined to the end of that line; a zero-width
    /// span gets a single `^`.
    public func excerpt(_ spans: [SourceSpan]) -> String {
        var rows: [String] = []
        let lineIndices = Set(spans.map { lineIndex(of: $0.start) }).sorted()
        for index in lineIndices {
            let start = lineStarts[index]
            var end = index + 1 < lineStarts.count ? lineStarts[index + 1] - 1 : characters.count
            if end > start, characters[end - 1] == "\r" { end -= 1 }
            let line = Array(characters[start..<end])
            var marks = [Character](repeating: " ", count: line.count + 1)
            for span in spans where lineIndex(of: span.start) == index {
                let from = span.start - start
                let to = Swift.max(from + 1, Swift.min(span.end - start, line.count))
                for column in from..<to where column < marks.count {
                    marks[column] = column == from ? "^" : (marks[column] == "^" ? "^" : "~")
                }
            }
            // Keep tabs under tabs so the marks line up however the terminal sets tab stops.
            for (column, character) in line.enumerated() where character == "\t" && marks[column] == " " {
                marks[column] = "\t"
            }
            while marks.last == " " { marks.removeLast() }
            rows.append("    " + String(line))
            rows.append("    " + String(marks))
        }
        return rows.joined(separator: "\n")
    }

    /// An input error located at the first span, quoting and underlining all of them.
    public func error(_ message: String, at spans: SourceSpan..., hint: String? = nil) -> InputError {
        error(message, spans: spans, hint: hint)
    }

    /// An input error located at the first span, quoting and underlining all of them.
    public func error(_ message: String, spans: [SourceSpan], hint: String? = nil) -> InputError {
        precondition(!spans.isEmpty, "an expression error points somewhere")
        return InputError(location(of: spans[0]), message, hint: hint, excerpt: excerpt(spans))
    }
}
