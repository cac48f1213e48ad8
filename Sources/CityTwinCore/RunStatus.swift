/// How a simulation run stands: a value, not an exception.
public enum RunStatus: Sendable, Hashable {
    /// Ticks remain.
    case running
    /// The clock reached the end year.
    case finished
}
