import CityTwinCore
import Testing

/// Paths of input files: the directory part and relative resolution.
@Suite("Input paths")
struct PathTests {
    @Test("directory(of:) — one-character relative names included (NSString.deletingLastPathComponent traps on them)")
    func directoryOfAPath() {
        #expect(directory(of: "c") == "")
        #expect(directory(of: "model.yaml") == "")
        #expect(directory(of: "a/b.yaml") == "a")
        #expect(directory(of: "a/b/c.yaml") == "a/b")
        #expect(directory(of: "/b.yaml") == "/")
        #expect(directory(of: "/") == "/")
        #expect(directory(of: "a/b/") == "a")
    }

    @Test("resolve(_:relativeTo:) keeps absolute paths and joins relative ones")
    func resolution() {
        #expect(resolve("/x/y.csv", relativeTo: "a") == "/x/y.csv")
        #expect(resolve("y.csv", relativeTo: "/a/b") == "/a/b/y.csv")
    }
}
