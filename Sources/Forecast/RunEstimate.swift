import CityTwinCore
public import Foundation
import LinearAlgebra
public import Scenario

/// How much memory and disk a run will take, estimated before it starts, so that a run that cannot fit
/// is refused with the figures rather than killed halfway.
///
/// Memory: each member holds its state (measured on member 0, set up for real), its indicator vectors
/// (current and previous) and its parameter vector; the collector holds the forecast rows. Disk: the
/// forecast's rows at about 90 bytes each (the long CSV format), and member rows when requested, plus the
/// members' end state (`end-state.json`: the state and vectors in base64, 4/3 of their bytes).
public struct RunEstimate: Sendable {
    public let memoryBytes: Int
    public let outputBytes: Int
    public let forecastRows: Int

    /// Bytes per forecast row in the CSV, measured on the sample city's forecasts (70–110).
    static let bytesPerRow = 90

    public init(plan: ScenarioPlan, memberOutput: Bool) throws {
        let member = try MemberRun(plan: plan, member: 0, keepsHistory: false, threads: 1)
        let stateBytes = member.simulation.state.fields.values.reduce(0) { $0 + $1.values.storage.count * 8 }
        // Measured on the sample city: resident memory grows by 172 KB per member where the state and the
        // vectors take 56 KB; the rest is each member's own copies of the module operators its draws change.
        let perMember = 3.5 * Double(stateBytes + 8 * (3 * plan.indicators.count + 2 * plan.parameters.count) + 4096)
        let instants = plan.problem.clock.tickCount + 1
        let statistics = plan.isDeterministic ? 1 : 6 + (memberOutput ? plan.members : 0)
        forecastRows = plan.recorded.count * instants * statistics
        let endStateBytes = plan.members * (stateBytes + 8 * (2 * plan.indicators.count + plan.baseParameters.count)) * 4 / 3
        outputBytes = forecastRows * RunEstimate.bytesPerRow + endStateBytes
        // Rows are held as values with their strings (~200 bytes each) until written.
        memoryBytes = Int(Double(plan.members) * perMember) + forecastRows * 200
    }

    /// Refuses a run whose memory estimate exceeds `limit` (by default 80 % of physical memory).
    public func check(members: Int, limit: Int = Int(Double(ProcessInfo.processInfo.physicalMemory) * 0.8)) throws {
        guard memoryBytes > limit else { return }
        let fitting = max(1, Int(Double(members) * Double(limit) / Double(memoryBytes)))
        throw RunFolderWriter.Refusal(
            description:
                "the run needs about \(memoryBytes / 1_000_000) MB of memory; the limit here is \(limit / 1_000_000) MB "
                + "(80 % of this machine's memory). Lower `members` (about \(fitting) fit), record fewer indicators "
                + "(`record:`), or drop --member-output")
    }
}
