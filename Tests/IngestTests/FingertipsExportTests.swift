import CSVStream
import Foundation
import Indicators
import Ingest
import Testing
import _TestSupport

/// The path of a sample in `../shared/reference/fingertips/`.
private func sample(_ name: String) -> String {
    Fixtures.sharedPath("reference/fingertips/" + name)
}

/// The website's 26-column header, as in the samples.
private let header26 =
    "Indicator ID,Indicator Name,Parent Code,Parent Name,Area Code,Area Name,Area Type,Sex,Age,Category Type,Category,"
    + "Time period,Value,Lower CI 95.0 limit,Upper CI 95.0 limit,Lower CI 99.8 limit,Upper CI 99.8 limit,Count,"
    + "Denominator,Value note,Recent Trend,Compared to England value or percentiles,"
    + "Compared to Region value or percentiles,Time period Sortable,New data,Compared to goal"

/// A 26-field data row with `period`, `value` and `areaCode` substituted.
private func row26(period: String = "2018/19", value: String = "45.9", areaCode: String = "E92000001") -> String {
    "90280,Social contact,,,\(areaCode),England,England,Persons,18+ yrs,,,\(period),\(value),45.4,46.4,,,290535,632425,,"
        + "Cannot be calculated,Not compared,Not compared,20180000,,"
}

/// Reads every record of in-memory text.
private func records(_ text: String, name: String = "test.csv") throws(FingertipsExportError) -> [FingertipsRecord] {
    let export = try FingertipsExport(string: text, name: name)
    var out: [FingertipsRecord] = []
    while let record = try export.next() { out.append(record) }
    return out
}

@Suite struct FingertipsExportTests {
    // MARK: - The shared samples

    @Test func mainSample() throws {
        let export = try FingertipsExport(path: sample("fingertips_export_sample.csv"))
        #expect(export.layout == .export26)
        var all: [FingertipsRecord] = []
        while let record = try export.next() { all.append(record) }
        #expect(all.count == 822)
        #expect(all.first?.line == 2)
        #expect(all.filter { $0.lower99_8 == nil }.count == 752)
        #expect(all.filter { $0.value == nil }.count == 25)
        #expect(all.filter { $0.categoryType == nil && $0.category == nil }.count == 363)
        #expect(all.allSatisfy { $0.period.kind == .financial && $0.period.isAnnual })
        #expect(all.allSatisfy { $0.comparedToGoal == nil })

        // England ASCOF 1I(1), as published.
        let england = all.filter {
            $0.indicatorID == "90280" && $0.areaCode == "E92000001" && $0.categoryType == nil && $0.sex == "Persons"
                && $0.age == "18+ yrs"
        }
        #expect(england.map(\.period.firstYear) == Array(2010...2018))
        #expect(england.map(\.value) == [41.9, 42.3, 43.2, 44.5, 44.8, 45.4, 45.4, 46.0, 45.9])
        let latest = try #require(england.last)
        #expect(latest.period.text == "2018/19")
        #expect(latest.lower95 == 45.4 && latest.upper95 == 46.4)
        #expect(latest.count == 290535 && latest.denominator == 632425)
        #expect(latest.recentTrend == "Cannot be calculated")
        #expect(latest.areaType == "England" && latest.parentCode == nil)
        #expect(england.first?.count == nil && england.first?.denominator == 59555)
        // Fingertips published "Cannot be calculated" for this series: the counts before 2018/19 are empty.
        let points = england.map {
            TrendPoint(
                period: $0.period, value: $0.value, lower95: $0.lower95, upper95: $0.upper95, count: $0.count,
                denominator: $0.denominator)
        }
        let trend = try TrendTest.recentTrend(points, method: .proportionChiSquared, polarity: .highIsGood)
        #expect(trend.marker.fingertipsLabel == latest.recentTrend)
        #expect(trend.note == "count missing in 2014/15")

        // Full-precision limits and the data-quality note.
        let fifteen = try #require(england.first { $0.period.firstYear == 2015 })
        #expect(fifteen.lower95 == 45.0333663354641)
        let wirral = try #require(
            all.first { $0.areaCode == "E08000015" && $0.indicatorID == "90280" && $0.period.text == "2012/13" })
        #expect(wirral.valueNote == "There is a data quality issue with this value")
        #expect(wirral.areaName == "Wirral" && wirral.parentName == "North West region")
        #expect(wirral.comparedToEngland == "Similar" && wirral.comparedToRegion == "Similar")
        #expect(all.contains { $0.areaName == "St. Helens" })
    }

    @Test func deprivationDecilesFromCategories() throws {
        let all = try FingertipsExport.readAll(path: sample("fingertips_export_sample.csv"))
        let imd2019 = all.filter {
            $0.indicatorID == "90280" && $0.categoryType?.contains("IMD2019") == true && $0.period.text == "2018/19"
        }
        #expect(imd2019.count == 10)
        #expect(imd2019.compactMap(\.deprivation?.quantile) == Array(1...10))
        #expect(imd2019.allSatisfy { $0.deprivation?.quantiles == 10 })
        #expect(imd2019.first?.value == 45.6745623069001)
        #expect(imd2019.first?.category == "Most deprived decile (IMD2019)")
        // Quoted category types with commas are read whole.
        #expect(
            all.contains { $0.categoryType == "County & UA deprivation deciles in England (IMD2015, 4/19 geog.)" })
        #expect(all.filter { $0.deprivation != nil }.count == all.filter { $0.categoryType?.contains("depriv") == true }.count)
        #expect(all.first { $0.categoryType == "Ethnic groups" }?.deprivation == nil)
        #expect(DeprivationCategory(category: "Fifth less deprived decile (IMD2015,4/19 geo)")?.quantile == 6)
        #expect(DeprivationCategory(category: "Middle quintile (IMD2019)") == DeprivationCategory(quantile: 3, quantiles: 5))
        #expect(DeprivationCategory(category: "Least deprived quintile (IMD2019)")?.quantile == 5)
        #expect(DeprivationCategory(category: "Asian") == nil)
    }

    /// CRLF records, an indicator name with an embedded LF, and every row one field short of the header.
    @Test func raggedCRLFSample() throws {
        let all = try FingertipsExport.readAll(path: sample("fingertips_export_other_indicators_sample.csv"))
        #expect(all.count == 113)
        #expect(all.allSatisfy { $0.indicatorName == "Campylobacter incidence rate/100,000\n" })
        #expect(Set(all.map(\.period.text)) == ["2015", "2016", "2017"])
        #expect(all.allSatisfy { $0.period.kind == .calendar })
        let first = try #require(all.first)
        #expect(first.line == 2)
        #expect(first.areaType == "Country")
        #expect(first.value == 94.7261896202678)
        #expect(first.count == 51897 && first.denominator == 54786327)
        #expect(first.comparedToGoal == nil)
        // The embedded line break makes every record two lines long.
        #expect(all.dropFirst().first?.line == 4)
        #expect(all.contains { $0.age == "0-9 yrs" })
    }

    @Test func twentySevenColumnSample() throws {
        let export = try FingertipsExport(path: sample("fingertips_export_header_variant_27col.csv"))
        #expect(export.layout == .export27)
        #expect(export.header.count == 27)
        var all: [FingertipsRecord] = []
        while let record = try export.next() { all.append(record) }
        #expect(all.count == 30)
        #expect(all.allSatisfy { $0.timePeriodRange == "1y" && $0.comparedToRegion == nil })
        #expect(all.first?.count == 4018.333333)
        let halton = all.filter { $0.areaCode == "E06000006" }
        #expect(halton.map(\.period.text) == ["2019/20", "2020/21"])
        #expect(halton.last?.recentTrend == "Cannot be calculated")
        #expect(halton.last?.value == 82.2142491)
    }

    /// Underscored names, calendar years, rolling 5-year and 3-year periods.
    @Test func underscoredSample() throws {
        let export = try FingertipsExport(path: sample("fingertipsr_sample.csv"))
        #expect(export.layout == .export26)
        var all: [FingertipsRecord] = []
        while let record = try export.next() { all.append(record) }
        #expect(all.count == 165)
        #expect(all.filter { $0.value == nil }.count == 2)
        let suicide = all.filter { $0.indicatorID == "41001" }
        #expect(suicide.allSatisfy { $0.period == ReportingPeriod(kind: .calendar, firstYear: 2015, lastYear: 2017) })
        #expect(
            Set(all.map(\.period.canonical)) == [
                "2015", "2013", "2016/17", "2017/18", "2018", "2015 - 17", "2013 - 17", "2012 - 14",
            ])
        let england = try #require(all.first { $0.indicatorID == "90813" && $0.areaCode == "E92000001" })
        #expect(england.value == 421.2003255)
        #expect(england.lower99_8 == 414.8174754 && england.upper99_8 == 427.6517248)
        #expect(england.parentCode == nil)
        #expect(all.contains { $0.indicatorName == "Suicide crude rate 65+ years: per 100,000  (5 year average) " })
    }

    @Test func byteOrderMarkAndQuotedFields() throws {
        let text =
            "\u{FEFF}" + header26 + "\n" + row26().replacingOccurrences(of: "Social contact", with: "\"Social, contact\"") + "\n"
        let all = try records(text)
        #expect(all.count == 1)
        #expect(all.first?.indicatorID == "90280")
        #expect(all.first?.indicatorName == "Social, contact")
        #expect(all.first?.value == 45.9)
    }

    @Test func tidyFormat() throws {
        let text = """
            indicator,area,sex,age,period,value,lower95,upper95,lower99_8,upper99_8,category_type,category,count,denominator
            92901,E08000012,Male,All ages,2018 - 20,10.2,8.1,12.3,7.0,13.4,,,,
            92901,E08000012,Female,All ages,"2019/20 - 21/22",9.1,7.5,10.7,,,LSOA deprivation deciles,Most deprived decile,"1,234",5000

            """
        let export = try FingertipsExport(string: text)
        #expect(export.layout == .tidy)
        var all: [FingertipsRecord] = []
        while let record = try export.next() { all.append(record) }
        #expect(all.count == 2)
        #expect(all[0].period.canonical == "2018 - 20" && all[0].upper99_8 == 13.4)
        #expect(all[0].indicatorName == nil && all[0].areaName == nil)
        #expect(all[1].period.kind == .financial && all[1].period.yearCount == 3)
        #expect(all[1].count == 1234 && all[1].lower99_8 == nil)
        #expect(all[1].deprivation == DeprivationCategory(quantile: 1, quantiles: 10))
        // The project's own output names are accepted too; 99.8% limits are optional.
        let own = try records(
            "indicator,area,sex,age,period,value,lower95_0cl,upper95_0cl\nX,E1,Persons,All ages,2021,1,0.5,1.5\n")
        #expect(own.first?.lower95 == 0.5)
    }

    @Test func academicYearsWhenAsked() throws {
        let text = header26 + "\n" + row26() + "\n"
        let export = try FingertipsExport(string: text, splitYears: .academic)
        #expect(try export.next()?.period.kind == .academic)
    }

    // MARK: - Malformed exports

    @Test func unknownLayoutsNameWhatIsMissingAndUnrecognised() {
        let noPeriod = header26.replacingOccurrences(of: "Time period,", with: "Period,")
        #expect(
            throws: FingertipsExportError.unknownLayout(
                file: "bad.csv", header: noPeriod.components(separatedBy: ","), missing: ["Time period"],
                unrecognised: ["Period"])
        ) {
            try records(noPeriod + "\n", name: "bad.csv")
        }
        #expect(
            throws: FingertipsExportError.unknownLayout(
                file: "t.csv", header: ["indicator", "area", "sex", "age", "value", "lo", "upper95"],
                missing: ["period", "lower95"], unrecognised: ["lo"])
        ) {
            try records("indicator,area,sex,age,value,lo,upper95\n", name: "t.csv")
        }
        let error = FingertipsExportError.unknownLayout(
            file: "t.csv", header: ["area"], missing: ["indicator"], unrecognised: ["x"])
        #expect(
            error.description
                == "t.csv:1: the header is not the tidy format: no column \"indicator\"; unrecognised column \"x\". "
                + "Give a Fingertips data export as downloaded (26 or 27 columns) or the tidy format "
                + "(indicator, area, sex, age, period, value, lower95, upper95, lower99_8, upper99_8)")
    }

    @Test func unparseablePeriodNamesLineColumnAndValue() throws {
        let text = header26 + "\n" + row26() + "\n" + row26(period: "2018/20") + "\n"
        let expected = FingertipsExportError.csv(
            .invalidValue(
                file: "p.csv", line: 3, column: 12, columnName: "Time period", text: "2018/20",
                expected:
                    "a time period such as 2021, 2020 - 22, 2021/22, 2019/20 - 21/22 or 2022 Q1 "
                    + "(a split year ends in the next year (2018/19))"))
        #expect(throws: expected) { try records(text, name: "p.csv") }
        #expect(expected.line == 3 && expected.file == "p.csv")
        #expect(expected.description.hasPrefix("p.csv:3: column 12 (Time period): \"2018/20\" is not allowed"))
    }

    @Test func unparseableValueNamesLineColumnAndValue() {
        let text = header26 + "\n" + row26(value: "45.9x") + "\n"
        #expect(
            throws: FingertipsExportError.csv(
                .badNumber(file: "v.csv", line: 2, column: 13, columnName: "Value", text: "45.9x"))
        ) { try records(text, name: "v.csv") }
    }

    @Test func emptyKeysAndPeriodsAreErrors() {
        #expect(
            throws: FingertipsExportError.csv(
                .invalidValue(
                    file: "k.csv", line: 2, column: 5, columnName: "Area Code", text: "", expected: "an area code"))
        ) { try records(header26 + "\n" + row26(areaCode: "") + "\n", name: "k.csv") }
        #expect(
            throws: FingertipsExportError.csv(
                .invalidValue(
                    file: "k.csv", line: 2, column: 12, columnName: "Time period", text: "", expected: "a time period"))
        ) { try records(header26 + "\n" + row26(period: "") + "\n", name: "k.csv") }
    }

    /// A record may lack trailing remarks, never data; a long record is always an error.
    @Test func shortAndLongRecords() throws {
        let full = row26()
        let noGoal = String(full.dropLast())  // 25 fields, as in the ragged sample
        #expect(try records(header26 + "\n" + noGoal + "\n").count == 1)
        let fields = full.components(separatedBy: ",")
        let truncated = fields.prefix(14).joined(separator: ",")  // ends after the lower 95% limit
        #expect(
            throws: FingertipsExportError.csv(.wrongFieldCount(file: "s.csv", line: 2, expected: 26, found: 14))
        ) { try records(header26 + "\n" + truncated + "\n", name: "s.csv") }
        #expect(
            throws: FingertipsExportError.csv(.wrongFieldCount(file: "s.csv", line: 2, expected: 26, found: 27))
        ) { try records(header26 + "\n" + full + ",extra\n", name: "s.csv") }
    }

    @Test func brokenQuotesAndMissingFiles() {
        #expect(
            throws: FingertipsExportError.csv(
                .unterminatedQuote(file: "q.csv", line: 2, column: 2, columnName: "Indicator Name"))
        ) { try records(header26 + "\n90280,\"Social contact,,,\n", name: "q.csv") }
        #expect(throws: FingertipsExportError.self) {
            _ = try FingertipsExport(path: "/nonexistent/export.csv")
        }
    }
}
