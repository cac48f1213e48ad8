/// The units of a TNTP network file's free-flow times and lengths, and their conversion to the model's minutes and
/// kilometres at load.
///
/// A unit is written as an optional positive multiplier and a base unit: `min`, `0.01 h`, `s` for time; `km`,
/// `0.6 km`, `mi`, `m`, `ft` for length. Inside the traffic model every time is in minutes and every length in
/// kilometres, so a link read with free-flow time t (file units) and length ℓ (file units) becomes
///
///     t_min = t · minutesPerTimeUnit,     ℓ_km = ℓ · kilometresPerLengthUnit.
///
/// Conversion factors: 1 h = 60 min, 1 s = 1/60 min; 1 mi = 1.609344 km, 1 ft = 0.0003048 km (international
/// mile and foot, NIST SP 811 appendix B).
public struct NetworkUnits: Sendable, Hashable {
    /// Minutes per time unit of the file (Sioux Falls: 0.01 h = 0.6 min).
    public var minutesPerTimeUnit: Double
    /// Kilometres per length unit of the file.
    public var kilometresPerLengthUnit: Double

    public init(minutesPerTimeUnit: Double = 1, kilometresPerLengthUnit: Double = 1) {
        self.minutesPerTimeUnit = minutesPerTimeUnit
        self.kilometresPerLengthUnit = kilometresPerLengthUnit
    }

    /// Minutes per unit of time units the loader accepts.
    public static let timeUnits: [String: Double] = ["s": 1.0 / 60, "min": 1, "h": 60]
    /// Kilometres per unit of length units the loader accepts.
    public static let lengthUnits: [String: Double] = ["m": 0.001, "km": 1, "ft": 0.000_304_8, "mi": 1.609_344]

    /// Parses `"[multiplier] unit"` against a table of base units; nil with a reason when the text is not of that form.
    public static func parse(_ text: String, units: [String: Double]) -> Result<Double, UnitError> {
        let parts = text.split(separator: " ", omittingEmptySubsequences: true).map(String.init)
        let known = units.keys.sorted().joined(separator: ", ")
        let multiplier: Double
        let name: String
        switch parts.count {
        case 1:
            multiplier = 1
            name = parts[0]
        case 2:
            guard let m = Double(parts[0]), m.isFinite, m > 0 else {
                return .failure(UnitError("`\(parts[0])` is not a positive number; write e.g. `0.01 h` or `0.6 km`"))
            }
            multiplier = m
            name = parts[1]
        default:
            return .failure(UnitError("`\(text)` is not a unit; write an optional positive number and one of \(known)"))
        }
        guard let factor = units[name] else {
            return .failure(UnitError("unknown unit `\(name)`; use one of \(known), optionally after a number"))
        }
        return .success(multiplier * factor)
    }

    /// A unit that could not be read: what is wrong and how to write it.
    public struct UnitError: Error, Sendable, Hashable {
        public let message: String
        public init(_ message: String) { self.message = message }
    }

    /// The link with its free-flow time in minutes and its length in kilometres.
    public func converted(_ link: Link) -> Link {
        var out = link
        out.freeFlowTime = link.freeFlowTime * minutesPerTimeUnit
        out.length = link.length * kilometresPerLengthUnit
        return out
    }

    /// The file with every link converted (capacities, BPR b and power, tolls are unit-free or per vehicle).
    public func converted(_ file: TNTPNetworkFile) -> TNTPNetworkFile {
        var out = file
        out.links = file.links.map(converted)
        return out
    }
}
