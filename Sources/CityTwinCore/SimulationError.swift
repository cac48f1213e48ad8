/// Why a simulation cannot be set up or advanced.
public enum SimulationError: Error, Equatable, CustomStringConvertible {
    /// Two modules declare that they write the same field.
    case conflictingWriters(field: FieldKey, first: String, second: String)
    /// A module reads a field that no module writes and the initial state lacks.
    case missingInput(module: String, field: FieldKey)
    /// A module did not create a field it declared it writes.
    case undeclaredField(module: String, field: FieldKey)
    /// The run has already reached the end of its horizon.
    case alreadyFinished
    /// A module wrote a value that is not a finite number (NaN or an infinity): the run stops rather
    /// than forecast it.
    case nonFinite(module: String, field: FieldKey, year: Double, member: Int, element: String, value: Double)
    /// A saved state (``SimulationSnapshot``) does not fit the model it is continued with.
    case incompatibleSnapshot(String)

    public var description: String {
        switch self {
        case .conflictingWriters(let field, let first, let second):
            "modules \(first) and \(second) both write \(field); each field has one writer"
        case .missingInput(let module, let field):
            "module \(module) reads \(field), which no module writes; add the module that provides it"
        case .undeclaredField(let module, let field):
            "module \(module) declares that it writes \(field) but did not create it"
        case .alreadyFinished:
            "the simulation has already reached its end year"
        case .nonFinite(let module, let field, let year, let member, let element, let value):
            "module \(module) wrote \(value) to \(field) (\(element)) in the step from \(year.formatted2) in member \(member); "
                + "the run stops rather than forecast a number that is not finite — check the inputs that drive it "
                + "(capacities near zero, demand far above them, rates outside their ranges)"
        case .incompatibleSnapshot(let reason):
            "cannot continue from the saved state: \(reason)"
        }
    }
}

extension Double {
    /// A decimal year with up to two decimals (2030, 2030.25).
    var formatted2: String {
        self == rounded() ? String(Int(self)) : String((self * 100).rounded() / 100)
    }
}
