/// A module that keeps values from one tick to the next outside the ``CityState`` — a base-year reading
/// taken on its first step, say — and can hand them over so that a run continued from a saved state
/// (``SimulationSnapshot``) steps exactly as the uninterrupted run would have.
///
/// A module whose every carried quantity is a field of the state needs nothing more. One that keeps
/// values elsewhere without adopting this protocol continues from a snapshot as if those values were
/// fresh (``SimulationSnapshot`` lists which modules it saved memory for).
public protocol ModuleMemory: SimulationModule {
    /// The carried values, by name; empty when the module has not yet taken them.
    var memory: [String: [Double]] { get }
    /// Puts back values that ``memory`` returned in an earlier run of the same model.
    /// - Throws: ``SimulationError/incompatibleSnapshot(_:)`` when a value has the wrong length.
    mutating func restore(memory: [String: [Double]]) throws
}
