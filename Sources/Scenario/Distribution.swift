public import CityTwinCore
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A probability distribution for an uncertain parameter of an ensemble.
///
/// Written in a scenario as `normal(1.0, 0.05)`, `lognormal(0, 0.1)` (parameters of the logarithm),
/// `uniform(0.01, 0.04)`, `triangular(0.9, 1.0, 1.2)` (low, mode, high) or
/// `discrete(0.9 @ 0.25, 1.0 @ 0.5, 1.1 @ 0.25)` (value @ probability, probabilities summing to one;
/// `@` rather than `:` so that YAML reads the whole as one plain value).
public enum Distribution: Sendable, Hashable, CustomStringConvertible {
    case normal(mean: Double, sd: Double)
    case lognormal(mu: Double, sigma: Double)
    case uniform(low: Double, high: Double)
    case triangular(low: Double, mode: Double, high: Double)
    case discrete(values: [Double], probabilities: [Double])

    /// One draw.
    ///
    /// Triangular draws invert its CDF: with F_c = (c − a)/(b − a), u < F_c gives a + √(u (b − a)(c − a)),
    /// otherwise b − √((1 − u)(b − a)(b − c)).
    public func sample(_ random: inout RandomStream) -> Double {
        switch self {
        case .normal(let mean, let sd): return random.normal(mean: mean, sd: sd)
        case .lognormal(let mu, let sigma): return exp(random.normal(mean: mu, sd: sigma))
        case .uniform(let low, let high): return low + (high - low) * random.uniform()
        case .triangular(let a, let c, let b):
            let u = random.uniform()
            let fc = (c - a) / (b - a)
            return u < fc ? a + (u * (b - a) * (c - a)).squareRoot() : b - ((1 - u) * (b - a) * (b - c)).squareRoot()
        case .discrete(let values, let probabilities):
            let u = random.uniform()
            var cumulative = 0.0
            for (value, p) in zip(values, probabilities) {
                cumulative += p
                if u < cumulative { return value }
            }
            return values[values.count - 1]
        }
    }

    /// The mean, for reports and tests.
    public var mean: Double {
        switch self {
        case .normal(let mean, _): return mean
        case .lognormal(let mu, let sigma): return exp(mu + sigma * sigma / 2)
        case .uniform(let low, let high): return (low + high) / 2
        case .triangular(let a, let c, let b): return (a + b + c) / 3
        case .discrete(let values, let probabilities): return zip(values, probabilities).map(*).reduce(0, +)
        }
    }

    public var description: String {
        switch self {
        case .normal(let m, let s): "normal(\(m), \(s))"
        case .lognormal(let m, let s): "lognormal(\(m), \(s))"
        case .uniform(let a, let b): "uniform(\(a), \(b))"
        case .triangular(let a, let c, let b): "triangular(\(a), \(c), \(b))"
        case .discrete(let v, let p): "discrete(" + zip(v, p).map { "\($0) @ \($1)" }.joined(separator: ", ") + ")"
        }
    }

    static let names = ["normal", "lognormal", "uniform", "triangular", "discrete"]

    /// Parses a distribution; the error message says what is wrong (the caller adds the location).
    static func parse(_ text: String) -> Result<Distribution, InputError.Message> {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard let open = trimmed.firstIndex(of: "("), trimmed.hasSuffix(")") else {
            return .failure(.init("`\(text)` is not a distribution", hint: "write e.g. normal(1.0, 0.05) or uniform(0.01, 0.04)"))
        }
        let name = String(trimmed[..<open]).trimmingCharacters(in: .whitespaces)
        let inner = trimmed[trimmed.index(after: open)..<trimmed.index(before: trimmed.endIndex)]
        let arguments = inner.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        func numbers(_ count: Int) -> [Double]? {
            // Finite numbers of a size a parameter can have: NaN, infinities and 1e300 are refused.
            let values = arguments.compactMap { CSVTable.parseNumber($0) }.filter { abs($0) <= 1e15 }
            return values.count == count && arguments.count == count ? values : nil
        }
        let usage: [String: String] = [
            "normal": "normal(mean, sd)", "lognormal": "lognormal(mu, sigma) of the logarithm", "uniform": "uniform(low, high)",
            "triangular": "triangular(low, mode, high)", "discrete": "discrete(value @ probability, …)",
        ]
        func bad(_ why: String) -> Result<Distribution, InputError.Message> {
            .failure(.init("\(why) in `\(text)`", hint: "write \(usage[name] ?? name)"))
        }
        switch name {
        case "normal":
            guard let v = numbers(2) else { return bad("normal takes two numbers") }
            return v[1] >= 0 ? .success(.normal(mean: v[0], sd: v[1])) : bad("the standard deviation is negative")
        case "lognormal":
            guard let v = numbers(2) else { return bad("lognormal takes two numbers") }
            guard abs(v[0]) <= 100, (0...5).contains(v[1]) else { return bad("lognormal needs |mu| ≤ 100 and 0 ≤ sigma ≤ 5") }
            return .success(.lognormal(mu: v[0], sigma: v[1]))
        case "uniform":
            guard let v = numbers(2) else { return bad("uniform takes two numbers") }
            return v[0] < v[1] ? .success(.uniform(low: v[0], high: v[1])) : bad("low must be below high")
        case "triangular":
            guard let v = numbers(3) else { return bad("triangular takes three numbers") }
            return v[0] <= v[1] && v[1] <= v[2] && v[0] < v[2]
                ? .success(.triangular(low: v[0], mode: v[1], high: v[2])) : bad("need low ≤ mode ≤ high, low < high")
        case "discrete":
            var values: [Double] = [], probabilities: [Double] = []
            for argument in arguments {
                let pair = argument.split(separator: "@").map { $0.trimmingCharacters(in: .whitespaces) }
                guard pair.count == 2, let v = CSVTable.parseNumber(pair[0]), let p = CSVTable.parseNumber(pair[1]), p >= 0,
                    abs(v) <= 1e15
                else {
                    return bad("`\(argument)` is not `value @ probability`")
                }
                values.append(v)
                probabilities.append(p)
            }
            guard !values.isEmpty, abs(probabilities.reduce(0, +) - 1) < 1e-9 else {
                return bad("the probabilities must sum to 1")
            }
            return .success(.discrete(values: values, probabilities: probabilities))
        default:
            return .failure(.init("unknown distribution `\(name)`", hint: Suggestion.hint(for: name, in: names)))
        }
    }
}
