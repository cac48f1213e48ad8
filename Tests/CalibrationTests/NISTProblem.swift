import Foundation

/// One NIST StRD nonlinear-regression problem read from its .dat file: data, two starting points, the
/// certified parameters and standard deviations, and the certified residual sum of squares.
///
/// The format (https://www.itl.nist.gov/div898/strd/nls/nls_main.shtml): lines `b1 = start1 start2
/// certified sd` after "Starting values", a line "Residual Sum of Squares: value", and after the last
/// line beginning "Data:" that names the columns (`Data:   y   x`), one observation per line.
struct NISTProblem {
    let name: String
    let x: [Double]
    let y: [Double]
    let starts: [[Double]]
    let certified: [Double]
    let certifiedStandardDeviations: [Double]
    let certifiedResidualSumOfSquares: Double

    init(name: String) throws {
        self.name = name
        let text = try fixtureText("nist-strd/\(name).dat")
        var start1: [Double] = []
        var start2: [Double] = []
        var certified: [Double] = []
        var sds: [Double] = []
        var rss = Double.nan
        var x: [Double] = []
        var y: [Double] = []
        var inData = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\r" }).map(String.init)
            if inData {
                if fields.count == 2, let yv = Double(fields[0]), let xv = Double(fields[1]) {
                    y.append(yv)
                    x.append(xv)
                }
                continue
            }
            if fields.count == 6, fields[0].hasPrefix("b"), fields[1] == "=",
                let s1 = Double(fields[2]), let s2 = Double(fields[3]), let c = Double(fields[4]),
                let sd = Double(fields[5])
            {
                start1.append(s1)
                start2.append(s2)
                certified.append(c)
                sds.append(sd)
            } else if line.hasPrefix("Residual Sum of Squares:"), let value = fields.last.flatMap(Double.init) {
                rss = value
            } else if fields.first == "Data:", fields.count == 3, fields[1] == "y", fields[2] == "x" {
                inData = true
            }
        }
        guard !certified.isEmpty, rss.isFinite, !x.isEmpty else {
            throw NISTParseError(message: "\(name).dat: missing parameters, residual sum of squares or data")
        }
        self.x = x
        self.y = y
        self.starts = [start1, start2]
        self.certified = certified
        self.certifiedStandardDeviations = sds
        self.certifiedResidualSumOfSquares = rss
    }
}

struct NISTParseError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
