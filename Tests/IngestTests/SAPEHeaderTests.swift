import Indicators
import Testing

@testable import Ingest

@Suite struct SAPEHeaderTests {
    static let ages = (0...90).map(String.init)

    @Test func recognisesThe2021StyleWideHeader() throws {
        let header =
            ["LAD 2021 Code", "LAD 2021 Name", "LSOA 2021 Code", "LSOA 2021 Name", "Total"]
            + Self.ages.map { "F" + $0 } + Self.ages.map { "M" + $0 }
        let h = try SAPEHeader.detect(header: header, fileName: "data/sapelsoasyoa_mid2022_lsoa21.csv")
        #expect(h.lsoaColumn == 2 && h.vintage == .lsoa2021 && h.totalColumn == 4)
        #expect(h.year == 2022 && h.oldestAge == 90 && h.sexes == [.male, .female])
        #expect(h.column(sex: .female, age: 0) == 5 && h.column(sex: .female, age: 90) == 95)
        #expect(h.column(sex: .male, age: 0) == 96 && h.column(sex: .male, age: 90) == 186)
        #expect(h.column(sex: .persons, age: 0) == nil && h.column(sex: .male, age: 91) == nil)
        #expect(h.bands.count == 91 && h.bands.last == AgeBand(start: 90, end: nil))
    }

    @Test func recognisesThe2011StyleSheetPerSex() throws {
        let header = ["Area Codes", "LSOA", "All Ages"] + (0...89).map(String.init) + ["90+"]
        let h = try SAPEHeader.detect(header: header, fileName: "SAPE22DT2-mid-2019-lsoa-syoa-estimates-Females.csv")
        #expect(h.lsoaColumn == 0 && h.vintage == nil && h.totalColumn == 2 && h.year == 2019)
        #expect(h.sexes == [.female] && h.column(sex: .female, age: 90) == 93)
        let given = try SAPEHeader.detect(header: header, fileName: "sheet.csv", year: 2018, sheetSex: .male)
        #expect(given.sexes == [.male] && given.year == 2018)
        let lsoaCode = try SAPEHeader.detect(header: ["LSOA11CD"] + (0...90).map(String.init), sheetSex: .male)
        #expect(lsoaCode.vintage == .lsoa2011)
    }

    @Test func theYearIsTheFirstFourDigitYearOfTheName() {
        #expect(SAPEHeader.yearFromName("sapelsoasyoa_mid2021_lsoa21.csv") == 2021)
        #expect(SAPEHeader.yearFromName("/data/2019/pop_mid2020.csv") == 2020)  // the file name, not the folder
        #expect(SAPEHeader.yearFromName("lsoa21_population.csv") == nil)
        #expect(SAPEHeader.yearFromName("sapelsoasyoa20222024.csv") == 2022)
    }

    @Test(arguments: [
        (["Area", "F0", "M0"], "no LSOA code column"),
        (["LSOA 2021 Code", "Total"], "no single-year age columns"),
        (["LSOA 2021 Code"] + (0...90).map(String.init), "without a sex"),
        (["LSOA 2021 Code", "F0", "F1", "F3"], "no column for age 2"),
        (["LSOA 2021 Code", "F0", "F0"], "appears twice"),
        (["LSOA 2021 Code", "F0", "F1", "M0"], "different ages"),
    ])
    func badHeadersSayWhatIsMissing(header: [String], message: String) {
        do {
            _ = try SAPEHeader.detect(header: header, fileName: "pop.csv")
            Issue.record("\(header) was accepted")
        } catch {
            #expect(error.description.contains(message), "\(error)")
        }
    }
}
