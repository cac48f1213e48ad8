import CityTwinCore

/// A reference to a model path, with an optional selector: `population.total[zones 10, 11, 15-16]`.
///
/// Without a selector a reference means the path's city-level value; with one, the values of the
/// selected elements (one per element), which only an aggregate (`sum`, `mean`, `min`, `max`) or an
/// assignment target may use when there is more than one.
public struct Reference: Sendable, Hashable, CustomStringConvertible {
    /// The dotted path as written: `population.total`.
    public let path: String
    public let pathSpan: SourceSpan
    public let selector: Selector?
    /// The whole reference, selector included.
    public let span: SourceSpan

    public init(path: String, pathSpan: SourceSpan, selector: Selector?, span: SourceSpan) {
        self.path = path
        self.pathSpan = pathSpan
        self.selector = selector
        self.span = span
    }

    /// Canonical spelling: `population.total[zones 10, 11, 15-16]`.
    public var description: String {
        guard let selector else { return path }
        return "\(path)[\(selector)]"
    }
}

/// Which elements of a dimension a reference selects: a dimension keyword and a list of items.
///
/// The keyword is kept as written (`zone`, `zones`, `links`, `sectors`); the language does not know the
/// model's dimensions, so the resolver decides which keywords it accepts — ``names(_:plural:)`` accepts
/// the singular and plural spellings.
public struct Selector: Sendable, Hashable, CustomStringConvertible {
    public let keyword: String
    public let keywordSpan: SourceSpan
    public let items: [SelectorItem]
    /// From `[` to `]`.
    public let span: SourceSpan

    public init(keyword: String, keywordSpan: SourceSpan, items: [SelectorItem], span: SourceSpan) {
        self.keyword = keyword
        self.keywordSpan = keywordSpan
        self.items = items
        self.span = span
    }

    /// Whether the keyword names a dimension, in its singular or plural form (`zone`/`zones`).
    /// `plural` defaults to the singular with an `s`.
    public func names(_ singular: String, plural: String? = nil) -> Bool {
        keyword == singular || keyword == (plural ?? singular + "s")
    }

    /// `zones 10, 11, 15-16`.
    public var description: String {
        let list = items.map(\.description).joined(separator: ", ")
        return keyword.isEmpty ? list : "\(keyword) \(list)"
    }
}

/// One item of a selector: a whole number, an inclusive range of whole numbers, or a name.
public struct SelectorItem: Sendable, Hashable, CustomStringConvertible {
    public enum Value: Sendable, Hashable {
        /// `10`
        case integer(Int)
        /// `15-16`, inclusive at both ends; `lower <= upper` is checked by the parser.
        case range(ClosedRange<Int>)
        /// `manufacturing`
        case name(String)
    }

    public let value: Value
    public let span: SourceSpan

    public init(_ value: Value, span: SourceSpan) {
        self.value = value
        self.span = span
    }

    /// The integers this item stands for; empty for a name.
    public var integers: ClosedRange<Int>? {
        switch value {
        case .integer(let n): n...n
        case .range(let range): range
        case .name: nil
        }
    }

    public var description: String {
        switch value {
        case .integer(let n): "\(n)"
        case .range(let range): "\(range.lowerBound)-\(range.upperBound)"
        case .name(let name): name
        }
    }
}
