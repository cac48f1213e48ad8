import CityTwinCore
import Foundation
import LinearAlgebra

/// Reads a fixture CSV copied from ../shared/data (see Fixtures/SOURCE.md).
func fixture(_ name: String) throws -> CSVTable {
    guard let url = Bundle.module.url(forResource: name, withExtension: "csv", subdirectory: "Fixtures") else {
        throw InputErrors([InputError(SourceLocation(file: name), "fixture not found")])
    }
    return try CSVTable(text: String(contentsOf: url, encoding: .utf8), file: name)
}

/// A square labelled matrix fixture (first column = row names) as a Matrix.
func labelledMatrix(_ table: CSVTable) throws -> Matrix {
    let names = Array(table.header.dropFirst())
    return Matrix(try table.rows.indices.map { r in try names.map { try table.double(r, $0) } })
}
