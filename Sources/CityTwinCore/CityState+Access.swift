/// The fields one module may touch while it initializes, steps or reports: it reads what it declared in
/// `reads` or `writes`, and writes (or adds) only what it declared in `writes`.
///
/// `Simulation` sets this on the state around every call into a module, so an undeclared read or write
/// is refused at the access — the schedule is built from the declarations, and a read the schedule does
/// not know about could see a value from the wrong tick. Violating it is a bug in the module, so it
/// traps with the module's and the field's names (like an index out of range). Outside a simulation
/// (tests, tools) the state has no access scope and every field is open.
struct FieldAccess: Sendable {
    let module: String
    let readable: Set<FieldKey>
    let writable: Set<FieldKey>

    init(_ module: any SimulationModule) {
        self.module = module.name
        self.writable = module.writes
        self.readable = module.reads.union(module.writes)
    }
}

extension CityState {
    @inline(__always)
    func checkRead(_ key: FieldKey) {
        if let access, !access.readable.contains(key) {
            preconditionFailure(
                "module \(access.module) read \(key), which it does not declare in `reads`; declare it so the schedule orders \(access.module) after its writer"
            )
        }
    }

    @inline(__always)
    func checkWrite(_ key: FieldKey) {
        if let access, !access.writable.contains(key) {
            preconditionFailure("module \(access.module) wrote \(key), which it does not declare in `writes`")
        }
    }
}
