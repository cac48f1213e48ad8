import CityTwinCore

/// Parameters of the traffic model that calibration fits, declared as registry parameters so that `citytwin
/// calibrate` (and scenarios, sensitivity studies, assimilation) can set them like any lever:
///
/// - `traffic.bpr_alpha`, `traffic.bpr_beta`: the BPR volume–delay function of every link,
///   `t = t₀ · (1 + α · (v / c)^β)` (Bureau of Public Roads 1964; ``VolumeDelay``); the network file gives each link
///   its own α (TNTP `b`) and β (`power`) — Sioux Falls: 0.15 and 4 on every link. Setting one replaces it on every
///   link of the file and every candidate; its value reads the file's links' mean (their common value when uniform).
/// - `traffic.deterrence_alpha`, `traffic.deterrence_beta`: the gravity model's combined deterrence
///   `f(c) = c^(−α) · exp(−β c)` on the composite cost c (minutes; Ortúzar & Willumsen 2011, §5.3). A power
///   deterrence reads β = 0, an exponential one α = 0; setting either makes the deterrence combined.
///
/// Like every lever they act from the next tick (the network and settings are rebuilt), after the calibration
/// year, which keeps the model file's values.
extension TrafficModule {
    var calibrationParameterDescriptors: [ParameterDescriptor] {
        [
            ParameterDescriptor(
                path: "traffic.bpr_alpha", unit: "1",
                description: "BPR alpha of every link: t = t0 (1 + alpha (v/c)^beta)", range: 0...10),
            ParameterDescriptor(
                path: "traffic.bpr_beta", unit: "1",
                description: "BPR beta (power) of every link: t = t0 (1 + alpha (v/c)^beta)", range: 0...20),
            ParameterDescriptor(
                path: "traffic.deterrence_alpha", unit: "1",
                description: "gravity deterrence c^(-alpha) exp(-beta c): the power on the composite cost", range: 0...10),
            ParameterDescriptor(
                path: "traffic.deterrence_beta", unit: "1/min",
                description: "gravity deterrence c^(-alpha) exp(-beta c): the exponential rate per minute", range: 0...2),
        ]
    }

    func calibrationParameterValue(_ path: String) -> Double { Self.calibrationParameterValue(path, of: traffic) }

    static func calibrationParameterValue(_ path: String, of traffic: TrafficModel) -> Double {
        let links = traffic.network.links
        let (alpha, beta): (Double, Double) =
            switch traffic.parameters.deterrence {
            case .combined(let alpha, let beta): (alpha, beta)
            case .power(let alpha): (alpha, 0)
            case .exponential(let beta): (0, beta)
            }
        switch path {
        case "traffic.bpr_alpha": return links.isEmpty ? 0 : links.map(\.b).reduce(0, +) / Double(links.count)
        case "traffic.bpr_beta": return links.isEmpty ? 0 : links.map(\.power).reduce(0, +) / Double(links.count)
        case "traffic.deterrence_alpha": return alpha
        case "traffic.deterrence_beta": return beta
        default: preconditionFailure("no traffic parameter \(path)")
        }
    }

    /// `traffic` with one calibration parameter set.
    static func setting(_ path: String, _ value: Double, in traffic: TrafficModel) -> TrafficModel {
        var traffic = traffic
        switch path {
        case "traffic.bpr_alpha":
            for a in traffic.network.links.indices { traffic.network.links[a].b = value }
            for k in traffic.candidateLinks.indices { traffic.candidateLinks[k].b = value }
        case "traffic.bpr_beta":
            for a in traffic.network.links.indices { traffic.network.links[a].power = value }
            for k in traffic.candidateLinks.indices { traffic.candidateLinks[k].power = value }
        case "traffic.deterrence_alpha":
            traffic.parameters.deterrence = .combined(alpha: value, beta: calibrationParameterValue("traffic.deterrence_beta", of: traffic))
        case "traffic.deterrence_beta":
            traffic.parameters.deterrence = .combined(
                alpha: calibrationParameterValue("traffic.deterrence_alpha", of: traffic), beta: value)
        default: preconditionFailure("no traffic parameter \(path)")
        }
        return traffic
    }
}
