public import Calibration
import CityTwinCore
public import Forecast
import Foundation
import LinearAlgebra
import Population
public import Scenario

/// Sequential data assimilation: a scenario's ensemble run forward, updated by an ensemble Kalman filter
/// at each year with observations.
///
/// Each member is a ``MemberRun`` with its own draws of the scenario's uncertain parameters (as
/// ``EnsembleRunner`` runs them). At an observation year t the members form the augmented ensemble
///
///     xⱼ = [ θⱼ ; p_j ; h(state_j) ]      (one column per member j)
///
/// - θⱼ: the member's values of the scenario's uncertain parameters (parameter estimation by state
///   augmentation: Anderson, Mon. Wea. Rev. 129, 2001; Evensen, Ocean Dynamics 59, 2009);
/// - p_j: residents by zone (when the model has a population), the population module's state;
/// - h(state_j): the member's values of the observed indicators at t, so that the observation operator
///   is a selection of rows (H = [0 0 I]) even though indicators are nonlinear functions of the state.
///
/// The analysis (``EnsembleKalmanFilter``: stochastic with perturbed observations, or the ETKF square
/// root; multiplicative inflation of the analysis anomalies) updates every row; the members then take
/// the analysed θ (clamped to each parameter's range) and their zones' populations: each zone's cohorts
/// (age × sex) are scaled by p_aⱼ/p_fⱼ, keeping its age–sex structure, and `population.by_zone` is set to
/// the new column sums. Other modules' states (the reservoir, the economy) are not updated; they follow
/// from the updated parameters and population from the next tick on. Observation error variances are
/// the files' sd² (required).
///
/// Random numbers: the stochastic filter's perturbations at the k-th analysis come from
/// `SeededGenerator(seed: scenario seed, stream: k)`; members step in parallel but are gathered in
/// member order, so the output does not depend on the thread count.
///
/// Rolling forward: the result carries the members' end state (after the last year's analysis) and the
/// number of analyses made; a later run continues it (`from:`), counting analyses on from there and skipping the
/// observations labelled before its start (the saved run's). Year-by-year runs equal one run over the whole horizon
/// bit for bit, except where the split instant has observations of both kinds: the flows of the saved run's last
/// year are assimilated at its end, the stocks of the new start year by the continuation, in two analyses where one
/// run makes one.
public struct Assimilation: Sendable {
    public let plan: ScenarioPlan
    public let observations: ObservationSet
    public var filter: EnsembleKalmanFilter
    /// Whether residents by zone are part of the updated state.
    public var updatesPopulation: Bool

    public init(
        plan: ScenarioPlan, observations: ObservationSet, filter: EnsembleKalmanFilter, updatesPopulation: Bool = true
    ) {
        self.plan = plan
        self.observations = observations
        self.filter = filter
        self.updatesPopulation = updatesPopulation
    }

    /// Checks what the filter needs: an ensemble and every observation's sd.
    public static func check(plan: ScenarioPlan, observations: ObservationSet) throws {
        var diagnostics = Diagnostics()
        if plan.members < 2 {
            diagnostics.error(
                SourceLocation(file: plan.problem.scenario.file),
                "assimilation needs an ensemble (`ensemble: members:` ≥ 2)")
        }
        for observation in observations.observations where observation.standardDeviation == nil {
            diagnostics.error(
                observation.location, "assimilation needs each observation's `sd` (its error variance is sd²)")
        }
        try diagnostics.throwIfAny()
    }

    /// One analysis: the uncertain parameters' ensemble mean and standard deviation before and after.
    public struct Analysis: Sendable {
        /// The instant of the analysis (1 January of this year: the state between two years).
        public let year: Double
        public let observations: Int
        public let parameters: [(path: String, forecastMean: Double, forecastSD: Double, analysisMean: Double, analysisSD: Double)]
        public let population: (forecastMean: Double, analysisMean: Double)?
    }

    public struct Result: Sendable {
        public let table: ForecastTable
        public let analyses: [Analysis]
        /// The members after the last analysis, for a later continuation (`end-state.json`).
        public let endState: RunEndState

        /// assimilation.csv: year,quantity,forecast_mean,forecast_sd,analysis_mean,analysis_sd.
        public var csv: String {
            var text = "year,quantity,forecast_mean,forecast_sd,analysis_mean,analysis_sd\n"
            for analysis in analyses {
                for p in analysis.parameters {
                    text +=
                        "\(ForecastYear.text(analysis.year)),\(p.path),\(p.forecastMean),\(p.forecastSD),\(p.analysisMean),\(p.analysisSD)\n"
                }
                if let population = analysis.population {
                    text +=
                        "\(ForecastYear.text(analysis.year)),population.total,\(population.forecastMean),,\(population.analysisMean),\n"
                }
            }
            return text
        }
    }

    /// Runs the ensemble to the end year, assimilating at each observation year; with `from` (checked with
    /// ``RunEndState/check(_:)`` first), the members continue that saved state, whose instant was assimilated.
    public func run(threads: Int = 1, from saved: RunEndState? = nil, progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        let problem = plan.problem
        let count = plan.members
        let clock = problem.clock
        let workers = max(1, min(threads, count))
        var members = try (0..<count).map { m in
            if let saved {
                try MemberRun(plan: plan, resuming: saved.members[m], keepsHistory: false, threads: 1)
            } else {
                try MemberRun(plan: plan, member: m, keepsHistory: false, threads: 1)
            }
        }
        let uncertain = problem.scenario.ensemble.uncertain.compactMap { u -> (path: String, slots: Range<Int>)? in
            plan.parameters.index(of: u.path).map { (u.path, plan.parameters.slots(of: $0)) }
        }
        let hasPopulation = updatesPopulation && members[0].simulation.state.contains(PopulationFields.cohorts)
        let zones = problem.model.zones.count
        var collector = ForecastCollector(plan: plan, memberOutput: false, includesLevels: false)
        var analyses: [Analysis] = []
        // Each observation is assimilated at the instant its value is recorded (a flow of year Y at the end
        // of Y, a stock labelled Y on 1 January of Y; YearLabel).
        let observedAt = observations.observations.map { plan.instant(of: $0.slot, labelled: $0.year) ?? .nan }
        func assimilate(at time: Double, index: Int) throws {
            let batch = observations.observations.indices.filter { abs(observedAt[$0] - time) < 1e-6 }
                .map { observations.observations[$0] }
            guard !batch.isEmpty else { return }
            let p = uncertain.count
            let z = hasPopulation ? zones : 0
            let m = batch.count
            let n = p + z + m
            var ensemble = Matrix(rows: n, columns: count)
            var forecastZones = [[Double]](repeating: [], count: count)
            for (j, member) in members.enumerated() {
                for (i, u) in uncertain.enumerated() { ensemble[i, j] = member.parameters[u.slots.lowerBound] }
                if hasPopulation {
                    let byZone = member.simulation.state[PopulationFields.cohorts].columnSums
                    forecastZones[j] = byZone
                    for k in 0..<z { ensemble[p + k, j] = byZone[k] }
                }
                for (k, observation) in batch.enumerated() { ensemble[p + z + k, j] = member.current[observation.slot] }
            }
            let before = ensemble
            var generator = SeededGenerator(seed: problem.scenario.seed, stream: UInt64(index))
            try filter.analyze(
                &ensemble, observations: batch.map(\.value),
                errorVariances: batch.map { $0.standardDeviation! * $0.standardDeviation! },
                operator: .indices(Array((p + z)..<n)), generator: &generator)
            for j in members.indices {
                let updates = uncertain.enumerated().flatMap { i, u in u.slots.map { (slot: $0, value: ensemble[i, j]) }
                }
                let ratios = (0..<z).map { k in
                    forecastZones[j][k] > 0 ? max(ensemble[p + k, j], 0) / forecastZones[j][k] : 1
                }
                try members[j].assimilate(
                    parameters: updates,
                    state: hasPopulation
                        ? { state in
                            state.modify(PopulationFields.cohorts) { cohorts in
                                for k in 0..<z { for a in 0..<cohorts.rows { cohorts[a, k] *= ratios[k] } }
                            }
                            state[PopulationFields.byZone].storage = state[PopulationFields.cohorts].columnSums
                        } : nil)
            }
            func moments(_ matrix: Matrix, _ row: Int) -> (Double, Double) {
                let values = (0..<count).map { matrix[row, $0] }
                let mean = values.reduce(0, +) / Double(count)
                let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(count - 1)
                return (mean, variance.squareRoot())
            }
            let parameterMoments = uncertain.enumerated().map { i, u in
                let (fm, fs) = moments(before, i)
                let after = members.map { $0.parameters[u.slots.lowerBound] }
                let am = after.reduce(0, +) / Double(count)
                let asd = (after.reduce(0) { $0 + ($1 - am) * ($1 - am) } / Double(count - 1)).squareRoot()
                return (path: u.path, forecastMean: fm, forecastSD: fs, analysisMean: am, analysisSD: asd)
            }
            let population: (Double, Double)? =
                hasPopulation
                ? (
                    (0..<count).reduce(0) { s, j in s + forecastZones[j].reduce(0, +) } / Double(count),
                    members.reduce(0) { $0 + $1.simulation.state[PopulationFields.cohorts].columnSums.reduce(0, +) }
                        / Double(count)
                ) : nil
            analyses.append(Analysis(year: time, observations: m, parameters: parameterMoments, population: population))
        }

        var analysisIndex = saved?.analyses ?? 0
        func boundary(_ time: Double) throws {
            if observedAt.contains(where: { abs($0 - time) < 1e-6 }) {
                try assimilate(at: time, index: analysisIndex)
                analysisIndex += 1
            }
            collector.take(members, time: time)
        }
        // A continuation's first instant was the saved run's last: only what that run could not label (the stocks of
        // the new start year) is left to assimilate there.
        try boundary(clock.time(after: 0))
        let ticks = clock.tickCount
        for tick in 1...ticks {
            try EnsembleRunner.step(&members, workers: workers)
            try boundary(clock.time(after: tick))
            progress?(tick, ticks)
        }
        return Result(
            table: ForecastTable(model: problem.model.name, scenario: problem.scenario.name, rows: collector.sortedRows()),
            analyses: analyses, endState: RunEndState(plan: plan, members: members, analyses: analysisIndex))
    }
}
