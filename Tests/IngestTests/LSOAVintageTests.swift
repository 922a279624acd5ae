import Testing
import _TestSupport

@testable import Ingest

@Suite struct LSOAVintageTests {
    static let lookup = Fixtures.projectRoot.appendingPathComponent("Data/imd2025/lsoa11_lsoa21.csv.gz").path
    static let editions: LSOAEditions = try! LSOAEditions(lookupPath: lookup)

    @Test func codesAreTold2011Or2021ByWhichListHoldsThem() {
        let e = Self.editions
        #expect(e.counts.lsoa2011 == 34_753 && e.counts.lsoa2021 == 35_672)  // England and Wales
        #expect(e.membership("E01000001") == .both)  // City of London 001A, unchanged
        #expect(e.membership("E01033769") == .only2021)  // the first new English 2021 code
        #expect(e.membership("W01000001") == .only2011)  // merged into W01002008
        #expect(e.membership("E01999999") == .neither)
        let d2021 = e.detect(["E01000001", "E01033769", "E01035000", "", "ZZ99999999"])
        #expect(d2021.vintage == .lsoa2021 && d2021.unchanged == 1 && d2021.only2021 == 2 && d2021.problem == nil)
        let retired = "E01000010"  // Barking and Dagenham 015C, split into E01034473 and E01034474
        #expect(e.membership(retired) == .only2011)
        let d2011 = e.detect(["E01000001", retired])
        #expect(d2011.vintage == .lsoa2011)
        let mixed = e.detect([retired, "E01033769"])
        #expect(mixed.vintage == nil && mixed.problem?.contains("mixes LSOA editions") == true)
        #expect(e.detect(["E01000001"]).vintage == nil)  // unchanged codes serve either edition
    }

    @Test func areaCodesThatAreNotEnglishLSOAsHaveOneReason() {
        let e = Self.editions
        #expect(e.setAsideReason("E01000001") == nil)
        #expect(e.setAsideReason("") == .noFixedAbode && e.setAsideReason("ZZ9999999") == .noFixedAbode)
        #expect(e.setAsideReason("W01000001") == .outsideEngland && e.setAsideReason("S01006506") == .outsideEngland)
        #expect(e.setAsideReason("E01999999") == .unknownArea)
        #expect(e.setAsideReason("Liverpool") == .malformedArea)
    }

    @Test func theRealLookupConvertsEnglandWithTotalsKept() throws {
        let c = try LSOAConversion(lookupPath: Self.lookup)
        #expect(c.codes2011.count == 32_844 && c.codes2021.count == 33_755 && c.links.count == 33_855)
        let counts = (0..<c.codes2011.count).map { Double($0 % 7) }
        let population = (0..<c.codes2021.count).map { Double(1_000 + $0 % 500) }
        let out = try c.convert(counts, population2021: population)
        expectClose(out.reduce(0, +), counts.reduce(0, +), relative: 1e-12)
        // An unchanged LSOA keeps its count.
        let a = try #require(c.index(of2011: "E01000001")), b = try #require(c.index(of2021: "E01000001"))
        #expect(out[b] == counts[a])
    }

    /// A hand-made area: A unchanged; B and C merged into BC; D split into D1 and D2; E and F
    /// redrawn (complex) into E1 and E2, E reaching both and F only E2.
    @Test func splitsAreSharedByPopulationAndMergesSummed() throws {
        let codes11 = ["A", "B", "C", "D", "E", "F"]
        let codes21 = ["A", "BC", "D1", "D2", "E1", "E2"]
        let links: [LSOAConversion.Link] = [
            .init(from: 0, to: 0, change: .unchanged), .init(from: 1, to: 1, change: .merged),
            .init(from: 2, to: 1, change: .merged), .init(from: 3, to: 2, change: .split),
            .init(from: 3, to: 3, change: .split), .init(from: 4, to: 4, change: .complex),
            .init(from: 4, to: 5, change: .complex), .init(from: 5, to: 5, change: .complex),
        ]
        let c = try LSOAConversion(codes2011: codes11, codes2021: codes21, links: links)
        let population = [500.0, 900, 300, 100, 100, 300]
        let counts = [5.0, 2, 3, 8, 4, 7]
        let out = try c.convert(counts, population2021: population)
        #expect(out[0] == 5)  // unchanged: exact
        #expect(out[1] == 5)  // merged: 2 + 3, exact
        #expect(out[2] == 6 && out[3] == 2)  // split 8 by 300:100
        #expect(out[4] == 1 && out[5] == 3 + 7)  // E's 4 by 100:300, and all of F
        #expect(out.reduce(0, +) == counts.reduce(0, +))
        let shares = try c.shares(population2021: population)
        #expect(shares == [1, 1, 1, 0.75, 0.25, 0.25, 0.75, 1])
    }

    @Test func conversionErrorsNameTheLSOA() {
        let split: [LSOAConversion.Link] = [.init(from: 0, to: 0, change: .split), .init(from: 0, to: 1, change: .split)]
        let c = try! LSOAConversion(codes2011: ["D"], codes2021: ["D1", "D2"], links: split)
        #expect(throws: LSOAConversionError.self) { try c.convert([1], population2021: [0, 0]) }
        do { _ = try c.shares(population2021: [0, 0]) } catch {
            #expect(error.message.contains("2011 LSOA D is split into D1, D2"))
        }
        #expect(throws: LSOAConversionError.self) { try c.shares(population2021: [1]) }
        #expect(throws: LSOAConversionError.self) { try c.shares(population2021: [-1, 5]) }
        #expect(throws: LSOAConversionError.self) { try c.convert([1, 2], population2021: [1, 1]) }
        // A 2011 LSOA with no link, and an unchanged one with two.
        #expect(throws: LSOAConversionError.self) {
            try LSOAConversion(codes2011: ["A", "B"], codes2021: ["A"], links: [.init(from: 0, to: 0, change: .unchanged)])
        }
        #expect(throws: LSOAConversionError.self) {
            try LSOAConversion(
                codes2011: ["A"], codes2021: ["A", "B"],
                links: [.init(from: 0, to: 0, change: .unchanged), .init(from: 0, to: 1, change: .unchanged)])
        }
    }
}
