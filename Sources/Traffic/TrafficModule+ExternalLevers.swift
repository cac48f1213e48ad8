import CityTwinCore

/// Levers on the traffic that is not the residents' own, so that scenarios, uncertain ensembles and calibration can
/// vary what the model file only estimates:
///
/// - `traffic.external_scale[station …]`: a factor on an external station's daily vehicles (through and
///   external–internal alike; 1 = the counts of `external_stations`), e.g. a new interchange drawing traffic, or the
///   uncertainty of a count that is ASSUMED;
/// - `traffic.truck_share`: the share of the internal trips' vehicles that are trucks.
///
/// Like every traffic lever they act from the next tick after the calibration year.
extension TrafficModule {
    var externalParameterDescriptors: [ParameterDescriptor] {
        let stations = traffic.parameters.externalTraffic.stations.map(\.name)
        var descriptors = [
            ParameterDescriptor(
                path: "traffic.truck_share", unit: "1",
                description: "share of the vehicles on the city's internal trips that are trucks", range: 0...0.9)
        ]
        if !stations.isEmpty {
            descriptors.append(
                ParameterDescriptor(
                    path: "traffic.external_scale", unit: "factor",
                    description: "multiplies the external station's daily vehicles (through and external-internal)",
                    dimension: Dimension("station", stations.count), elementNames: stations, range: 0...10))
        }
        return descriptors
    }

    /// The values of an external lever, or nil when `path` is not one.
    func externalParameterValues(_ path: String) -> [Double]? {
        switch path {
        case "traffic.truck_share": [traffic.parameters.truckShare]
        case "traffic.external_scale": traffic.parameters.externalTraffic.stations.map(\.scale)
        default: nil
        }
    }

    /// Sets an external lever; false when `path` is not one.
    mutating func setExternalParameterValues(_ path: String, _ values: [Double]) -> Bool {
        switch path {
        case "traffic.truck_share": traffic.parameters.truckShare = values[0]
        case "traffic.external_scale":
            for (s, value) in values.enumerated() { traffic.parameters.externalTraffic.setScale(value, ofStation: s) }
        default: return false
        }
        return true
    }
}
