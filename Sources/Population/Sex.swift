/// The two sexes of the projection. The cohort matrix stacks females above males.
public enum Sex: String, Sendable, Hashable, CaseIterable {
    case female
    case male

    /// Row offset of this sex's block in a (2A × Z) cohort matrix with A age groups.
    public func rowOffset(ageGroups: Int) -> Int { self == .female ? 0 : ageGroups }

    /// The rows of this sex's block.
    public func rows(ageGroups: Int) -> Range<Int> {
        let offset = rowOffset(ageGroups: ageGroups)
        return offset..<(offset + ageGroups)
    }
}
