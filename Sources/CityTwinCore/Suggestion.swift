/// "Did you mean …?": the candidate nearest to a misspelt word, if it is near enough. Every loader
/// (scenarios, model tables, parameter sections) suggests with this one rule.
public enum Suggestion {
    /// The closest candidate by edit distance, when at most a third of the word (and at least 1) differs.
    public static func nearest(to word: String, in candidates: some Sequence<String>) -> String? {
        let limit = max(2, word.count / 3)
        var best: (String, Int)?
        for candidate in candidates {
            let d = editDistance(word.lowercased(), candidate.lowercased())
            if d <= limit, d < (best?.1 ?? .max) { best = (candidate, d) }
        }
        return best?.0
    }

    /// A hint sentence, or nil.
    public static func hint(for word: String, in candidates: some Sequence<String>) -> String? {
        let list = Array(candidates)
        if let match = nearest(to: word, in: list) { return "did you mean `\(match)`?" }
        return list.isEmpty ? nil : "expected one of: \(list.sorted().joined(separator: ", "))"
    }

    /// Levenshtein distance (insertions, deletions, substitutions each cost 1).
    static func editDistance(_ a: String, _ b: String) -> Int {
        let (x, y) = (Array(a), Array(b))
        if x.isEmpty { return y.count }
        if y.isEmpty { return x.count }
        var previous = Array(0...y.count)
        var current = previous
        for i in 1...x.count {
            current[0] = i
            for j in 1...y.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x[i - 1] == y[j - 1] ? 0 : 1))
            }
            swap(&previous, &current)
        }
        return previous[y.count]
    }
}
