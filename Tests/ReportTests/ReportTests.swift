import Foundation
import Indicators
import Report
import Results
import Testing
import _TestSupport

/// Compares `text` with `Snapshots/NAME`, recording it when missing or when `RECORD_SNAPSHOTS=1`.
func expectSnapshot(_ text: String, named name: String, filePath: String = #filePath) {
    let url = URL(fileURLWithPath: filePath).deletingLastPathComponent().appendingPathComponent("Snapshots/\(name)")
    let record = ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] == "1"
    if record || !FileManager.default.fileExists(atPath: url.path) {
        try? FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try? Data(text.utf8).write(to: url)
        return
    }
    let expected = (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    #expect(text == expected, "snapshot \(name) differs; re-record with RECORD_SNAPSHOTS=1 and review the diff")
}

@Suite struct MarkupTests {
    @Test func escapesTheFiveCharacters() {
        #expect(Markup.escape("<b>\"Q&A\" 'x'</b>") == "&lt;b&gt;&quot;Q&amp;A&quot; &#39;x&#39;&lt;/b&gt;")
    }

    @Test(arguments: [
        (76.649, 1, "76.6"), (76.65, 1, "76.7"), (-0.04, 1, "0.0"), (-374.35, 1, "-374.4"), (2, 2, "2.00"),
        (0.005, 2, "0.01"),
    ])
    func fixedFormatting(x: Double, decimals: Int, expected: String) {
        #expect(Markup.fixed(x, decimals) == expected)
    }
}

@Suite struct ReportSnapshotTests {
    @Test func decileChartSVG() throws {
        let store = ReportFixture.store()
        let files = try ReportBuilder(store: store, context: ReportFixture.context).build()
        let page = try #require(files.first { $0.path == "place-liverpool.html" })
        let svg = try #require(page.contents.range(of: "<svg").map { page.contents[$0.lowerBound...] })
        let end = try #require(svg.range(of: "</svg>"))
        expectSnapshot(String(svg[..<end.upperBound]) + "\n", named: "liverpool-le-male-gap.svg")
    }

    @Test(arguments: ["index.html", "place-liverpool.html", "place-st-helens.html", "methods.html"])
    func pageHTML(_ name: String) throws {
        let files = try ReportBuilder(store: ReportFixture.store(), context: ReportFixture.context).build()
        let page = try #require(files.first { $0.path == name })
        expectSnapshot(page.contents, named: name)
    }
}

@Suite struct ReportStructureTests {
    @Test func everyPlaceHasAPageAndEveryChartItsParts() throws {
        let files = try ReportBuilder(store: ReportFixture.store(), context: ReportFixture.context).build()
        let paths = Set(files.map(\.path))
        #expect(paths.contains("index.html") && paths.contains("methods.html"))
        for place in ReportFixture.places {
            #expect(paths.contains("place-\(place.name.lowercased().replacingOccurrences(of: " ", with: "-")).html"))
        }
        for file in files where file.path.hasSuffix(".html") {
            let html = file.contents
            #expect(
                !html.contains("http://")
                    || !html.replacingOccurrences(of: "http://www.w3.org/2000/svg", with: "").contains("http://"))
            #expect(!html.contains("https://"), "\(file.path) refers to another host")
            let svgs = html.components(separatedBy: "<svg ").count - 1
            #expect(html.components(separatedBy: "role=\"img\"").count - 1 == svgs, "\(file.path)")
            #expect(html.components(separatedBy: "<title id=").count - 1 == svgs, "\(file.path)")
            #expect(html.components(separatedBy: "<desc id=").count - 1 == svgs, "\(file.path)")
            let figures = html.components(separatedBy: "<figure class=\"chart\"").count - 1
            #expect(html.components(separatedBy: "<details>").count - 1 == figures, "\(file.path)")
            #expect(html.components(separatedBy: "<figcaption>").count - 1 == figures, "\(file.path)")
            #expect(html.utf8.count < 1_000_000)
        }
    }

    @Test func chartTablesHoldTheRecordsNumbers() throws {
        let records = ReportFixture.records()
        let files = try ReportBuilder(store: ReportFixture.store(records), context: ReportFixture.context).build()
        let csv = try #require(files.first { $0.path == "tables/place-liverpool-le_birth-male-gap.csv" })
        let rows = csv.contents.dropFirst().components(separatedBy: "\r\n").filter { !$0.isEmpty }.dropFirst()
        let deciles = records.filter {
            $0.area.name == "Liverpool" && $0.indicator.id == "le_birth" && $0.sex == .male && $0.scheme == .localDeciles
                && $0.measure == .value && $0.period == ReportFixture.periods[1]
        }
        #expect(deciles.count == 10)
        for (row, record) in zip(rows, deciles) {
            let cells = row.components(separatedBy: ",")
            #expect(cells[1] == Markup.fixed(record.value!, 1), "\(row)")
            #expect(cells[2] == Markup.fixed(record.limits[0].lower!, 1), "\(row)")
        }
        #expect(rows.contains { $0.hasPrefix("1 – most deprived 10%,") })
        #expect(rows.contains { $0.hasPrefix("10 – least deprived 10%,") })
    }

    @Test func suppressedDecileIsAGapWithItsReason() throws {
        let files = try ReportBuilder(store: ReportFixture.store(), context: ReportFixture.context).build()
        let page = try #require(files.first { $0.path == "place-st-helens.html" })
        #expect(page.contents.contains(">suppressed</text>"))
        #expect(page.contents.contains("fewer than 5,000 person-years"))
    }

    @Test func sentenceNamesTheGapAsTablesRoundIt() throws {
        let files = try ReportBuilder(store: ReportFixture.store(), context: ReportFixture.context).build()
        let page = try #require(files.first { $0.path == "place-liverpool.html" })
        #expect(
            page.contents.contains(
                "Men in the most deprived tenth of Liverpool&#39;s neighbourhoods can expect to live 11.0 years fewer than men in the least deprived tenth (95% CI 8.8 to 13.2) in 2020 to 2022."
            ))
    }

    @Test func storeKeepsOnlyTheLatestCells() {
        let store = ReportFixture.store()
        #expect(store.latestCells.values.allSatisfy { $0.period == ReportFixture.periods[1] })
        #expect(store.latestCells.values.allSatisfy { $0.records.count == 10 })
    }
}

@Suite struct ReportEscapingTests {
    static let hostile = "<b>\"Q&A\" 'x'</b>"

    @Test func hostileNamesRenderAsTextEverywhere() throws {
        let areas = [
            AreaLabel(code: "E54000008", name: Self.hostile, type: .icb),
            AreaLabel(code: "E08000012", name: Self.hostile, type: .place),
        ]
        let records = ReportFixture.records(areas: areas, le: IndicatorLabel(id: "le_birth", name: Self.hostile))
        var context = ReportFixture.context
        context.planName = Self.hostile
        context.planText = Self.hostile
        let files = try ReportBuilder(store: ReportFixture.store(records), context: context).build()
        for file in files where file.path.hasSuffix(".html") {
            #expect(!file.contents.contains("<b>"), "\(file.path) has markup from data")
            #expect(!file.contents.contains("\"Q&A\""), "\(file.path)")
            #expect(!file.contents.contains("'x'"), "\(file.path)")
            #expect(file.contents.contains("&lt;b&gt;"), "\(file.path) lost the name")
        }
    }
}
