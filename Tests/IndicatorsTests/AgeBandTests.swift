import Testing

@testable import Indicators

@Suite struct AgeBandTests {
    @Test(arguments: [
        ("0", "0"), ("1-4", "1-4"), ("05-09", "5-9"), ("00-04", "0-4"), ("85-89", "85-89"),
        ("90+", "90+"), ("90 +", "90+"), ("85 and over", "85+"), (" 1 - 4 ", "1-4"), ("0 to 4", "0-4"),
    ])
    func canonicalLabels(text: String, label: String) {
        #expect(AgeBand.canonicalLabel(text) == label)
    }

    @Test(arguments: ["", "abc", "-1", "9-5", "5-", "+"])
    func rejectsNonBands(text: String) {
        #expect(AgeBand.canonicalLabel(text) == nil)
    }

    @Test func bareStartAgesRunToTheNextStart() throws {
        let bands = try AgeBand.resolve(labels: ["0", "1", "5", "10", "90"])
        #expect(bands.map(\.label) == ["0", "1-4", "5-9", "10-89", "90+"])
    }

    @Test func unknownLabelIsAnErrorNamingIt() {
        #expect(
            throws: IndicatorError(
                "is not an age band (expected a start age such as 5, or a band such as 5-9 or 90+)", band: "old")
        ) {
            try AgeBand.resolve(labels: ["0-4", "old"])
        }
    }
}

@Suite struct StandardPopulationTests {
    @Test func europeanStandardsSumToOneHundredThousand() {
        #expect(StandardPopulation.esp2013.totalWeight == 100_000)
        #expect(StandardPopulation.esp2013.bands.count == 19)
        #expect(StandardPopulation.esp1976.totalWeight == 100_000)
        #expect(StandardPopulation.esp1976.bands.last?.label == "85+")
    }

    @Test func underSeventyFiveKeepsNinetyOneThousand() throws {
        let under75 = try StandardPopulation.esp2013.restricted(to: 0...74)
        #expect(under75.totalWeight == 91_000)
        #expect(under75.bands.last?.label == "70-74")
    }

    @Test func rangeThatCutsABandIsAnError() {
        #expect(throws: IndicatorError.self) { try StandardPopulation.esp2013.restricted(to: 0...72) }
    }
}

@Suite struct AgeBandMixedLabelTests {
    @Test func bareNumbersAmongRangesAreSingleYears() throws {
        let bands = try AgeBand.resolve(labels: ["0", "2-4", "5-9", "90+"])
        #expect(bands.map(\.label) == ["0", "2-4", "5-9", "90+"])
    }
}
