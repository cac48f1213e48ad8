/// Gaspari & Cohn's compactly supported fifth-order piecewise rational correlation function
/// ("Construction of correlation functions in two and three dimensions", Q. J. R. Meteorol. Soc. 125,
/// 1999, eq. 4.10), the standard taper for covariance localisation.
///
/// With z = d/c (c the half-width; the support is d < 2c):
///
///     ρ(z) = −¼z⁵ + ½z⁴ + ⅝z³ − ⁵⁄₃z² + 1                       0 ≤ z ≤ 1
///     ρ(z) = ¹⁄₁₂z⁵ − ½z⁴ + ⅝z³ + ⁵⁄₃z² − 5z + 4 − ⅔z⁻¹          1 < z ≤ 2
///     ρ(z) = 0                                                     z > 2
///
/// ρ(0) = 1, ρ is positive definite in up to three dimensions, so a Schur (element-wise) product with
/// a covariance keeps it positive semi-definite (Schur product theorem), and it resembles a Gaussian
/// with length scale c·√(3/10).
public enum GaspariCohn {
    /// ρ(d/c) for distance d ≥ 0 and half-width c > 0.
    public static func correlation(distance d: Double, halfWidth c: Double) -> Double {
        precondition(c > 0, "Gaspari–Cohn half-width must be positive")
        let z = abs(d) / c
        if z >= 2 { return 0 }
        let z2 = z * z
        let z3 = z2 * z
        let z4 = z3 * z
        let z5 = z4 * z
        if z <= 1 { return -0.25 * z5 + 0.5 * z4 + 0.625 * z3 - 5.0 / 3.0 * z2 + 1 }
        return z5 / 12 - 0.5 * z4 + 0.625 * z3 + 5.0 / 3.0 * z2 - 5 * z + 4 - 2.0 / (3 * z)
    }
}

/// Covariance localisation: a Gaspari–Cohn taper with half-width `halfWidth` over distances that the
/// caller defines between state components and observations (grid points, kilometres, network hops).
public struct Localization: Sendable {
    /// c, the Gaspari–Cohn half-width (correlations vanish beyond 2c).
    public let halfWidth: Double
    /// Distance between state component i and observation k.
    public let stateToObservation: @Sendable (Int, Int) -> Double
    /// Distance between observations k and l.
    public let observationToObservation: @Sendable (Int, Int) -> Double

    public init(
        halfWidth: Double, stateToObservation: @escaping @Sendable (Int, Int) -> Double,
        observationToObservation: @escaping @Sendable (Int, Int) -> Double
    ) {
        precondition(halfWidth > 0, "localisation half-width must be positive")
        self.halfWidth = halfWidth
        self.stateToObservation = stateToObservation
        self.observationToObservation = observationToObservation
    }

    /// Localisation on a periodic 1-D grid of `size` points where observation k sits at grid point
    /// `positions[k]` (Lorenz-96's ring): d = the shorter way round.
    public static func periodic(size: Int, observationPositions positions: [Int], halfWidth: Double) -> Localization {
        let ring: @Sendable (Int, Int) -> Double = { a, b in
            let d = abs(a - b) % size
            return Double(min(d, size - d))
        }
        return Localization(
            halfWidth: halfWidth, stateToObservation: { i, k in ring(i, positions[k]) },
            observationToObservation: { k, l in ring(positions[k], positions[l]) })
    }
}
