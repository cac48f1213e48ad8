import LinearAlgebra
import Population
import Testing

@Suite("Job attraction of internal migrants")
struct JobAttractionTests {
    let base = Matrix([[0.90, 0.05, 0.05], [0.02, 0.95, 0.03], [0.10, 0.10, 0.80]])

    @Test func rowsStillSumToOneAndStayersStay() {
        let m = JobAttraction.reweighted(base, jobs: [100, 300, 50], baseJobs: [100, 100, 100], elasticity: 1.5)
        for i in 0..<3 {
            #expect(abs(m.row(i).reduce(0, +) - 1) < 1e-15)
            #expect(m[i, i] == base[i, i])
        }
    }

    @Test func movesShiftTowardsGrowingZonesByTheElasticity() {
        // From zone 1, movers split 0.05 : 0.05 between zones 2 and 3; zone 2's jobs triple, zone 3's halve.
        // With γ = 1 the odds become 0.05·3 : 0.05·0.5 = 6 : 1 of the same 0.10 of movers.
        let m = JobAttraction.reweighted(base, jobs: [100, 300, 50], baseJobs: [100, 100, 100], elasticity: 1)
        #expect(abs(m[0, 1] - 0.10 * 6 / 7) < 1e-15)
        #expect(abs(m[0, 2] - 0.10 * 1 / 7) < 1e-15)
    }

    @Test func noElasticityOrEvenGrowthChangesNothing() {
        #expect(JobAttraction.reweighted(base, jobs: [1, 9, 4], baseJobs: [3, 3, 3], elasticity: 0) == base)
        let even = JobAttraction.reweighted(base, jobs: [200, 200, 200], baseJobs: [100, 100, 100], elasticity: 2)
        for i in 0..<3 { for j in 0..<3 { #expect(abs(even[i, j] - base[i, j]) < 1e-15) } }
    }
}
