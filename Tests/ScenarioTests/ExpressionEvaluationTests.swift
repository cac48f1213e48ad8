import CityTwinCore
import Scenario
import Testing

/// Meaning: values of compiled expressions over the test model's current and previous ticks.
@Suite("Expression evaluation")
struct ExpressionEvaluationTests {
    let model = ExpressionTestModel()
    let origin = SourceLocation(file: "s.yaml", line: 1, column: 1)

    func compiled(_ text: String, as type: ValueType = .number) throws -> CompiledExpression {
        try CompiledExpression(ExpressionParser.parse(text, at: origin), as: type, resolver: model)
    }

    func value(_ text: String) throws -> Double {
        try compiled(text).evaluate(current: ExpressionTestModel.current, previous: ExpressionTestModel.previous)
    }

    func holds(_ text: String) throws -> Bool {
        try compiled(text, as: .boolean).isTrue(current: ExpressionTestModel.current, previous: ExpressionTestModel.previous)
    }

    // Every literal below is exactly representable or the operations are exactly rounded once, so
    // results are compared with `==`; the two exceptions carry their tolerance.

    @Test func arithmeticFollowsPrecedence() throws {
        #expect(try value("2 + 3 * 4 ^ 2") == 50)
        #expect(try value("-2 ^ 2") == -4)
        #expect(try value("2 ^ 3 ^ 2") == 512)
        #expect(try value("2 ^ -1") == 0.5)
        #expect(try value("10 - 4 - 3") == 3)
        #expect(try value("8 / 4 / 2") == 1)
        #expect(try value("(1 + 2) * -3") == -9)
        #expect(try value("abs(3 - 10) + 2_000 * 1e-3") == 9)
    }

    @Test func conditionsCombine() throws {
        #expect(try holds("water.reserve_days < 50"))
        #expect(try !holds("water.reserve_days < 30"))
        #expect(try holds("water.reserve_days >= 45 and water.reserve_days <= 45 and water.reserve_days == 45"))
        #expect(try holds("water.reserve_days < 30 or traffic.vht > 10_000"))
        #expect(try holds("not water.reserve_days < 30"))
        #expect(try !holds("not (water.reserve_days < 30 or water.reserve_days != 0)"))
        // `and` binds tighter than `or`: true or (false and false).
        #expect(try holds("1 < 2 or 1 > 2 and 1 > 2"))
        #expect(try !holds("(1 < 2 or 1 > 2) and 1 > 2"))
    }

    @Test func aggregatesOverSelectors() throws {
        #expect(try value("sum(population.total[zones 1-5])") == 1000)
        #expect(try value("sum(population.total[zones 1, 3-4])") == 550)
        #expect(try value("mean(population.total[zones 1-4])") == 187.5)
        #expect(try value("min(traffic.speed[links 1-3])") == 30)
        #expect(try value("max(traffic.speed[links 1-3], 45)") == 50)
        #expect(try value("max(economy.output[sectors manufacturing, services])") == 700)
        #expect(try value("sum(population.total[zone 2]) + population.total[zone 2]") == 400)
        // A mean over several arguments counts every value: (100 + 200 + 1000) / 3.
        #expect(try value("mean(population.total[zones 1-2], population.total)") == 1300.0 / 3)
        #expect(try value("sum(population.total[zones 1-2] ) / population.total") == 0.3)
    }

    @Test func previousReadsTheLastTick() throws {
        #expect(try value("previous(water.reserve_days)") == 50)
        #expect(try value("water.reserve_days - previous(water.reserve_days)") == -5)
        #expect(try value("sum(previous(population.total[zones 2-3]))") == 490)
        #expect(try value("previous(sum(population.total[zones 2-3]) + population.total)") == 1480)
        #expect(try holds("water.reserve_days < 48 and not previous(water.reserve_days < 48)"))
    }

    @Test func divisionByZeroIsIEEE() throws {
        #expect(try value("1 / 0") == .infinity)
        #expect(try value("-1 / 0") == -.infinity)
        #expect(try value("0 / 0").isNaN)
        #expect(try value("max(0 / 0, 1)").isNaN)
        // A NaN compares false, so a condition over it does not hold (a trigger does not fire) ...
        #expect(try !holds("0 / 0 > 1"))
        #expect(try !holds("0 / 0 <= 1"))
        // ... except `!=`.
        #expect(try holds("0 / 0 != 0 / 0"))
    }

    @Test func unitsAndSlotsAreReported() throws {
        let expression = try compiled("sum(population.total[zones 1-2]) + previous(population.total[zone 5]) * 2 - 3")
        #expect(expression.unit == "persons")
        #expect(expression.currentSlots == [1, 2])
        #expect(expression.previousSlots == [5])
        #expect(expression.references.map(\.reference.description) == ["population.total[zones 1-2]", "population.total[zone 5]"])
        #expect(try compiled("traffic.vht / population.total").unit == "")
        #expect(try compiled("population.growth_rate + 1").unit == "")
        #expect(try compiled("water.reserve_days < 3", as: .boolean).unit == "")
        // A dimensionless path combines with any unit, as a literal does.
        #expect(try value("population.total + population.growth_rate") == 1000.01)
    }

    @Test func assignmentsApply() throws {
        func assignment(_ text: String) throws -> CompiledAssignment {
            try CompiledAssignment(ExpressionParser.parseAssignment(text, at: origin), targets: model, references: model)
        }
        let (now, before) = (ExpressionTestModel.current, ExpressionTestModel.previous)
        let toll = try assignment("traffic.toll[links 1-2, 4] = 3.0")
        #expect(toll.target.indices == [0, 1, 3])
        #expect(toll.target.unit == "EUR")
        #expect(toll.path == "traffic.toll" && toll.selector?.description == "links 1-2, 4")
        #expect(toll.apply(to: 1, current: now, previous: before) == 3)

        let demand = try assignment("water.per_capita_demand *= 0.85")
        #expect(demand.operation == .scale && demand.target.indices == [5])
        #expect(demand.apply(to: 200, current: now, previous: before) == 170)
        #expect(try assignment("traffic.toll[link 5] += 0.5").apply(to: 2, current: now, previous: before) == 2.5)
        #expect(try assignment("traffic.toll[link 5] -= 0.5").apply(to: 2, current: now, previous: before) == 1.5)
        // The value may read indicators: a toll of 1 EUR per 10 000 vehicle-hours.
        #expect(try assignment("traffic.toll[links 1-5] = traffic.vht / 10_000").apply(to: 0, value: 1.2) == 1.2)
        #expect(try assignment("traffic.toll[links 1-5] = traffic.vht / 10_000").apply(to: 0, current: now, previous: before) == 1.2)
        #expect(
            try assignment("traffic.toll[links 1-5] = sum(economy.output[sectors manufacturing]) / 100")
                .apply(to: 0, current: now, previous: before) == 5)
    }

    @Test func compiledExpressionsAreValuesThatCanBeShared() async throws {
        let condition = try compiled("sum(population.total[zones 1-5]) > 900 and water.reserve_days < 50", as: .boolean)
        let results = await withTaskGroup(of: Bool.self) { group in
            for _ in 0..<8 {
                group.addTask { condition.isTrue(current: ExpressionTestModel.current, previous: ExpressionTestModel.previous) }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results == Array(repeating: true, count: 8))
    }
}
