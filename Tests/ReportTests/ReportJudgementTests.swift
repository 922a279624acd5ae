import Foundation
import Indicators
import Report
import Results
import Testing

// The judgements in the report (issue 11): the overview's table shows each value's comparison word
// with its symbol, the Place page's beacon rows the comparison and trend words, and "Is the gap
// changing?" the headline SII's gap change. A run without judgements keeps its dashes.

@Suite struct ReportJudgementTests {
    /// The fixture's records judged: Places compared with the ICB, the whole-area trend, the SII's change.
    static func judged() -> [ResultRecord] {
        ReportFixture.records().map { r in
            var r = r
            guard r.area.type == .place else { return r }
            if r.scheme == .none && r.measure == .value {
                let outcome: ComparisonOutcome = r.area.code == "E08000012" ? .worse : .similar
                r.comparisons = [
                    RecordComparison(benchmarkCode: ReportFixture.icb.code, benchmarkValue: 77, outcome: outcome, method: .ci95)
                ]
                r.trend = .cannotBeCalculated
            }
            if r.measure == .sii { r.gapChange = .widening }
            return r
        }
    }

    @Test func theOverviewTableShowsTheComparisonWithItsSymbol() throws {
        let files = try ReportBuilder(store: ReportFixture.store(Self.judged()), context: ReportFixture.context).build()
        let index = try #require(files.first { $0.path == "index.html" }).contents
        #expect(index.contains("<span class=\"tag\">▼ worse</span>"))
        #expect(index.contains("<span class=\"tag\">● similar</span>"))
        #expect(index.contains("how it compares with NHS Cheshire and Merseyside"))
        #expect(!index.contains("are not available in this run.</p>"))
    }

    @Test func thePlacePageShowsTheComparisonTrendAndGapChange() throws {
        let files = try ReportBuilder(store: ReportFixture.store(Self.judged()), context: ReportFixture.context).build()
        let page = try #require(files.first { $0.path == "place-liverpool.html" }).contents
        #expect(page.contains("<th scope=\"col\">Compared with NHS Cheshire and Merseyside</th>"))
        #expect(page.contains("<td>▼ worse</td><td>cannot be calculated</td>"))
        #expect(
            page.contains(
                "The gap in life expectancy at birth for men in Liverpool (slope index of inequality by local decile) widened significantly up to 2020 to 2022."
            ))
        #expect(!page.contains("(a test of the change) is not available in this run"))
    }

    @Test func aRunWithoutJudgementsKeepsItsDashes() throws {
        let files = try ReportBuilder(store: ReportFixture.store(), context: ReportFixture.context).build()
        let page = try #require(files.first { $0.path == "place-liverpool.html" }).contents
        #expect(page.contains("<th scope=\"col\">Compared with England</th>"))
        #expect(page.contains("<td>–</td><td>–</td>"))
        let index = try #require(files.first { $0.path == "index.html" }).contents
        #expect(
            index.contains("Comparison words and symbols (better, similar, worse than England) are not available in this run."))
        #expect(!index.contains("class=\"tag\""))
    }
}
