import TestSupport
import Testing
import Traffic

@Suite("Network units converted at load")
struct NetworkUnitsTests {
    @Test("units parse to minutes and km; unknown or negative units are refused with a reason")
    func parsing() throws {
        #expect(try NetworkUnits.parse("0.01 h", units: NetworkUnits.timeUnits).get() == 0.6)
        #expect(try NetworkUnits.parse("min", units: NetworkUnits.timeUnits).get() == 1)
        #expect(try NetworkUnits.parse("30 s", units: NetworkUnits.timeUnits).get() == 0.5)
        #expect(try NetworkUnits.parse("0.6 km", units: NetworkUnits.lengthUnits).get() == 0.6)
        #expect(try NetworkUnits.parse("mi", units: NetworkUnits.lengthUnits).get() == 1.609_344)
        #expect(abs(try NetworkUnits.parse("1000 ft", units: NetworkUnits.lengthUnits).get() - 0.3048) <= 1e-15)
        guard case .failure(let unknown) = NetworkUnits.parse("0.01 fortnight", units: NetworkUnits.timeUnits) else {
            Issue.record("a fortnight was accepted")
            return
        }
        #expect(unknown.message.contains("unknown unit `fortnight`"))
        guard case .failure(let negative) = NetworkUnits.parse("-1 h", units: NetworkUnits.timeUnits) else {
            Issue.record("a negative unit was accepted")
            return
        }
        #expect(negative.message.contains("not a positive number"))
    }

    @Test("a link in 0.01 h and 0.6 km units becomes minutes and km; capacity, BPR and toll are unchanged")
    func conversion() {
        let units = NetworkUnits(minutesPerTimeUnit: 0.6, kilometresPerLengthUnit: 0.6)
        let link = units.converted(Link(from: 1, to: 2, capacity: 25_900.2, length: 6, freeFlowTime: 6, toll: 2))
        #expect(abs(link.freeFlowTime - 3.6) <= 1e-15)
        #expect(abs(link.length - 3.6) <= 1e-15)
        #expect(link.capacity == 25_900.2 && link.b == 0.15 && link.power == 4 && link.toll == 2)
    }

    @Test("the sample city's network is loaded in minutes and km: link 1→2 (6 file units) is 3.6 min and 3.6 km")
    func sampleCity() throws {
        let model = try #require(try SampleCityFixture.load().traffic)
        let link = try #require(model.network.links.first { $0.from == 1 && $0.to == 2 })
        #expect(abs(link.freeFlowTime - 3.6) <= 1e-12)
        #expect(abs(link.length - 3.6) <= 1e-12)
        // The candidate bridge is converted with the same units (4 file units → 2.4 min, 2.4 km).
        let bridge = try #require(model.candidateLinks.first { $0.from == 12 && $0.to == 14 })
        #expect(abs(bridge.freeFlowTime - 2.4) <= 1e-12 && abs(bridge.length - 2.4) <= 1e-12)
    }
}
