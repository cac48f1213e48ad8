/// The fields that cross domains: declared once, with their unit and shape, where every domain sees them.
///
/// A domain writes a shared field under one of these keys and another reads it; nobody retypes the
/// path. Fields a domain keeps to itself stay in the domain (`EconomyModule.income`, …).
///
/// | key | shape | unit | written by |
/// |---|---|---|---|
/// | `population.by_zone` | 1 × Z | persons | population |
/// | `economy.output` | S × 1 | currency units per year | economy |
/// | `economy.jobs_by_sector_zone` | S × Z | jobs | economy |
/// | `economy.jobs_by_zone` | 1 × Z | jobs | economy |
/// | `traffic.vkt` | any (its sum is the city's total) | vehicle-km per year | traffic |
///
/// Optional couplings go through one mechanism: a domain's section says which shared fields its
/// modules write (``DomainSection/provides``); when modules are built, each learns which shared fields
/// the run provides (``ModuleAssembly/available``) and reads those, falling back to its own figures for
/// the rest. Its declared reads are then exactly what it reads, and the schedule orders it after the
/// writers.
public enum SharedFields {
    /// Residents by zone (1 × Z, persons).
    public static let populationByZone: FieldKey = "population.by_zone"
    /// Gross output by sector (S × 1, the economy's currency per year).
    public static let output: FieldKey = "economy.output"
    /// Jobs by sector and zone (S × Z, jobs).
    public static let jobsBySectorZone: FieldKey = "economy.jobs_by_sector_zone"
    /// Jobs by zone (1 × Z, jobs).
    public static let jobsByZone: FieldKey = "economy.jobs_by_zone"
    /// Vehicle-kilometres travelled (any shape; its sum is the city's total per year).
    public static let vkt: FieldKey = "traffic.vkt"
}
