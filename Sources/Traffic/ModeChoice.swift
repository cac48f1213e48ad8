import Foundation
public import LinearAlgebra

/// The modes of the mode-choice model.
public enum Mode: Int, Sendable, Hashable, CaseIterable {
    case car = 0
    case transit = 1
    case active = 2
}

/// Multinomial-logit coefficients.
///
/// Generalized cost of mode m for an OD pair, in minutes: `g_m = time_m + 60 · money_m / valueOfTime` (value of time in
/// money per hour). Utility `V_m = constant_m + timeCoefficient · g_m` (timeCoefficient < 0, per minute). Defaults are
/// illustrative (a value of time of 15 per hour; −0.05 per minute is within the usual 0.02–0.1 range for urban trips,
/// Ortúzar & Willumsen §7.6) and meant to be calibrated.
public struct ModeChoiceParameters: Sendable, Hashable {
    public var valueOfTime: Double
    public var timeCoefficient: Double
    /// Alternative-specific constants indexed by ``Mode/rawValue`` (car is the reference, 0).
    public var constants: [Double]

    public init(valueOfTime: Double = 15, timeCoefficient: Double = -0.05, constants: [Double] = [0, -1.5, -1]) {
        precondition(constants.count == Mode.allCases.count, "one constant per mode")
        self.valueOfTime = valueOfTime
        self.timeCoefficient = timeCoefficient
        self.constants = constants
    }
}

/// Trips by mode and the composite cost that feeds back to distribution.
public struct ModeSplit: Sendable {
    /// `trips[m]` for each ``Mode`` (indexed by raw value).
    public var trips: [Matrix]
    /// Logsum composite cost in generalized minutes: `ln(Σ_m e^{V_m}) / timeCoefficient`
    /// (the expected maximum utility, Ben-Akiva & Lerman 1985 §5.9, expressed in minutes); `.infinity` when no mode
    /// is available.
    public var compositeCost: Matrix
}

/// Multinomial-logit mode choice (McFadden 1974):
///
///     P_m = e^{V_m} / Σ_k e^{V_k}
///
/// computed as e^{V_m − max V} so large utilities do not overflow. A mode with infinite time or money is unavailable
/// (P = 0). Shares sum to one wherever any mode is available; with none, the OD pair's trips are left unassigned and
/// reported by the caller.
/// - Complexity: O(M) per OD pair.
public enum ModeChoice {
    /// Choice probabilities for one OD pair from its generalized costs (minutes, `.infinity` = unavailable).
    public static func shares(generalizedCosts: [Double], parameters: ModeChoiceParameters) -> [Double] {
        let v = zip(generalizedCosts, parameters.constants).map { g, asc in
            g.isFinite ? asc + parameters.timeCoefficient * g : -Double.infinity
        }
        guard let top = v.max(), top > -.infinity else { return [Double](repeating: 0, count: v.count) }
        let e = v.map { exp($0 - top) }
        let sum = e.reduce(0, +)
        return e.map { $0 / sum }
    }

    /// Splits `trips` by mode given each mode's time and money skims (minutes and money; `time[m]`, `money[m]`).
    public static func split(
        trips: Matrix, time: [Matrix], money: [Matrix], parameters: ModeChoiceParameters
    ) -> ModeSplit {
        let choice = probabilities(time: time, money: money, parameters: parameters)
        return split(trips: trips, shares: choice.shares, compositeCost: choice.compositeCost)
    }

    /// Splits `trips` by mode with probabilities already computed by ``probabilities(time:money:parameters:)``.
    public static func split(trips: Matrix, shares: [Matrix], compositeCost: Matrix) -> ModeSplit {
        let out = shares.map { share in
            var modeTrips = share
            let counts = trips.storage, probability = share.storage
            for k in 0..<counts.count { modeTrips.storage[k] = counts[k] * probability[k] }
            return modeTrips
        }
        return ModeSplit(trips: out, compositeCost: compositeCost)
    }

    /// The choice probabilities of every mode (`shares[m]`, zones × zones) and the logsum composite cost, from one
    /// evaluation of the utilities per origin–destination pair: both depend on the skims only, not on the trips.
    ///
    /// The same arithmetic as ``shares(generalizedCosts:parameters:)`` and
    /// ``compositeCost(generalizedCosts:parameters:)`` in the same order (so the results are identical), without
    /// allocating per pair: the exponentials e^{V_m − max V} are computed once and serve both.
    public static func probabilities(
        time: [Matrix], money: [Matrix], parameters: ModeChoiceParameters
    ) -> (shares: [Matrix], compositeCost: Matrix) {
        let modes = Mode.allCases.count
        precondition(time.count == modes && money.count == modes, "one skim per mode")
        let rows = time[0].rows, columns = time[0].columns
        var shares = [Matrix](repeating: Matrix(rows: rows, columns: columns), count: modes)
        var composite = Matrix(rows: rows, columns: columns)
        let constants = parameters.constants, beta = parameters.timeCoefficient, valueOfTime = parameters.valueOfTime
        let times = time.map(\.storage), monies = money.map(\.storage)
        var v = [Double](repeating: 0, count: modes)
        for k in 0..<composite.storage.count {
            var top = -Double.infinity
            for m in 0..<modes {
                let g = times[m][k] + 60 * monies[m][k] / valueOfTime
                v[m] = g.isFinite ? constants[m] + beta * g : -Double.infinity
                top = max(top, v[m])
            }
            guard top > -.infinity else {
                composite.storage[k] = .infinity
                continue
            }
            var sum = 0.0
            for m in 0..<modes {
                v[m] = exp(v[m] - top)
                sum += v[m]
            }
            composite.storage[k] = (top + log(sum)) / beta
            for m in 0..<modes { shares[m].storage[k] = v[m] / sum }
        }
        return (shares, composite)
    }

    /// `ln(Σ_m e^{V_m}) / timeCoefficient`, minutes.
    public static func compositeCost(generalizedCosts: [Double], parameters: ModeChoiceParameters) -> Double {
        let v = zip(generalizedCosts, parameters.constants).map { g, asc in
            g.isFinite ? asc + parameters.timeCoefficient * g : -Double.infinity
        }
        guard let top = v.max(), top > -.infinity else { return .infinity }
        let logsum = top + log(v.map { exp($0 - top) }.reduce(0, +))
        return logsum / parameters.timeCoefficient
    }
}
