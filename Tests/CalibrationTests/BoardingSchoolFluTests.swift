import Calibration
import Foundation
import Testing

/// The 1978 boarding-school influenza outbreak (BMJ 1978;1:587): boys confined to bed on days 1–14.
enum BoardingSchool {
    static let population = 763.0

    /// (day, boys in bed) from Fixtures/boarding-school-flu-1978/pomp_bsflu.csv (`day;reports`).
    static func data() throws -> (days: [Double], inBed: [Double]) {
        let rows = try fixtureText("boarding-school-flu-1978/pomp_bsflu.csv").split(separator: "\n").dropFirst()
        let pairs = rows.compactMap { row -> (Double, Double)? in
            let fields = row.split(separator: ";")
            guard fields.count == 2, let day = Double(fields[0]), let count = Double(fields[1]) else { return nil }
            return (day, count)
        }
        return (pairs.map(\.0), pairs.map(\.1))
    }

    /// I(t) at whole days 1…`days` of the deterministic SIR model
    ///
    ///     S' = −β·S·I/N,   I' = β·S·I/N − γ·I,   R' = γ·I,   S(0) = 762, I(0) = 1, R(0) = 0,
    ///
    /// integrated by classical RK4 with a fixed step h (h = 0.05 day: RK4's error, O(h⁴), is then below
    /// 10⁻⁴ boys, far under the data's resolution of one boy).
    static func infected(beta: Double, infectiousPeriod: Double, days: Int, step h: Double = 0.05) -> [Double] {
        let gamma = 1 / infectiousPeriod
        let n = population
        var s = n - 1
        var i = 1.0
        let stepsPerDay = Int((1 / h).rounded())
        var result = [Double]()
        result.reserveCapacity(days)
        for _ in 0..<days {
            for _ in 0..<stepsPerDay {
                let (ds1, di1) = (-beta * s * i / n, beta * s * i / n - gamma * i)
                let (s2, i2) = (s + 0.5 * h * ds1, i + 0.5 * h * di1)
                let (ds2, di2) = (-beta * s2 * i2 / n, beta * s2 * i2 / n - gamma * i2)
                let (s3, i3) = (s + 0.5 * h * ds2, i + 0.5 * h * di2)
                let (ds3, di3) = (-beta * s3 * i3 / n, beta * s3 * i3 / n - gamma * i3)
                let (s4, i4) = (s + h * ds3, i + h * di3)
                let (ds4, di4) = (-beta * s4 * i4 / n, beta * s4 * i4 / n - gamma * i4)
                s += h / 6 * (ds1 + 2 * ds2 + 2 * ds3 + ds4)
                i += h / 6 * (di1 + 2 * di2 + 2 * di3 + di4)
            }
            result.append(i)
        }
        return result
    }

    /// The least-squares problem in θ = (β per day, 1/γ days), residuals I(t) − data.
    static func leastSquares(_ inBed: [Double]) -> LeastSquaresProblem {
        LeastSquaresProblem(
            parameterCount: 2, residualCount: inBed.count,
            bounds: ParameterBounds(lower: [0.1, 0.2], upper: [10, 20]),
            residuals: { theta in
                zip(infected(beta: theta[0], infectiousPeriod: theta[1], days: inBed.count), inBed).map { $0 - $1 }
            })
    }
}

@Suite("Calibration of an SIR model to the 1978 boarding-school influenza outbreak")
struct BoardingSchoolFluTests {
    /// Expected (expected_fit.txt): β within 1.60–1.72 per day, 1/γ within 2.1–2.35 days; scipy's
    /// least_squares with an adaptive ODE solver found β = 1.6637, 1/γ = 2.2506 (γ = 0.44434), SSE = 4209.6.
    @Test("Levenberg–Marquardt least squares: β and 1/γ in the published ranges, SSE as scipy's")
    func leastSquares() throws {
        let data = try BoardingSchool.data()
        let fit = LevenbergMarquardt().minimize(BoardingSchool.leastSquares(data.inBed), from: [1.5, 2.0])
        let se = try #require(fit.standardErrors)
        print(
            "SIR least squares: β = \(fit.parameters[0]) ± \(se[0]) /day, 1/γ = \(fit.parameters[1]) ± \(se[1]) days, "
                + "SSE = \(fit.residualSumOfSquares), \(fit.status), \(fit.iterations) iterations")
        #expect(fit.status.isConverged)
        #expect((1.60...1.72).contains(fit.parameters[0]))
        #expect((2.1...2.35).contains(fit.parameters[1]))
        // scipy's optimum to 3 digits (its ODE tolerance 1e-10 and our RK4 agree far better than that).
        #expect(abs(fit.parameters[0] - 1.6637) < 1e-3 && abs(1 / fit.parameters[1] - 0.44434) < 1e-3)
        #expect(abs(fit.residualSumOfSquares - 4209.6) < 0.5)
        // Nelder–Mead on the same sum of squares agrees with LM to 4 digits.
        let problem = BoardingSchool.leastSquares(data.inBed)
        let simplex = NelderMead().minimize(
            { theta in problem.residuals(theta).reduce(0) { $0 + $1 * $1 } }, from: [1.5, 2.0], bounds: problem.bounds)
        #expect(
            abs(simplex.parameters[0] - fit.parameters[0]) < 1e-4
                && abs(simplex.parameters[1] - fit.parameters[1]) < 1e-4)
    }

    /// ABC-SMC with the distance ρ = ‖I(θ) − data‖₂ (deterministic simulator) and a uniform prior
    /// β ∈ [0.5, 4] /day, 1/γ ∈ [1, 5] days. With a deterministic model the ABC posterior is the prior
    /// restricted to {θ : SSE(θ) ≤ ε²}, so the final tolerance decides its width. We stop at the
    /// likelihood-ratio threshold of nonlinear regression's 95 % joint confidence region,
    /// ε² = SSE_min·(1 + p/(m − p)·F_{p, m−p; 0.95}) with p = 2, m = 14, F_{2,12;0.95} = 3.8853
    /// (Beale 1960; Bates & Watts 1988, §6.1.1), so that the posterior matches the fit's own uncertainty.
    /// Expected: the 90 % credible intervals cover Keeling & Rohani's β = 1.66 /day and 1/γ = 2.2 days.
    @Test("ABC-SMC posterior 90 % intervals cover Keeling & Rohani's β = 1.66, 1/γ = 2.2")
    func abcPosterior() throws {
        let data = try BoardingSchool.data()
        let inBed = data.inBed
        let sseMin = 4209.6  // the least-squares test's optimum (and scipy's)
        var abc = ABCSMC()
        abc.particles = 400
        abc.maximumGenerations = 12
        abc.minimumTolerance = (sseMin * (1 + 2.0 / 12.0 * 3.8853)).squareRoot()
        abc.seed = 1978
        abc.threads = 2
        let start = Date()
        let posterior = abc.run(prior: ParameterBounds(lower: [0.5, 1], upper: [4, 5])) { theta, _ in
            let simulated = BoardingSchool.infected(beta: theta[0], infectiousPeriod: theta[1], days: inBed.count)
            return zip(simulated, inBed).reduce(0) { $0 + ($1.0 - $1.1) * ($1.0 - $1.1) }.squareRoot()
        }
        let beta = posterior.credibleInterval(0, level: 0.9)
        let period = posterior.credibleInterval(1, level: 0.9)
        print(
            "ABC-SMC: \(posterior.status), \(posterior.generations.count - 1) generations, tolerances "
                + posterior.generations.map { String(format: "%.1f", $0.tolerance) }.joined(separator: " ")
                + ", \(posterior.simulations) simulations, ESS \(String(format: "%.0f", posterior.effectiveSampleSize)), "
                + "\(String(format: "%.2f", Date().timeIntervalSince(start))) s; "
                + "β mean \(String(format: "%.4f", posterior.mean(0))) 90% [\(String(format: "%.4f", beta.lowerBound)), \(String(format: "%.4f", beta.upperBound))], "
                + "1/γ mean \(String(format: "%.4f", posterior.mean(1))) 90% [\(String(format: "%.4f", period.lowerBound)), \(String(format: "%.4f", period.upperBound))]"
        )
        #expect(posterior.status == .reachedMinimumTolerance)
        #expect(beta.contains(1.66))
        #expect(period.contains(2.2))
        // …and the least-squares optimum, and the intervals are informative (much narrower than the prior).
        #expect(beta.contains(1.6637) && period.contains(2.2506))
        #expect(beta.upperBound - beta.lowerBound < 0.3 && period.upperBound - period.lowerBound < 0.5)
    }

    /// The same seed gives the same posterior at 1 and 3 threads, bit for bit, with a stochastic distance.
    @Test("ABC-SMC is identical for any thread count")
    func threadIndependence() throws {
        let inBed = try BoardingSchool.data().inBed
        var abc = ABCSMC()
        abc.particles = 60
        abc.maximumGenerations = 3
        let distance: @Sendable ([Double], inout SeededGenerator) -> Double = { theta, rng in
            let simulated = BoardingSchool.infected(
                beta: theta[0], infectiousPeriod: theta[1], days: inBed.count, step: 0.25)
            // Observation noise from the proposal's own stream, to exercise the simulator's randomness.
            return zip(simulated, inBed).reduce(0) { $0 + pow($1.0 + 5 * rng.normal() - $1.1, 2) }.squareRoot()
        }
        let prior = ParameterBounds(lower: [0.5, 1], upper: [4, 5])
        abc.threads = 1
        let one = abc.run(prior: prior, distance: distance)
        abc.threads = 3
        let three = abc.run(prior: prior, distance: distance)
        #expect(
            one.particles == three.particles && one.weights == three.weights && one.simulations == three.simulations)
    }

    /// For a deterministic simulator the batch entry point (what a calibration study deals over MPI ranks)
    /// gives the rng-taking one's posterior bit for bit, in batches smaller than N (so proposals outside the
    /// prior occur and are left out of the batches), and the prior sample is one batch of N.
    @Test("ABC-SMC's batch entry point equals the rng-taking one for a deterministic simulator")
    func batchEntryPoint() throws {
        let inBed = try BoardingSchool.data().inBed
        let distance: @Sendable ([Double]) -> Double = { theta in
            let simulated = BoardingSchool.infected(
                beta: theta[0], infectiousPeriod: theta[1], days: inBed.count, step: 0.25)
            return zip(simulated, inBed).reduce(0) { $0 + pow($1.0 - $1.1, 2) }.squareRoot()
        }
        var abc = ABCSMC()
        abc.particles = 40
        abc.maximumGenerations = 3
        abc.batchSize = 16
        abc.threads = 2
        let prior = ParameterBounds(lower: [0.5, 1], upper: [4, 5])
        let reference = abc.run(prior: prior) { theta, _ in distance(theta) }
        var batchSizes: [Int] = []
        let batched = try abc.run(prior: prior) { points in
            batchSizes.append(points.count)
            return points.map(distance)
        }
        #expect(batched.particles == reference.particles && batched.weights == reference.weights)
        #expect(batched.distances == reference.distances && batched.simulations == reference.simulations)
        #expect(batched.generations.map(\.proposals) == reference.generations.map(\.proposals))
        #expect(batchSizes.first == 40 && batchSizes.dropFirst().allSatisfy { $0 <= 16 })
        // Every in-prior proposal of a batch is simulated; `simulations` counts those up to the N-th acceptance.
        #expect(batchSizes.reduce(0, +) >= reference.simulations)
        #expect(batched.simulations < reference.generations.reduce(0) { $0 + $1.proposals })
    }
}
