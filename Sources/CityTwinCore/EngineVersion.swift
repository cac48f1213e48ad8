/// The engine's version, recorded in every run's manifest.
public enum EngineVersion {
    public static let current = "0.2.0"
}
