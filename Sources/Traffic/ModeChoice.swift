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
        let modes = Mode.allCases.count
        precondition(time.count == modes && money.count == modes, "one skim per mode")
        let z = trips.rows
        var out = [Matrix](repeating: Matrix(rows: z, columns: z), count: modes)
        var composite = Matrix(rows: z, columns: z)
        var g = [Double](repeating: 0, count: modes)
        for j in 0..<z {
            for i in 0..<z {
                for m in 0..<modes { g[m] = time[m][i, j] + 60 * money[m][i, j] / parameters.valueOfTime }
                composite[i, j] = compositeCost(generalizedCosts: g, parameters: parameters)
                let p = shares(generalizedCosts: g, parameters: parameters)
                for m in 0..<modes { out[m][i, j] = trips[i, j] * p[m] }
            }
        }
        return ModeSplit(trips: out, compositeCost: composite)
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
