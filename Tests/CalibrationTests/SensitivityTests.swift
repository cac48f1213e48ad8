import Calibration
import Foundation
import Testing

/// Ishigami & Homma's function (Proc. ISUMA 1990), Xᵢ ~ U(−π, π):
/// f = sin X₁ + a·sin² X₂ + b·X₃⁴·sin X₁, with a = 7, b = 0.1 here.
@Sendable func ishigami(_ x: [Double]) -> Double {
    sin(x[0]) + 7 * pow(sin(x[1]), 2) + 0.1 * pow(x[2], 4) * sin(x[0])
}

let ishigamiBounds = ParameterBounds(
    lower: [-Double.pi, -Double.pi, -Double.pi], upper: [Double.pi, Double.pi, Double.pi])

@Suite("Global sensitivity: Sobol sequence, Sobol indices, Morris screening")
struct SensitivityTests {
    /// Each coordinate of the first 2ᵏ Sobol points (origin included) is a permutation of {j/2ᵏ}: the
    /// sequence is a (0, k, 1)-net in every one-dimensional projection (Sobol' 1967). Checked for all 21
    /// dimensions and k = 1…10, so a mistyped direction number (an even mⱼ or mⱼ ≥ 2ʲ) fails here.
    @Test("one-dimensional stratification of the first 2^k points in every dimension")
    func stratification() {
        var sequence = SobolSequence(dimensions: SobolSequence.maximumDimensions, skipFirst: false)
        let points = (0..<1024).map { _ in sequence.next() }
        for k in 1...10 {
            let count = 1 << k
            for d in 0..<SobolSequence.maximumDimensions {
                let cells = Set(points[0..<count].map { Int($0[d] * Double(count)) })
                #expect(cells.count == count, "dimension \(d + 1), 2^\(k) points")
            }
        }
        // The well-known opening of the unscrambled sequence in three dimensions.
        var three = SobolSequence(dimensions: 3, skipFirst: false)
        let opening = (0..<5).map { _ in three.next() }
        #expect(
            opening == [[0, 0, 0], [0.5, 0.5, 0.5], [0.75, 0.25, 0.25], [0.25, 0.75, 0.75], [0.375, 0.375, 0.625]])
    }

    /// Analytic indices (Ishigami & Homma 1990; Sobol' & Levitan 1999): S₁ 0.3139, S₂ 0.4424, S₃ 0;
    /// S_T1 0.5576, S_T2 0.4424, S_T3 0.2437. With N = 2¹³ Sobol base points (N·(d + 2) = 40 960 runs)
    /// each estimate must lie within 0.02 of the analytic value (the Saltelli/Jansen estimators' error at
    /// this N is ~0.005; 0.02 leaves room for the design) and each analytic value inside its 95 % bootstrap
    /// interval (300 resamples).
    @Test("Ishigami: Saltelli–Jansen estimates within 0.02 and analytic values inside the bootstrap intervals")
    func ishigamiIndices() {
        var analysis = SobolSensitivity()
        analysis.baseSamples = 8192
        analysis.bootstrapResamples = 300
        analysis.threads = 2
        let indices = analysis.analyze(ishigami, over: ishigamiBounds)
        let first = [0.3139, 0.4424, 0.0]
        let total = [0.5576, 0.4424, 0.2437]
        for i in 0..<3 {
            print(
                String(
                    format: "Ishigami X%d: S1 %.4f [%.4f, %.4f] (analytic %.4f), ST %.4f [%.4f, %.4f] (analytic %.4f)",
                    i + 1, indices.firstOrder[i], indices.firstOrderInterval[i].lowerBound,
                    indices.firstOrderInterval[i].upperBound,
                    first[i], indices.total[i], indices.totalInterval[i].lowerBound,
                    indices.totalInterval[i].upperBound, total[i]))
            #expect(abs(indices.firstOrder[i] - first[i]) < 0.02)
            #expect(abs(indices.total[i] - total[i]) < 0.02)
            #expect(indices.firstOrderInterval[i].contains(first[i]))
            #expect(indices.totalInterval[i].contains(total[i]))
        }
        #expect(indices.evaluations == 8192 * 5)
    }

    /// Plain seeded Monte Carlo has larger error at the same N; with N = 2¹³ the analytic values
    /// (the same N as above, to keep the test quick) the analytic values still lie inside the bootstrap
    /// intervals, and the estimates are within 0.05.
    @Test("Ishigami with Monte Carlo sampling")
    func ishigamiMonteCarlo() {
        var analysis = SobolSensitivity()
        analysis.baseSamples = 8192
        analysis.design = .monteCarlo(seed: 7)
        analysis.bootstrapResamples = 200
        let indices = analysis.analyze(ishigami, over: ishigamiBounds)
        print("Ishigami Monte Carlo: S1 \(indices.firstOrder), ST \(indices.total)")
        let first = [0.3139, 0.4424, 0.0]
        let total = [0.5576, 0.4424, 0.2437]
        for i in 0..<3 {
            #expect(abs(indices.firstOrder[i] - first[i]) < 0.05 && abs(indices.total[i] - total[i]) < 0.05)
            #expect(indices.firstOrderInterval[i].contains(first[i]) && indices.totalInterval[i].contains(total[i]))
        }
    }

    /// For f = Σ cᵢxᵢ every elementary effect of xᵢ is cᵢ·(rangeᵢ) in unit-cube units: μ = μ* = |cᵢ|·rangeᵢ
    /// for positive cᵢ, σ = 0 (to rounding), and an input the model ignores has μ* = σ = 0 exactly.
    @Test("Morris: exact elementary effects for a linear model and a dummy input")
    func morrisLinear() {
        let bounds = ParameterBounds(lower: [0, -1, 10, 0], upper: [1, 1, 20, 5])
        let c = [3.0, -2.0, 0.5, 0]
        var screening = MorrisScreening()
        screening.trajectories = 20
        screening.threads = 2
        let measures = screening.analyze({ x in zip(c, x).reduce(0) { $0 + $1.0 * $1.1 } }, over: bounds)
        let ranges = [1.0, 2, 10, 5]
        for i in 0..<4 {
            #expect(abs(measures.mean[i] - c[i] * ranges[i]) < 1e-9)
            #expect(abs(measures.meanAbsolute[i] - abs(c[i]) * ranges[i]) < 1e-9)
            #expect(measures.standardDeviation[i] < 1e-9)
        }
        #expect(measures.meanAbsolute[3] == 0)
        #expect(measures.evaluations == 20 * 5)
    }

    /// On Ishigami, X₃ has no first-order effect (S₃ = 0) but acts through its interaction with X₁, which
    /// Morris sees: μ*₃ > 0 with σ₃ > μ*₃/2, while for X₂ (additive, S₂ = S_T2) μ₂ ≈ 0 by symmetry yet
    /// μ*₂ is large — the reason μ* replaced μ (Campolongo et al. 2007).
    @Test("Morris on Ishigami: interaction of X3 detected, μ* ranks X1 and X2 above X3")
    func morrisIshigami() {
        var screening = MorrisScreening()
        screening.trajectories = 100
        let measures = screening.analyze(ishigami, over: ishigamiBounds)
        print("Morris Ishigami μ* \(measures.meanAbsolute), μ \(measures.mean), σ \(measures.standardDeviation)")
        #expect(measures.meanAbsolute[2] > 0 && measures.standardDeviation[2] > measures.meanAbsolute[2] / 2)
        #expect(measures.meanAbsolute[1] > 5 * abs(measures.mean[1]))
        #expect(
            measures.meanAbsolute[0] > measures.meanAbsolute[2] && measures.meanAbsolute[1] > measures.meanAbsolute[2])
        // Same seed, any thread count: identical measures.
        screening.threads = 3
        let again = screening.analyze(ishigami, over: ishigamiBounds)
        #expect(again.meanAbsolute == measures.meanAbsolute && again.standardDeviation == measures.standardDeviation)
    }
}

@Suite("Sobol indices of a constant output")
struct ConstantOutputSobolTests {
    @Test func aConstantOutputGivesUndefinedIndicesNotATrap() throws {
        var sobol = SobolSensitivity()
        sobol.baseSamples = 8
        sobol.bootstrapResamples = 20
        let indices = sobol.analyze({ _ in 3.0 }, over: ParameterBounds(lower: [0, 0], upper: [1, 1]))
        #expect(indices.outputVariance == 0)
        #expect(indices.firstOrder.allSatisfy(\.isNaN) && indices.total.allSatisfy(\.isNaN))
        #expect(indices.totalInterval.allSatisfy { $0.lowerBound == -.infinity && $0.upperBound == .infinity })
    }
}
