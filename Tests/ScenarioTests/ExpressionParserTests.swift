import CityTwinCore
import Scenario
import Testing

/// Syntax: precedence, associativity, literals, selectors and assignments, checked through the
/// fully parenthesised rendering of the tree.
@Suite("Expression parsing")
struct ExpressionParserTests {
    let origin = SourceLocation(file: "s.yaml", line: 3, column: 10)

    func tree(_ text: String) throws -> String { try ExpressionParser.parse(text, at: origin).description }

    @Test func precedenceOfArithmetic() throws {
        #expect(try tree("2 + 3 * 4 ^ 2") == "(2 + (3 * (4 ^ 2)))")
        #expect(try tree("(2 + 3) * 4") == "((2 + 3) * 4)")
        #expect(try tree("1 - 2 + 3") == "((1 - 2) + 3)")
        #expect(try tree("8 / 4 / 2") == "((8 / 4) / 2)")
        #expect(try tree("2 ^ 3 ^ 2") == "(2 ^ (3 ^ 2))")
    }

    @Test func unaryMinusAndPower() throws {
        // -2 ^ 2 is -(2 ^ 2), as in mathematics; a sign may follow `^`.
        #expect(try tree("-2 ^ 2") == "(-(2 ^ 2))")
        #expect(try tree("2 ^ -1") == "(2 ^ (-1))")
        #expect(try tree("- -3") == "(-(-3))")
        #expect(try tree("-a.b * 2") == "((-a.b) * 2)")
    }

    @Test func logicBindsLooserThanComparison() throws {
        #expect(try tree("a < 1 or b > 2 and not c == 3") == "((a < 1) or ((b > 2) and (not (c == 3))))")
        #expect(try tree("not not x >= 1") == "(not (not (x >= 1)))")
        #expect(try tree("a + 1 != b * 2") == "((a + 1) != (b * 2))")
    }

    @Test func numberLiterals() throws {
        #expect(try tree("30") == "30")
        #expect(try tree("0.85") == "0.85")
        #expect(try tree("1e-3") == "0.001")
        #expect(try tree("2_000") == "2000")
        #expect(try tree("2.5E+2") == "250")
    }

    @Test func referencesWithSelectors() throws {
        #expect(try tree("population.total[zones 10, 11, 15-16]") == "population.total[zones 10, 11, 15-16]")
        #expect(try tree("sum(traffic.toll [ links 1-5,9 ])") == "sum(traffic.toll[links 1-5, 9])")
        #expect(try tree("economy.output[sectors manufacturing, 2]") == "economy.output[sectors manufacturing, 2]")
        #expect(try tree("max(previous(a[zone 3]), 2, b)") == "max(previous(a[zone 3]), 2, b)")

        let expression = try ExpressionParser.parse("population.total[zones 10, 15-16]", at: origin)
        guard case .reference(let reference) = expression.root, let selector = reference.selector else {
            Issue.record("expected a reference with a selector")
            return
        }
        #expect(selector.names("zone") && !selector.names("link"))
        #expect(selector.items.map(\.integers) == [10...10, 15...16])
        #expect(expression.source.text(of: selector.items[1].span) == "15-16")
        #expect(expression.source.location(of: reference.pathSpan) == SourceLocation(file: "s.yaml", line: 3, column: 10))
        #expect(expression.source.location(of: selector.keywordSpan) == SourceLocation(file: "s.yaml", line: 3, column: 27))
    }

    @Test func assignments() throws {
        let toll = try ExpressionParser.parseAssignment("traffic.toll[links 10, 11, 15-16] = 3.0", at: origin)
        #expect(toll.operation == .set && toll.target.path == "traffic.toll")
        #expect(toll.description == "traffic.toll[links 10, 11, 15-16] = 3")
        let cases: [(String, Assignment.Operation)] = [("x *= 0.85", .scale), ("x += 1 + 2", .add), ("x -= y", .subtract)]
        for (text, operation) in cases {
            #expect(try ExpressionParser.parseAssignment(text, at: origin).operation == operation)
        }
    }

    @Test func laterLinesStartAtColumnOne() throws {
        let source = ExpressionSource(text: "a +\n  b", origin: origin)
        #expect(source.location(of: 0) == SourceLocation(file: "s.yaml", line: 3, column: 10))
        #expect(source.location(of: 6) == SourceLocation(file: "s.yaml", line: 4, column: 3))
    }
}
