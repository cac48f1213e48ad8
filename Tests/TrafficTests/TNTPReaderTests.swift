import LinearAlgebra
import Testing
import Traffic

@Suite("TNTP files with errors")
struct TNTPReaderTests {
    static let header = """
        <NUMBER OF ZONES> 2
        <NUMBER OF NODES> 3
        <FIRST THRU NODE> 3
        <NUMBER OF LINKS> 2
        <END OF METADATA>
        ~ init term cap length fft b power speed toll type ;

        """

    static func network(_ rows: String) throws -> TNTPNetworkFile {
        try TNTPReader.parseNetwork(header + rows, file: "x_net.tntp")
    }

    static func lineOf(_ body: () throws -> Void) -> (Int, String)? {
        do {
            try body()
            return nil
        } catch let error as TNTPError {
            #expect(error.file.hasSuffix(".tntp"))
            return (error.line, error.message)
        } catch {
            Issue.record("unexpected error \(error)")
            return nil
        }
    }

    @Test("a good file reads, tabs and leading blanks included")
    func good() throws {
        let file = try Self.network("\t1\t3\t100\t2\t2\t0.15\t4\t0\t0\t1\t;\n  3 2 100 2 2 0 0 0 1.5 1 ;\n")
        #expect(file.links.count == 2)
        #expect(file.firstThroughNode == 3)
        #expect(file.links[1].toll == 1.5)
        #expect(file.links[1].hasConstantTime)
    }

    @Test(
        "each kind of error names its line",
        arguments: [
            ("1 3 100 2 2 0.15 4 0 0 1\n3 2 100 2 2 0.15 4 0 0 1 ;\n", 7, "`;`"),  // no semicolon
            ("1 3 100 2 2 0.15 4 0 0 1 ;\n3 2 abc 2 2 0.15 4 0 0 1 ;\n", 8, "capacity"),  // not a number
            ("1 3 100 2 2 0.15 4 0 0 1 ;\n3 9 100 2 2 0.15 4 0 0 1 ;\n", 8, "term_node"),  // node out of range
            ("1 3 100 2 2 0.15 4 0 0 1 ;\n3 2 100 2 -2 0.15 4 0 0 1 ;\n", 8, "negative"),  // negative time
            ("1 3 100 2 2 0.15 4 0 0 1 ;\n3 2 0 2 2 0.15 4 0 0 1 ;\n", 8, "capacity is 0"),  // zero capacity
            ("1 3 100 2 2 0.15 4 0 0 1 ;\n3 2 100 2 2 0.15 4 0 1 ;\n", 8, "10 fields"),  // missing field
            ("1 3 100 2 2 0.15 4 0 0 1 ;\n", 8, "NUMBER OF LINKS"),  // truncated
            ("1 3 100 2 inf 0.15 4 0 0 1 ;\n3 2 100 2 2 0.15 4 0 0 1 ;\n", 7, "finite"),  // infinite
        ])
    func networkErrors(rows: String, line: Int, fragment: String) {
        let found = Self.lineOf { _ = try Self.network(rows) }
        #expect(found?.0 == line, "\(String(describing: found))")
        #expect(found?.1.contains(fragment) == true, "\(String(describing: found))")
    }

    @Test("metadata errors")
    func metadata() {
        let noEnd = Self.lineOf { _ = try TNTPReader.parseNetwork("<NUMBER OF ZONES> 1\n<NUMBER OF NODES> 2\n", file: "a.tntp") }
        #expect(noEnd?.1.contains("END OF METADATA") == true)
        let missing = Self.lineOf {
            _ = try TNTPReader.parseNetwork("<NUMBER OF ZONES> 1\n<NUMBER OF LINKS> 0\n<END OF METADATA>\n", file: "a.tntp")
        }
        #expect(missing?.1.contains("NUMBER OF NODES") == true)
        let badValue = Self.lineOf {
            _ = try TNTPReader.parseNetwork(
                "<NUMBER OF ZONES> two\n<NUMBER OF NODES> 2\n<NUMBER OF LINKS> 0\n<END OF METADATA>\n", file: "a.tntp")
        }
        #expect(badValue?.0 == 1)
        let stray = Self.lineOf { _ = try TNTPReader.parseNetwork("<NUMBER OF ZONES> 1\nhello\n", file: "a.tntp") }
        #expect(stray?.0 == 2)
        // A node count at Int.max is refused at its line before anything adds to it (found by fuzzing: it overflowed).
        let huge = Self.lineOf {
            _ = try TNTPReader.parseNetwork(
                "<NUMBER OF ZONES> 2\n<NUMBER OF NODES> 9223372036854775807\n<NUMBER OF LINKS> 0\n<END OF METADATA>\n", file: "a.tntp")
        }
        #expect(huge?.0 == 2 && huge?.1.contains("is more than 10000000") == true, "\(String(describing: huge))")
    }

    static let tripsHeader = "<NUMBER OF ZONES> 3\n<TOTAL OD FLOW> 6\n<END OF METADATA>\n\n"

    @Test("trips: several entries to a line, missing pairs are zero, intrazonal demand reported")
    func trips() throws {
        let t = try TNTPReader.parseTrips(Self.tripsHeader + "Origin 1\n 1 : 1.0;  2 : 2.0;\nOrigin \t3\n2:3;\n", file: "t.tntp")
        #expect(t.od[0, 1] == 2)
        #expect(t.od[2, 1] == 3)
        #expect(t.od[1, 2] == 0)
        #expect(t.intrazonalTotal == 1)
        #expect(t.declaredTotal == 6)
    }

    @Test(
        "trips errors name their line",
        arguments: [
            ("1 : 2.0;\n", 5, "before any"),
            ("Origin 4\n", 5, "Origin"),
            ("Origin 1\n 2 : 1.0;  7 : 2.0;\n", 6, "destination"),
            ("Origin 1\n 2 : -1;\n", 6, "non-negative"),
            ("Origin 1\n 2 : 1; 2 : 1;\n", 6, "second entry"),
            ("Origin 1\n 2 : 1\n", 6, "`;`"),
            ("Origin 1\n 2 = 1;\n", 6, "form"),
        ])
    func tripsErrors(body: String, line: Int, fragment: String) {
        let found = Self.lineOf { _ = try TNTPReader.parseTrips(Self.tripsHeader + body, file: "t.tntp") }
        #expect(found?.0 == line, "\(String(describing: found))")
        #expect(found?.1.contains(fragment) == true, "\(String(describing: found))")
    }

    @Test("a missing file is an error naming it")
    func missingFile() {
        #expect(throws: TNTPError(file: "/nonexistent/x_net.tntp", line: 0, message: "cannot read the file (does it exist?)")) {
            try TNTPReader.readNetwork(at: "/nonexistent/x_net.tntp")
        }
    }
}
