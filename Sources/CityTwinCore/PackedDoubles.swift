import Foundation

/// An array of `Double`s encoded exactly and compactly: the IEEE 754 binary64 bit patterns, little-endian,
/// as one base64 string (8 bytes per value, about 10.7 characters in the text; NaN and infinities
/// survive, unlike JSON numbers). What saved states use for matrices and vectors.
public struct PackedDoubles: Codable, Sendable, Hashable {
    public let values: [Double]

    public init(_ values: [Double]) { self.values = values }

    public func encode(to encoder: any Encoder) throws {
        var bytes = [UInt8]()
        bytes.reserveCapacity(values.count * 8)
        for value in values {
            let bits = value.bitPattern.littleEndian
            withUnsafeBytes(of: bits) { bytes.append(contentsOf: $0) }
        }
        var container = encoder.singleValueContainer()
        try container.encode(Data(bytes).base64EncodedString())
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let data = Data(base64Encoded: text), data.count % 8 == 0 else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "not a base64 string of 8-byte floating-point values")
        }
        values = stride(from: 0, to: data.count, by: 8).map { offset in
            var bits: UInt64 = 0
            for k in 0..<8 { bits |= UInt64(data[data.startIndex + offset + k]) << (8 * UInt64(k)) }
            return Double(bitPattern: bits)
        }
    }
}
