import CityTwinCore
import Scenario
import Testing

/// Golden error messages: exact file:line:column, message, underlined excerpt and hint, as a planner
/// sees them. The expression starts at line 12, column 11 of `s.yaml` (after `    when: `).
@Suite("Expression errors")
struct ExpressionErrorTests {
    let model = ExpressionTestModel()
    let origin = SourceLocation(file: "s.yaml", line: 12, column: 11)

    /// The printed errors of compiling a condition, or "compiled" when there are none.
    func report(_ text: String, as type: ValueType = .boolean) -> String {
        do {
            _ = try CompiledExpression(ExpressionParser.parse(text, at: origin), as: type, resolver: model)
            return "compiled"
        } catch {
            return "\(error)"
        }
    }

    func assignmentReport(_ text: String) -> String {
        do {
            _ = try CompiledAssignment(ExpressionParser.parseAssignment(text, at: origin), targets: model, references: model)
            return "compiled"
        } catch {
            return "\(error)"
        }
    }

    @Test func errorsAreInputErrorsWithLocationAndExcerpt() throws {
        do {
            _ = try ExpressionParser.parse("1 +\n  (2 * 3", at: origin)
            Issue.record("expected an error")
        } catch let errors as InputErrors {
            #expect(errors.errors.count == 1)
            let error = try #require(errors.errors.first)
            #expect(error.location == SourceLocation(file: "s.yaml", line: 13, column: 3))
            #expect(error.message == "unclosed `(`")
            #expect(error.excerpt == "      (2 * 3\n      ^")
            #expect(error.hint == "add `)` to close it")
        }
    }

    @Test func unexpectedToken() {
        #expect(
            report("water.reserve_days < 30 adn traffic.vht > 3") == """
                s.yaml:12:35: error: unexpected `adn` after a complete expression
                    water.reserve_days < 30 adn traffic.vht > 3
                                            ^~~
                  hint: did you mean `and`?
                1 error
                """)
        #expect(
            report("3 + * 4") == """
                s.yaml:12:15: error: expected a number, a path, a function or `(`, found `*`
                    3 + * 4
                        ^
                1 error
                """)
    }

    @Test func unclosedParenthesis() {
        #expect(
            report("(water.reserve_days + 1 < 30") == """
                s.yaml:12:11: error: unclosed `(`
                    (water.reserve_days + 1 < 30
                    ^
                  hint: add `)` to close it
                1 error
                """)
        #expect(
            report("max(1, 2 3") == """
                s.yaml:12:20: error: expected `)` to close the `(`, found `3`
                    max(1, 2 3
                       ^     ^
                1 error
                """)
    }

    @Test func unknownFunction() {
        #expect(
            report("summ(population.total[zones 1-3]) > 5") == """
                s.yaml:12:11: error: unknown function `summ`
                    summ(population.total[zones 1-3]) > 5
                    ^~~~
                  hint: did you mean `sum`?
                1 error
                """)
    }

    @Test func unknownPathAndUnknownZone() {
        #expect(
            report("water.reserv_days < 30") == """
                s.yaml:12:11: error: unknown indicator `water.reserv_days`
                    water.reserv_days < 30
                    ^~~~~~~~~~~~~~~~~
                  hint: did you mean `water.reserve_days`?
                1 error
                """)
        #expect(
            report("sum(population.total[zones 4-9]) > 3") == """
                s.yaml:12:38: error: zone 6 does not exist
                    sum(population.total[zones 4-9]) > 3
                                               ^~~
                1 error
                """)
    }

    @Test func booleanWhereNumberExpected() {
        #expect(
            report("(water.reserve_days < 30) + 1 > 2") == """
                s.yaml:12:12: error: `+` needs a number, but `water.reserve_days < 30` is a condition (true or false)
                    (water.reserve_days < 30) + 1 > 2
                     ^~~~~~~~~~~~~~~~~~~~~~~
                1 error
                """)
        #expect(
            report("water.reserve_days + 1") == """
                s.yaml:12:11: error: a condition must be true or false, but `water.reserve_days + 1` is a number
                    water.reserve_days + 1
                    ^~~~~~~~~~~~~~~~~~~~~~
                  hint: compare it with something, e.g. `water.reserve_days + 1 > 0`
                1 error
                """)
        #expect(
            report("1 < 2", as: .number).hasPrefix(
                "s.yaml:12:11: error: the expression must be a number, but `1 < 2` is a condition (true or false)"))
    }

    @Test func unitMismatchUnderlinesBothSides() {
        #expect(
            report("water.reserve_days + population.total > 3") == """
                s.yaml:12:11: error: unit mismatch: days vs persons
                    water.reserve_days + population.total > 3
                    ^~~~~~~~~~~~~~~~~~   ^~~~~~~~~~~~~~~~
                  hint: `water.reserve_days` is in days but `population.total` is in persons
                1 error
                """)
        // On a later line of a block scalar, the line number advances and columns restart at 1.
        #expect(
            report("water.reserve_days < 30 and\n  min(traffic.vht, population.total[zones 1-2]) > 1") == """
                s.yaml:13:7: error: unit mismatch: veh·h vs persons
                      min(traffic.vht, population.total[zones 1-2]) > 1
                          ^~~~~~~~~~~  ^~~~~~~~~~~~~~~~~~~~~~~~~~~
                  hint: `traffic.vht` is in veh·h but `population.total[zones 1-2]` is in persons
                1 error
                """)
    }

    @Test func multiValuedReferenceOutsideAnAggregate() {
        #expect(
            report("population.total[zones 1-3] > 3") == """
                s.yaml:12:11: error: `population.total[zones 1-3]` has 3 values; wrap it in sum(), mean(), min() or max()
                    population.total[zones 1-3] > 3
                    ^~~~~~~~~~~~~~~~~~~~~~~~~~~
                1 error
                """)
    }

    @Test func everyCompileErrorIsReportedAtOnce() {
        #expect(
            report("water.reserv_days + traffic.vhtt > 1 and 2") == """
                s.yaml:12:11: error: unknown indicator `water.reserv_days`
                    water.reserv_days + traffic.vhtt > 1 and 2
                    ^~~~~~~~~~~~~~~~~
                  hint: did you mean `water.reserve_days`?
                s.yaml:12:31: error: unknown indicator `traffic.vhtt`
                    water.reserv_days + traffic.vhtt > 1 and 2
                                        ^~~~~~~~~~~~
                  hint: did you mean `traffic.vht`?
                s.yaml:12:52: error: `and` needs a condition (true or false), but `2` is a number
                    water.reserv_days + traffic.vhtt > 1 and 2
                                                             ^
                  hint: compare it with something, e.g. `2 > 0`
                3 errors
                """)
    }

    @Test func assignmentErrors() {
        #expect(
            assignmentReport("traffic.toll[links 1] = water.reserve_days") == """
                s.yaml:12:11: error: unit mismatch: EUR vs days
                    traffic.toll[links 1] = water.reserve_days
                    ^~~~~~~~~~~~~~~~~~~~~   ^~~~~~~~~~~~~~~~~~
                  hint: `traffic.toll[links 1]` is in EUR but `water.reserve_days` is in days
                1 error
                """)
        #expect(
            assignmentReport("traffic.tol[links 9] = 1 < 2") == """
                s.yaml:12:11: error: unknown parameter `traffic.tol`
                    traffic.tol[links 9] = 1 < 2
                    ^~~~~~~~~~~
                  hint: did you mean `traffic.toll`?
                s.yaml:12:34: error: the value assigned must be a number, but `1 < 2` is a condition (true or false)
                    traffic.tol[links 9] = 1 < 2
                                           ^~~~~
                2 errors
                """)
        #expect(
            assignmentReport("water.per_capita_demand *= water.reserve_days").hasPrefix(
                "s.yaml:12:38: error: `*=` scales by a plain number, but `water.reserve_days` is in days"))
        // A multi-valued target is fine; a multi-valued value is not.
        #expect(
            assignmentReport("traffic.toll[links 1-3] = traffic.speed[links 1-3]").hasPrefix(
                "s.yaml:12:37: error: `traffic.speed[links 1-3]` has 3 values"))
        #expect(assignmentReport("traffic.toll[links 1-3] = max(traffic.speed[links 1-3]) / 10") == "compiled")
    }

    /// Every other syntax error: its message and column (the first error only; see ExpressionParser).
    @Test(arguments: [
        ("water.reserve_days = 3", "12:30", "`=` sets a value; it cannot appear in a condition"),
        ("1 < 2 < 3", "12:17", "comparisons cannot be chained"),
        ("", "12:11", "the expression is empty"),
        ("3 +", "12:14", "expected a value after `+`, found the end of the expression"),
        ("x < 1 )", "12:17", "`)` has no matching `(`"),
        ("a[zones 1 2] > 0", "12:21", "expected `,` or `]` in the selector, found `2`"),
        ("a[zones 1.5] > 0", "12:19", "selector items are whole numbers, ranges like `15-16` or names; found `1.5`"),
        ("a[zones 1, 2 > 0", "12:24", "expected `,` or `]` in the selector, found `>`"),
        ("sum(a[zones 1, 2) > 0", "12:27", "expected `,` or `]` in the selector, found `)`"),
        ("a[] > 0", "12:13", "expected a dimension after `[`, found `]`"),
        ("3days > 2", "12:11", "`3days` is not a number"),
        ("x && y", "12:13", "`&&` is not an operator"),
        ("x ** 2 > 1", "12:13", "`**` is not an operator"),
        ("x. > 1", "12:11", "a path cannot end with `.`"),
        ("abs(1, 2) > 0", "12:16", "`abs` takes one argument"),
        ("sum() > 0", "12:11", "`sum()` needs an argument"),
        ("1 + not x", "12:15", "expected a value, found `not`"),
        ("x # 1", "12:13", "unexpected character `#`"),
        ("previous(previous(water.reserve_days)) > 1", "12:20", "`previous()` cannot be nested"),
        ("sum(previous(previous(population.total[zones 1-2]))) > 1", "12:24", "`previous()` cannot be nested"),
    ])
    func syntaxErrors(text: String, place: String, message: String) {
        #expect(report(text).hasPrefix("s.yaml:\(place): error: \(message)\n"), "\(report(text))")
    }
}
