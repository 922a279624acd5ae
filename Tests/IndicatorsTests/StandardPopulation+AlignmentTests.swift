import Testing
import _TestSupport

@testable import Indicators

@Suite struct StandardPopulationAlignmentTests {
    static let esp2013 = StandardPopulation.esp2013
    /// ESP2013's labels with `0-4` split into `0` and `1-4`.
    static let splitLabels = ["0", "1-4"] + StandardPopulation.esp2013.bands.dropFirst().map(\.label)

    static func bands(_ labels: [String]) throws -> [AgeBand] { try AgeBand.resolve(labels: labels) }

    @Test func finerBandsAreSummedIntoTheStandardBand() throws {
        let labels = Self.splitLabels
        let counts: [Double?] = labels.indices.map { Double($0 + 1) }
        let populations: [Double?] = labels.indices.map { _ in 100 }
        let aligned = try Self.esp2013.align(bands: Self.bands(labels), columns: [counts, populations])
        #expect(aligned.count == 2)
        #expect(aligned[0].count == 19)
        #expect(aligned[0][0] == 3)
        #expect(aligned[1][0] == 200)
        #expect(aligned[0][1] == 3)
        #expect(aligned[0][18] == 20)
    }

    @Test func nilPartsCountAsZeroUnlessAllAreNil() throws {
        let labels = Self.splitLabels
        var counts: [Double?] = labels.map { _ in 1 }
        counts[0] = nil  // `0` missing, `1-4` present: 0-4 = 1
        let allNil: [Double?] = labels.indices.map { $0 < 2 ? nil : 5 }
        let aligned = try Self.esp2013.align(bands: Self.bands(labels), columns: [counts, allNil])
        #expect(aligned[0][0] == 1)
        #expect(aligned[1][0] == nil)
        #expect(aligned[1][1] == 5)
    }

    @Test func rowsAreJoinedByBandNotPosition() throws {
        let reversed = Self.esp2013.bands.reversed()
        let labels = reversed.map(\.label)
        let counts: [Double?] = reversed.map { Double($0.start) }
        let aligned = try Self.esp2013.align(bands: Self.bands(labels), columns: [counts])
        #expect(aligned[0] == Self.esp2013.bands.map { Double($0.start) })
    }

    @Test func bandStraddlingTwoStandardBandsIsAnError() throws {
        let labels = ["0-4", "5-14"] + Self.esp2013.bands.dropFirst(3).map(\.label)
        #expect(
            throws: IndicatorError(
                "straddles standard bands 5-9 and 10-14 of ESP2013 (it cannot be split between them)", band: "5-14")
        ) {
            try Self.esp2013.align(bands: Self.bands(labels), columns: [labels.map { _ in 1 }])
        }
    }

    @Test func bandStraddlingTheEdgeOfTheSpanIsAnError() throws {
        let under75 = try Self.esp2013.restricted(to: 0...74)
        let labels = Self.esp2013.bands.prefix(14).map(\.label) + ["70-79", "80+"]
        #expect(
            throws: IndicatorError(
                "straddles the edge of standard population ESP2013's age span 0-74 "
                    + "(a band must lie wholly inside or wholly outside it)", band: "70-79")
        ) {
            try under75.align(bands: Self.bands(labels), columns: [labels.map { _ in 1 }])
        }
    }

    @Test func missingStandardBandIsAnErrorNamingIt() throws {
        let labels = Self.esp2013.bands.map(\.label).filter { $0 != "40-44" }
        #expect(throws: IndicatorError("is missing (every band of standard population ESP2013 is needed)", band: "40-44")) {
            try Self.esp2013.align(bands: Self.bands(labels), columns: [labels.map { _ in 1 }])
        }
    }

    @Test func repeatedBandIsAnError() throws {
        let labels = Self.esp2013.bands.map(\.label) + ["05-09"]
        #expect(throws: IndicatorError("is repeated", band: "5-9")) {
            try Self.esp2013.align(bands: Self.bands(labels), columns: [labels.map { _ in 1 }])
        }
    }

    @Test func overlappingBandsAreAnError() throws {
        let labels = ["0-2", "2-4"] + Self.esp2013.bands.dropFirst().map(\.label)
        #expect(throws: IndicatorError("overlaps band 0-2", band: "2-4")) {
            try Self.esp2013.align(bands: Self.bands(labels), columns: [labels.map { _ in 1 }])
        }
    }

    @Test func partlyCoveredStandardBandIsAnError() throws {
        let labels = ["0-1", "3-4"] + Self.esp2013.bands.dropFirst().map(\.label)
        #expect(throws: IndicatorError("is only partly covered by the group's bands (missing ages: 2)", band: "0-4")) {
            try Self.esp2013.align(bands: Self.bands(labels), columns: [labels.map { _ in 1 }])
        }
        let shortTop = Self.esp2013.bands.dropLast().map(\.label) + ["90-94"]
        #expect(throws: IndicatorError("is only partly covered by the group's bands (missing ages: 95+)", band: "90+")) {
            try Self.esp2013.align(bands: Self.bands(shortTop), columns: [shortTop.map { _ in 1 }])
        }
    }

    @Test func restrictingToUnder75DropsTheOlderRows() throws {
        let under75 = try Self.esp2013.restricted(to: 0...74)
        let labels = Self.esp2013.bands.map(\.label)
        let counts: [Double?] = labels.indices.map { Double($0) }
        let aligned = try under75.align(bands: Self.bands(labels), columns: [counts])
        #expect(aligned[0] == (0..<15).map { Double($0) })
        #expect(under75.totalWeight == 91_000)
    }

    @Test func openBandsNestInAnOpenStandardBand() throws {
        // ESP1976 ends at 85+: 85-89 and 90+ are summed into it.
        let labels = StandardPopulation.esp2013.bands.map(\.label)
        let counts: [Double?] = labels.map { _ in 1 }
        let aligned = try StandardPopulation.esp1976.align(bands: Self.bands(labels), columns: [counts])
        #expect(aligned[0].count == 18)
        #expect(aligned[0][17] == 2)
    }

    @Test func columnOfTheWrongLengthIsAnError() throws {
        #expect(throws: IndicatorError.self) {
            try Self.esp2013.align(bands: Self.bands(["0-4"]), columns: [[1, 2]])
        }
    }
}
