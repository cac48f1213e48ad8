public import Calibration
import Forecast
import Foundation
import LinearAlgebra

/// What a calibration found: the estimate, its uncertainty (standard errors and correlations from the
/// least-squares covariance, or the ABC posterior), and the fit.
public struct CalibrationResult: Sendable {
    public let study: CalibrationStudy
    public let estimate: [Double]
    public let status: String
    public let iterations: Int
    public let evaluations: Int
    /// Levenberg–Marquardt's fit (covariance s²(JᵀJ)⁻¹, s² = S/(m − p)).
    public let fit: LeastSquaresFit?
    public let posterior: ABCPosterior?
    /// The model at the estimate, at the observations.
    public let fitted: [Double]

    init(
        study: CalibrationStudy, estimate: [Double], status: String, iterations: Int, evaluations: Int,
        fit: LeastSquaresFit?, posterior: ABCPosterior?
    ) {
        self.study = study
        self.estimate = estimate
        self.status = status
        self.iterations = iterations
        self.evaluations = evaluations
        self.fit = fit
        self.posterior = posterior
        self.fitted = study.modelValues(estimate)
    }

    public var residuals: [Double] { study.objective.residuals(model: fitted) }
    public var sumOfSquares: Double { study.objective.sumOfSquares(model: fitted) }
    public var standardErrors: [Double]? {
        if let fit { return fit.standardErrors }
        guard let posterior else { return nil }
        return estimate.indices.map { i in
            let mean = estimate[i]
            return zip(posterior.particles, posterior.weights).reduce(0) {
                $0 + $1.1 * ($1.0[i] - mean) * ($1.0[i] - mean)
            }.squareRoot()
        }
    }

    /// parameters.csv: one row per parameter.
    public var parametersCSV: String {
        let names = study.evaluator.parameters
        var text: String
        if let posterior {
            let level = study.level
            text =
                "parameter,posterior_mean,posterior_sd,median,lower_\(Int(level * 100)),upper_\(Int(level * 100)),prior_lower,prior_upper\n"
            let sd = standardErrors ?? []
            for (i, parameter) in names.enumerated() {
                let interval = posterior.credibleInterval(i, level: level)
                text +=
                    "\(parameter.name),\(estimate[i]),\(sd[i]),\(posterior.quantile(i, 0.5)),\(interval.lowerBound),\(interval.upperBound),\(parameter.lower),\(parameter.upper)\n"
            }
        } else {
            text = "parameter,estimate,standard_error,lower_95,upper_95,start,lower,upper\n"
            let start = study.start
            for (i, parameter) in names.enumerated() {
                let se = standardErrors?[i]
                let z = 1.959963984540054
                var cells = ["", "", ""]
                if let se { cells = ["\(se)", "\(estimate[i] - z * se)", "\(estimate[i] + z * se)"] }
                text +=
                    "\(parameter.name),\(estimate[i]),\(cells.joined(separator: ",")),\(start[i]),\(parameter.lower),\(parameter.upper)\n"
            }
        }
        return text
    }

    /// correlation.csv (least squares), or nil.
    public var correlationCSV: String? {
        guard let correlation = fit?.correlation else { return nil }
        let names = study.evaluator.parameters.map(\.name)
        var text = "parameter," + names.joined(separator: ",") + "\n"
        for i in names.indices {
            text += names[i] + "," + names.indices.map { "\(correlation[i, $0])" }.joined(separator: ",") + "\n"
        }
        return text
    }

    /// residuals.csv: every observation with the fitted value and the weighted residual.
    public var residualsCSV: String {
        var text = "region,variable,year,observed,sd,fitted,residual\n"
        let r = residuals
        for (i, o) in study.objective.observations.enumerated() {
            text +=
                "\(o.region),\(o.variable),\(ForecastYear.text(o.year)),\(o.value),\(o.standardDeviation.map { "\($0)" } ?? ""),\(fitted[i]),\(r[i])\n"
        }
        return text
    }

    /// posterior.csv (ABC): the particles and their weights.
    public var posteriorCSV: String? {
        guard let posterior else { return nil }
        var text = study.evaluator.parameters.map(\.name).joined(separator: ",") + ",weight,distance\n"
        for (k, particle) in posterior.particles.enumerated() {
            text +=
                particle.map { "\($0)" }.joined(separator: ",") + ",\(posterior.weights[k]),\(posterior.distances[k])\n"
        }
        return text
    }

    /// A summary of the fit as JSON-ready values.
    public var summary: [String: Any] {
        let m = study.objective.observations.count
        let p = estimate.count
        let s = sumOfSquares
        var summary: [String: Any] = [
            "method": study.method.rawValue, "objective": study.objective.kind.rawValue, "status": status,
            "iterations": iterations, "model_runs": evaluations, "observations": m, "parameters": p,
            "sum_of_squares": s,
            "estimate": Dictionary(uniqueKeysWithValues: zip(study.evaluator.parameters.map(\.name), estimate)),
            "r_squared": Dictionary(
                study.objective.rSquared(model: fitted).map { ($0.series, $0.rSquared.map { $0 as Any } ?? NSNull()) },
                uniquingKeysWith: { a, _ in a }),
        ]
        if study.observations.observations.allSatisfy({ $0.standardDeviation != nil }) {
            let logL = study.objective.logLikelihood(model: fitted)
            summary["log_likelihood"] = logL
            summary["aic"] = 2 * Double(p) - 2 * logL
        }
        if let se = standardErrors {
            summary[posterior == nil ? "standard_errors" : "posterior_sd"] = Dictionary(
                uniqueKeysWithValues: zip(study.evaluator.parameters.map(\.name), se))
        }
        if m > p { summary["residual_standard_deviation"] = (s / Double(m - p)).squareRoot() }
        if let posterior {
            summary["abc_tolerances"] = posterior.generations.map(\.tolerance).map {
                $0.isFinite ? $0 as Any : "inf" as Any
            }
            summary["abc_effective_sample_size"] = posterior.effectiveSampleSize
        }
        return summary
    }
}
