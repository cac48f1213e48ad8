import Foundation

/// A model y = f(x; b) with its analytic gradient ∂f/∂b, for the NIST StRD problems the tests use.
struct NISTModel: Sendable {
    let value: @Sendable (Double, [Double]) -> Double
    let gradient: @Sendable (Double, [Double]) -> [Double]

    /// The models as the .dat files state them (the formulas in each file's header).
    static func named(_ name: String) -> NISTModel {
        switch name {
        case "Bennett5":  // y = b1 * (b2+x)**(-1/b3)
            return NISTModel(
                value: { x, b in b[0] * pow(b[1] + x, -1 / b[2]) },
                gradient: { x, b in
                    let u = b[1] + x
                    let power = pow(u, -1 / b[2])
                    return [power, -b[0] / b[2] * power / u, b[0] * power * log(u) / (b[2] * b[2])]
                })
        case "BoxBOD", "Misra1a":  // y = b1*(1-exp[-b2*x])
            return NISTModel(
                value: { x, b in b[0] * (1 - exp(-b[1] * x)) },
                gradient: { x, b in
                    let e = exp(-b[1] * x)
                    return [1 - e, b[0] * x * e]
                })
        case "Chwirut2":  // y = exp(-b1*x)/(b2+b3*x)
            return NISTModel(
                value: { x, b in exp(-b[0] * x) / (b[1] + b[2] * x) },
                gradient: { x, b in
                    let e = exp(-b[0] * x)
                    let q = b[1] + b[2] * x
                    return [-x * e / q, -e / (q * q), -x * e / (q * q)]
                })
        case "DanWood":  // y = b1*x**b2
            return NISTModel(
                value: { x, b in b[0] * pow(x, b[1]) },
                gradient: { x, b in
                    let power = pow(x, b[1])
                    return [power, b[0] * power * log(x)]
                })
        case "Eckerle4":  // y = (b1/b2) * exp[-0.5*((x-b3)/b2)**2]
            return NISTModel(
                value: { x, b in
                    let z = (x - b[2]) / b[1]
                    return b[0] / b[1] * exp(-0.5 * z * z)
                },
                gradient: { x, b in
                    let z = (x - b[2]) / b[1]
                    let e = exp(-0.5 * z * z)
                    return [e / b[1], b[0] * e * (z * z - 1) / (b[1] * b[1]), b[0] * e * z / (b[1] * b[1])]
                })
        case "Lanczos3":  // y = b1*exp(-b2*x) + b3*exp(-b4*x) + b5*exp(-b6*x)
            return NISTModel(
                value: { x, b in b[0] * exp(-b[1] * x) + b[2] * exp(-b[3] * x) + b[4] * exp(-b[5] * x) },
                gradient: { x, b in
                    let e = [exp(-b[1] * x), exp(-b[3] * x), exp(-b[5] * x)]
                    return [e[0], -x * b[0] * e[0], e[1], -x * b[2] * e[1], e[2], -x * b[4] * e[2]]
                })
        case "MGH09":  // y = b1*(x**2+x*b2) / (x**2+x*b3+b4)
            return NISTModel(
                value: { x, b in b[0] * (x * x + x * b[1]) / (x * x + x * b[2] + b[3]) },
                gradient: { x, b in
                    let n = x * x + x * b[1]
                    let d = x * x + x * b[2] + b[3]
                    return [n / d, b[0] * x / d, -b[0] * n * x / (d * d), -b[0] * n / (d * d)]
                })
        case "Rat43":  // y = b1 / ((1+exp[b2-b3*x])**(1/b4))
            return NISTModel(
                value: { x, b in b[0] / pow(1 + exp(b[1] - b[2] * x), 1 / b[3]) },
                gradient: { x, b in
                    let e = exp(b[1] - b[2] * x)
                    let u = 1 + e
                    let power = pow(u, -1 / b[3])
                    let common = b[0] * power / (b[3] * u) * e
                    return [power, -common, common * x, b[0] * power * log(u) / (b[3] * b[3])]
                })
        case "Thurber":  // y = (b1 + b2*x + b3*x**2 + b4*x**3) / (1 + b5*x + b6*x**2 + b7*x**3)
            return NISTModel(
                value: { x, b in
                    (b[0] + b[1] * x + b[2] * x * x + b[3] * x * x * x)
                        / (1 + b[4] * x + b[5] * x * x + b[6] * x * x * x)
                },
                gradient: { x, b in
                    let n = b[0] + b[1] * x + b[2] * x * x + b[3] * x * x * x
                    let d = 1 + b[4] * x + b[5] * x * x + b[6] * x * x * x
                    let powers = [1, x, x * x, x * x * x]
                    return powers.map { $0 / d } + powers[1...].map { -n * $0 / (d * d) }
                })
        default:
            preconditionFailure("no model for \(name)")
        }
    }
}
