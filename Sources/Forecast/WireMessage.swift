/// One message between ranks: a few integers (what it is, which members), doubles (values, carried bit
/// for bit, so NaN payloads and signed zeros survive) and an optional text (an error).
///
/// Layout, in host byte order (all ranks of one MPI job run the same binary on the same architecture):
/// three Int64 counts (integers, doubles, text bytes), then the integers, the doubles' bit patterns and
/// the UTF-8 text.
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
        var words: [UInt64] = [UInt64(integers.count), UInt64(doubles.count), UInt64(utf8.count)]
        words.reserveCapacity(3 + integers.count + doubles.count)
        words += integers.map { UInt64(bitPattern: Int64($0)) }
        words += doubles.map(\.bitPattern)
        var result = words.withUnsafeBytes { Array($0) }
        result += utf8
        return result
    }

    /// Reads a message written by ``bytes``.
    /// - Throws: ``WireMessageError`` when the bytes are shorter than their counts say.
    public init(bytes: [UInt8]) throws {
        let wordSize = MemoryLayout<UInt64>.size
        func word(_ index: Int) throws -> UInt64 {
            let start = index * wordSize
            guard start + wordSize <= bytes.count else { throw WireMessageError(byteCount: bytes.count) }
            return bytes.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: start, as: UInt64.self) }
        }
        let counts = try (0..<3).map { Int(try word($0)) }
        let textStart = (3 + counts[0] + counts[1]) * wordSize
        guard textStart + counts[2] == bytes.count else { throw WireMessageError(byteCount: bytes.count) }
        integers = try (0..<counts[0]).map { Int(Int64(bitPattern: try word(3 + $0))) }
        let doubleStart = 3 + counts[0]
        doubles = try (0..<counts[1]).map { Double(bitPattern: try word(doubleStart + $0)) }
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
