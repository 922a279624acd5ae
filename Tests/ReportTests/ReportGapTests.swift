import Foundation
import Indicators
import Report
import Results
import Testing
import _TestSupport

/// The Place page's "What makes up the gap", from a gap decomposition's `gap_contribution` records.
@Suite struct ReportGapTests {
    static let gap = IndicatorLabel(id: "le_gap", name: "Gap in life expectancy by age and cause")

    /// Liverpool, men, the latest period: most against least deprived local quintile, a 10-year gap
    /// whose bands are 0.5 years each (20 bands) and whose causes are circulatory 3, cancer 2.5,
    /// external -0.5 and other 5 (each band split in the same proportions).
    static func records(period: Period = ReportFixture.periods[1]) -> [ResultRecord] {
        let causes: [(String, Double)] = [("circulatory", 0.3), ("cancer", 0.25), ("external", -0.05), ("other", 0.5)]
        var out: [ResultRecord] = []
        func record(_ age: String, _ cause: String, _ years: Double) -> ResultRecord {
            ResultRecord(
                indicator: gap, method: .leGapDecomposition, area: ReportFixture.places[0], sex: .male, age: age,
                period: period, imdEdition: "IMD 2019", scheme: .localQuintiles, quantile: "", measure: .gapContribution,
                value: years, limits: [], count: nil, denominator: nil, note: nil, cause: cause)
        }
        for age in LifeExpectancy.startAges.map(String.init) + ["all"] {
            let total = age == "all" ? 10 : 0.5
            out.append(record(age, "all", total))
            for (cause, share) in causes { out.append(record(age, cause, total * share)) }
        }
        return out
    }

    static func page(_ name: String, records: [ResultRecord]) throws -> String {
        let files = try ReportBuilder(store: ReportFixture.store(records), context: ReportFixture.context).build()
        return try #require(files.first { $0.path == name }).contents
    }

    @Test func thePlacePageSaysWhatMakesUpTheGap() throws {
        let records = ReportFixture.records() + Self.records(period: ReportFixture.periods[0]) + Self.records()
        let html = try Self.page("place-liverpool.html", records: records)
        #expect(
            html.contains(
                "<p>Men in the most deprived fifth of Liverpool&#39;s neighbourhoods can expect to live 10.0 years fewer than men in the least deprived fifth in 2020 to 2022. Of the gap, other causes 5.0 years (50%), circulatory 3.0 years (30%), cancer 2.5 years (25%) and external -0.5 years (-5%). Deaths before age 75 account for 8.0 years (80%) of it, deaths at 75 and over for 2.0 years (20%).</p>"
            ), "\(html)")
        #expect(html.contains("The largest part of the gap for men in Liverpool: other causes, 5.0 of 10.0 years"))
        #expect(html.contains("Deaths before age 75 make up 8.0 of the 10.0-year gap for men in Liverpool"))
        #expect(!html.contains("The gap by cause of death and by age band, in years: not available in this run."))
        // The decomposition is no beacon indicator: its rows are parts of a gap, not values of an area.
        #expect(!html.contains(">Gap in life expectancy by age and cause (men)<"))
        // St Helens has no decomposition: the placeholder stays.
        let other = try Self.page("place-st-helens.html", records: records)
        #expect(other.contains("The gap by cause of death and by age band, in years: not available in this run."))
    }

    @Test func theChartsTablesHoldTheYearsAndShares() throws {
        let files = try ReportBuilder(
            store: ReportFixture.store(ReportFixture.records() + Self.records()), context: ReportFixture.context
        ).build()
        let causes = try #require(files.first { $0.path == "tables/place-liverpool-le_gap-male-causes.csv" })
        let rows = causes.contents.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(
            rows == [
                "Cause of death,Years of the gap,Per cent of the gap", "Other causes,5.00,50.0", "Circulatory,3.00,30.0",
                "Cancer,2.50,25.0", "External,-0.50,-5.0",
            ])
        let ages = try #require(files.first { $0.path == "tables/place-liverpool-le_gap-male-ages.csv" })
        let bands = ages.contents.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(bands.count == 21 && bands[1] == "0,0.50,5.0" && bands[20] == "90+,0.50,5.0")
    }

    @Test func theStoreKeepsTheLatestPeriodsContributions() {
        let store = ReportFixture.store(Self.records() + Self.records(period: ReportFixture.periods[0]))
        let key = store.primaryGap(indicator: "le_gap", area: "E08000012", sex: .male)
        #expect(key?.scheme == .localQuintiles)
        #expect(key.flatMap { store.gaps[$0] }?.period == ReportFixture.periods[1])
        #expect(key.flatMap { store.gaps[$0] }?.records.count == 21 * 5)
    }
}
