public import CityTwinCore
public import Foundation
import Scenario

/// The sample city (models/sioux-falls), loaded through `CityModelLoader`: the same path as the command line.
public enum SampleCityFixture {
    /// The model folder.
    public static let folder: URL = Repository.url("models/sioux-falls")

    /// Reads and validates the whole model (every domain section) as `citytwin run` does.
    public static func load() throws -> CityModel {
        try CityModelLoader.load(folder.path)
    }
}
