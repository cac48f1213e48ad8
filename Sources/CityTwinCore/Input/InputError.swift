/// Where in a user's file something is: file, and line and column when known (one-based).
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    public let file: String
    public let line: Int?
    public let column: Int?

    public init(file: String, line: Int? = nil, column: Int? = nil) {
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        if let line = line, line > 0, let column { text += ":\(column)" }
        return text
    }
}

/// A problem in a file a user wrote: where, what, and how to fix it.
public struct InputError: Error, Sendable, Hashable, CustomStringConvertible {
    public let location: SourceLocation
    public let message: String
    /// How to fix it ("did you mean `fertility_scale`?", "rows must sum to 1").
    public let hint: String?
    /// The offending source line(s) with the span underlined (`^~~~`), already indented for display;
    /// nil where the input has no line worth quoting (a missing file, a CSV cell).
    public let excerpt: String?

    public init(_ location: SourceLocation, _ message: String, hint: String? = nil, excerpt: String? = nil) {
        self.location = location
        self.message = message
        self.hint = hint
        self.excerpt = excerpt
    }

    /// What is wrong and how to fix it, before a location is attached.
    public struct Message: Error, Sendable, Hashable {
        public let text: String
        public let hint: String?
        public init(_ text: String, hint: String? = nil) {
            self.text = text
            self.hint = hint
        }
    }

    /// An error at a location from a message.
    public init(_ location: SourceLocation, _ message: Message) {
        self.init(location, message.text, hint: message.hint)
    }

    /// `file:line:column: error: message`, then the excerpt, then the hint, each on its own lines.
    public var description: String {
        var text = "\(location): error: \(message)"
        if let excerpt { text += "\n\(excerpt)" }
        if let hint { text += "\n  hint: \(hint)" }
        return text
    }
}

/// Every problem found in a set of inputs, reported together so a user can fix them in one pass.
public struct InputErrors: Error, Sendable, CustomStringConvertible {
    public let errors: [InputError]

    public init(_ errors: [InputError]) { self.errors = errors }

    public var description: String {
        let summary = errors.count == 1 ? "1 error" : "\(errors.count) errors"
        return (errors.map(\.description) + [summary]).joined(separator: "\n")
    }
}

/// Collects input errors while a loader keeps going, then throws them all at once.
///
/// Every loader of every domain reports through one of these, so that a user sees all the problems of
/// a model (its population files, its economy tables, its network) in one run.
public struct Diagnostics: Sendable {
    public private(set) var errors: [InputError] = []

    public init() {}

    public mutating func error(_ location: SourceLocation, _ message: String, hint: String? = nil, excerpt: String? = nil) {
        errors.append(InputError(location, message, hint: hint, excerpt: excerpt))
    }

    public mutating func error(_ location: SourceLocation, _ message: InputError.Message) {
        errors.append(InputError(location, message))
    }

    public mutating func append(contentsOf other: [InputError]) { errors += other }

    public var isEmpty: Bool { errors.isEmpty }

    /// Throws the collected errors, if any.
    public func throwIfAny() throws {
        if !errors.isEmpty { throw InputErrors(errors) }
    }

    /// Runs a loading step that throws, moving its input errors here so that loading can go on.
    /// Any other error is a bug in a loader, reported at `location` rather than lost.
    public mutating func collect<T>(at location: SourceLocation, _ body: () throws -> T) -> T? {
        do {
            return try body()
        } catch let errors as InputErrors {
            append(contentsOf: errors.errors)
        } catch {
            self.error(location, "\(error)")
        }
        return nil
    }
}

/// A piece of an input file that is parsed later (an expression or assignment), with where it starts.
public struct SourceText: Sendable, Hashable {
    public let text: String
    /// The position of the text's first character in its file.
    public let location: SourceLocation

    public init(_ text: String, at location: SourceLocation) {
        self.text = text
        self.location = location
    }
}
