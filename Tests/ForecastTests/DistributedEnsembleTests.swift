import CityTwinCore
import Foundation
import Scenario
import Testing

@testable import Forecast

/// The distributed protocols on ranks-as-threads (`ThreadProcessGroup`): the same bits as one process,
/// and a failing rank named. (`scripts/check-mpi.sh` runs the same under `mpirun` with the MPI build.)
@Suite("distributed ensemble")
struct DistributedEnsembleTests {
    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func plan() throws -> ScenarioPlan {
        try ScenarioLoader.loadPlan(repository.appendingPathComponent("scenarios/test/ensemble-small.yaml").path)
    }

    /// 8 members with a trigger, an alert and recorded zones, dealt over 3 ranks of 2 threads (and 2 ranks
    /// of 1 thread): forecast rows, alerts, trigger shares, member 0's events and captured member values
    /// equal the lockstep run's, bit for bit.
    @Test(arguments: [(3, 2), (2, 1)])
    func sameBitsAsOneProcess(ranks: Int, threads: Int) throws {
        let plan = try Self.plan()
        let capture = ArchivedRun.archivedSlots(plan)
        let local = try EnsembleRunner.run(plan, threads: 2, capture: capture)
        let results = ThreadProcessGroup.run(size: ranks) { group -> EnsembleResult? in
            if group.rank == 0 {
                let result = try? DistributedEnsemble(group: group).run(
                    plan, threads: threads, memberOutput: false, capture: capture, progress: nil)
                try? WorkerOrder.finish.send(to: group)
                return result
            }
            _ = try? Self.serve(group, threads: threads) { plan }
            return nil
        }
        let distributed = try #require(results[0])
        #expect(distributed.table.rows.count == local.table.rows.count)
        #expect(
            zip(distributed.table.rows, local.table.rows).allSatisfy {
                $0.region == $1.region && $0.variable == $1.variable && $0.year == $1.year && $0.statistic == $1.statistic
                    && $0.value.bitPattern == $1.value.bitPattern
            })
        #expect(distributed.levels == local.levels)
        #expect(try AlertReport.json(distributed.alerts) == AlertReport.json(local.alerts))
        #expect(distributed.triggers == local.triggers)
        #expect(distributed.triggers.map(\.intervention) == ["restrictions"])
        #expect(distributed.events == local.events)
        #expect(
            distributed.members.values.map { $0.map { $0.map(\.bitPattern) } }
                == local.members.values.map { $0.map { $0.map(\.bitPattern) } })
        let balance = try #require(distributed.balance)
        #expect(balance.busy.count == ranks)
        #expect(balance.busy.allSatisfy { (0...1).contains($0) })
    }

    /// A rank that cannot make the plan (its inputs not visible) fails the run; the root's error names it.
    @Test func aFailingRankIsNamed() throws {
        let plan = try Self.plan()
        struct Unreadable: Error, CustomStringConvertible {
            var description: String { "cannot read scenarios/test/ensemble-small.yaml" }
        }
        let errors = ThreadProcessGroup.run(size: 3) { group -> String? in
            if group.rank == 0 {
                defer { try? WorkerOrder.finish.send(to: group, text: "failed") }
                do {
                    _ = try DistributedEnsemble(group: group).run(
                        plan, threads: 1, memberOutput: false, capture: [], progress: nil)
                    return nil
                } catch {
                    return "\(error)"
                }
            }
            let failure = try? Self.serve(group, threads: 1) {
                if group.rank == 2 { throw Unreadable() }
                return plan
            }
            return failure ?? nil
        }
        #expect(errors[0] == "rank 2 failed: cannot read scenarios/test/ensemble-small.yaml")
        #expect(errors[1] == "failed" && errors[2] == "failed", "every worker is told the run failed")
    }

    /// A member that throws on a worker stops the dealing; the error names the rank and the member.
    @Test func aFailingMemberIsNamed() throws {
        struct Diverged: Error, CustomStringConvertible {
            var description: String { "diverged" }
        }
        let outcomes = ThreadProcessGroup.run(size: 3) { group -> String? in
            let dealer = WorkDealer(group: group, threads: 2)
            if group.rank == 0 {
                let outcome = try? dealer.deal(count: 40, label: "member") { index in
                    if index == 5 { throw Diverged() }
                    return [Double(index)]
                }
                return outcome?.failure?.message
            }
            _ = try? dealer.work(label: "member") { index in
                if index == 5 { throw Diverged() }
                return [Double(index)]
            }
            return nil
        }
        #expect(outcomes[0] == "member 5: diverged")
    }

    /// Results come back in index order, and the shares of the work add up: every index computed once.
    @Test func dealtResultsComeBackInIndexOrder() {
        let outcomes = ThreadProcessGroup.run(size: 4) { group -> WorkDealer.Outcome? in
            let dealer = WorkDealer(group: group, threads: 3)
            let square: @Sendable (Int) throws -> [Double] = { [Double($0 * $0), -0.0] }
            if group.rank == 0 { return try? dealer.deal(count: 101, label: "run", compute: square) }
            _ = try? dealer.work(label: "run", compute: square)
            return nil
        }
        let outcome = outcomes[0]!
        #expect(outcome.results.map { $0[0] } == (0..<101).map { Double($0 * $0) })
        #expect(outcome.results.allSatisfy { $0[1].sign == .minus })
        #expect(outcome.holders.allSatisfy { (0..<4).contains($0) })
        #expect(outcome.failure == nil)
    }

    /// A worker rank as `citytwin` runs one: orders until `finish` (its failure text, if any).
    static func serve(_ group: any ProcessGroup, threads: Int, plan: @escaping () throws -> ScenarioPlan) throws -> String? {
        try WorkerLoop.serve(
            group: group,
            handlers: [.ensemble: { _, _, _ in try DistributedEnsemble.work(group: group, threads: threads, plan: plan) }])
    }

    @Test func wireMessagesKeepEveryBit() throws {
        let message = WireMessage(
            integers: [-3, 0, Int.max], doubles: [.nan, -0.0, .infinity, 1e-310, 0.1], text: "member 7: é")
        let decoded = try WireMessage(bytes: message.bytes)
        #expect(decoded.integers == message.integers)
        #expect(decoded.doubles.map(\.bitPattern) == message.doubles.map(\.bitPattern))
        #expect(decoded.text == "member 7: é")
        #expect(throws: WireMessageError.self) { try WireMessage(bytes: Array(message.bytes.dropLast())) }
    }
}
