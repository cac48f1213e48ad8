/// Why a traffic computation could not be done with the data it was given.
///
/// Errors in *files* are ``TNTPError`` (they carry a file and a line); this type covers data handed over in memory:
/// a network whose generalized costs would be negative, a demand matrix of the wrong shape, an origin–destination
/// pair with demand but no path, a gravity problem whose margins cannot be met. Each message says what to fix.
public enum TrafficError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The network cannot be used as given (the message names the link).
    case invalidNetwork(String)
    /// The demand does not fit the network (wrong shape, negative or non-finite entries).
    case invalidDemand(String)
    /// Demand from `origin` to `destination` (1-based zone numbers) has no path in the network.
    case unreachable(origin: Int, destination: Int, demand: Double)
    /// A distribution or choice model has no solution for the data (the message says why).
    case infeasible(String)
    /// A warm start does not satisfy flow conservation for this demand.
    case invalidWarmStart(String)

    public var description: String {
        switch self {
        case .invalidNetwork(let m): "invalid network: \(m)"
        case .invalidDemand(let m): "invalid demand: \(m)"
        case .unreachable(let o, let d, let v):
            "zone \(d) cannot be reached from zone \(o), which sends it \(v) trips; check closed links and <FIRST THRU NODE>"
        case .infeasible(let m): "no solution: \(m)"
        case .invalidWarmStart(let m): "invalid warm start: \(m)"
        }
    }
}

/// A malformed TNTP file: the file, the 1-based line (0 when the problem concerns the whole file) and what is wrong.
public struct TNTPError: Error, Sendable, Equatable, CustomStringConvertible {
    public let file: String
    public let line: Int
    public let message: String

    public init(file: String, line: Int, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "\(file):\(line): \(message)" : "\(file): \(message)" }
}
