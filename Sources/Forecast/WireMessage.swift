/// One message between ranks: a few integers (what it is, which members), doubles (values, carried bit
/// for bit, so NaN payloads and signed zeros survive) and an optional text (an error).
///
/// Layout, in host byte order (all ranks of one MPI job run the same binary on the same architecture):
/// three Int64 counts (integers, doubles, text bytes), then the integers as Int64, the doubles' IEEE 754
/// bytes and the UTF-8 text.
public struct WireMessage: Sendable, Equatable {
    public var integers: [Int]
    public var doubles: [Double]
    public var text: String

    public init(integers: [Int] = [], doubles: [Double] = [], text: String = "") {
        self.integers = integers
        self.doubles = doubles
        self.text = text
    }

    /// The message as bytes.
    public var bytes: [UInt8] {
        let utf8 = Array(text.utf8)
        let header: [Int64] = [Int64(integers.count), Int64(doubles.count), Int64(utf8.count)] + integers.map { Int64($0) }
        var result: [UInt8] = []
        result.reserveCapacity(8 * (header.count + doubles.count) + utf8.count)
        header.withUnsafeBytes { result += $0 }
        doubles.withUnsafeBytes { result += $0 }
        result += utf8
        return result
    }

    /// Reads a message written by ``bytes``.
    /// - Throws: ``WireMessageError`` when the bytes are not as long as their counts say.
    public init(bytes: [UInt8]) throws {
        let wordSize = MemoryLayout<Int64>.size
        guard bytes.count >= 3 * wordSize else { throw WireMessageError(byteCount: bytes.count) }
        let counts = bytes.withUnsafeBytes { raw in
            (0..<3).map { Int(raw.loadUnaligned(fromByteOffset: $0 * wordSize, as: Int64.self)) }
        }
        guard counts.allSatisfy({ $0 >= 0 && $0 <= bytes.count }),
            (3 + counts[0] + counts[1]) * wordSize + counts[2] == bytes.count
        else { throw WireMessageError(byteCount: bytes.count) }
        let doubleStart = (3 + counts[0]) * wordSize
        let textStart = doubleStart + counts[1] * wordSize
        integers = bytes.withUnsafeBytes { raw in
            (0..<counts[0]).map { Int(raw.loadUnaligned(fromByteOffset: (3 + $0) * wordSize, as: Int64.self)) }
        }
        doubles = [Double](unsafeUninitializedCapacity: counts[1]) { buffer, initialized in
            bytes.withUnsafeBytes { raw in
                UnsafeMutableRawBufferPointer(buffer).copyMemory(
                    from: UnsafeRawBufferPointer(rebasing: raw[doubleStart..<textStart]))
            }
            initialized = counts[1]
        }
        text = String(decoding: bytes[textStart...], as: UTF8.self)
    }
}

/// Bytes that are not a ``WireMessage``: a protocol error between ranks (different binaries in one job).
public struct WireMessageError: Error, CustomStringConvertible, Sendable {
    public let byteCount: Int
    public var description: String {
        "a message of \(byteCount) bytes between ranks is not in CityTwin's format; "
            + "every rank must run the same citytwin binary"
    }
}

extension ProcessGroup {
    public func send(_ message: WireMessage, to destination: Int, tag: Int32) throws {
        try send(message.bytes, to: destination, tag: tag)
    }

    public func receiveMessage(from source: Int?, tag: Int32) throws -> (source: Int, message: WireMessage) {
        let (sender, bytes) = try receive(from: source, tag: tag)
        return (sender, try WireMessage(bytes: bytes))
    }
}
