import CityTwinCore
import Foundation

/// A compiled expression as a postfix program over a small stack of `Double`s.
///
/// Built once by ``ExpressionCompiler``; running it touches no strings or dictionaries and allocates
/// nothing on the heap: the stack is a temporary allocation sized at compile time (on the machine stack
/// for any expression a person writes), and instructions carry their operands inline.
/// Booleans are 1 and 0.
struct ExpressionProgram: Sendable, Hashable {
    /// How an aggregate folds a value into its running result.
    enum Fold: Sendable, Hashable {
        case sum, min, max

        /// The starting value: 0 for a sum, +∞ for a minimum, −∞ for a maximum.
        var identity: Double {
            switch self {
            case .sum: 0
            case .min: .infinity
            case .max: -.infinity
            }
        }

        /// Folds `value` into `result`; a NaN anywhere makes the result NaN (unlike `Swift.min`).
        @inline(__always)
        func apply(_ result: Double, _ value: Double) -> Double {
            switch self {
            case .sum: result + value
            case .min: value < result || value.isNaN ? value : result
            case .max: value > result || value.isNaN ? value : result
            }
        }
    }

    enum Instruction: Sendable, Hashable {
        case constant(Double)
        case load(slot: Int)
        case loadPrevious(slot: Int)
        case negate, not, absolute
        case add, subtract, multiply, divide, power
        case less, lessEqual, greater, greaterEqual, equal, notEqual, and, or
        /// Folds the values at `slotTable[start ..< start + count]` into the top of the stack.
        case foldSlots(Fold, start: Int, count: Int, previous: Bool)
        /// Pops a value and folds it into the new top.
        case fold(Fold)
        /// Divides the top by a count (a mean is a sum divided by the number of values).
        case divideBy(Double)
    }

    let instructions: [Instruction]
    /// The slots of multi-valued references, end to end; `foldSlots` ranges index it.
    let slotTable: [Int]
    /// The deepest the stack gets.
    let stackDepth: Int
    /// One more than the largest slot read (current or previous), for checking the caller's arrays.
    let slotCount: Int

    /// Runs the program.
    /// - Precondition: both arrays hold at least ``slotCount`` values.
    /// - Complexity: O(instructions + slots read); no heap allocation.
    func run(current: [Double], previous: [Double]) -> Double {
        precondition(
            current.count >= slotCount && previous.count >= slotCount,
            "an expression reads \(slotCount) slots but was given \(current.count) current and \(previous.count) previous values")
        return withUnsafeTemporaryAllocation(of: Double.self, capacity: Swift.max(stackDepth, 1)) { stack in
            current.withUnsafeBufferPointer { now in
                previous.withUnsafeBufferPointer { before in
                    slotTable.withUnsafeBufferPointer { table in
                        instructions.withUnsafeBufferPointer { code in
                            Self.execute(code, table, now, before, stack)
                        }
                    }
                }
            }
        }
    }

    private static func execute(
        _ code: UnsafeBufferPointer<Instruction>, _ table: UnsafeBufferPointer<Int>,
        _ now: UnsafeBufferPointer<Double>, _ before: UnsafeBufferPointer<Double>,
        _ stack: UnsafeMutableBufferPointer<Double>
    ) -> Double {
        var top = -1
        for instruction in code {
            switch instruction {
            case .constant(let value):
                top += 1
                stack[top] = value
            case .load(let slot):
                top += 1
                stack[top] = now[slot]
            case .loadPrevious(let slot):
                top += 1
                stack[top] = before[slot]
            case .negate: stack[top] = -stack[top]
            case .not: stack[top] = stack[top] == 0 ? 1 : 0
            case .absolute: stack[top] = Swift.abs(stack[top])
            case .foldSlots(let fold, let start, let count, let previous):
                let values = previous ? before : now
                var result = stack[top]
                for index in start..<(start + count) { result = fold.apply(result, values[table[index]]) }
                stack[top] = result
            case .fold(let fold):
                stack[top - 1] = fold.apply(stack[top - 1], stack[top])
                top -= 1
            case .divideBy(let count): stack[top] /= count
            default:
                let (a, b) = (stack[top - 1], stack[top])
                top -= 1
                stack[top] = binary(instruction, a, b)
            }
        }
        return stack[top]
    }

    @inline(__always)
    private static func binary(_ instruction: Instruction, _ a: Double, _ b: Double) -> Double {
        switch instruction {
        case .add: a + b
        case .subtract: a - b
        case .multiply: a * b
        case .divide: a / b
        case .power: pow(a, b)
        case .less: a < b ? 1 : 0
        case .lessEqual: a <= b ? 1 : 0
        case .greater: a > b ? 1 : 0
        case .greaterEqual: a >= b ? 1 : 0
        case .equal: a == b ? 1 : 0
        case .notEqual: a != b ? 1 : 0
        case .and: a != 0 && b != 0 ? 1 : 0
        case .or: a != 0 || b != 0 ? 1 : 0
        default: preconditionFailure("\(instruction) is not a binary operator")
        }
    }
}
