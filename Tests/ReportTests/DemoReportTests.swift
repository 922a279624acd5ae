import CSVStream
import Foundation
import Indicators
import Report
import Results
import Testing
import _TestSupport

/// Structural checks on the demo's report (`make demo` writes `demo/output/report/`): every Place
/// has a page, every chart has a title, a description, a caption and a data table, and the decile
/// tables' numbers equal the records of `results.csv`. Skipped, saying so, before `make demo`.
@Suite struct DemoReportTests {
    static let run = Fixtures.projectRoot.appendingPathComponent("demo/output").path
    static let present = FileManager.default.fileExists(atPath: run + "/report/index.html")
    static let reason = present ? "demo report at \(run)/report" : "no demo/output/report: run `make demo` first"

    /// Every record of the demo run.
    static func records() throws -> [ResultRecord] {
        let reader = try CSVReader(path: run + "/results.csv")
        let levels = ResultsCSV.levels(header: reader.header.names)
        let causes = ResultsCSV.hasCauseColumn(header: reader.header.names)
        var out: [ResultRecord] = []
        try reader.forEachRow { row in
            out.append(try ResultsCSV.record(fields: row.fields, levels: levels, causes: causes).get())
        }
        return out
    }

    @Test(.enabled(if: present, Comment(rawValue: reason)))
    func everyPlaceHasAPageAndEveryChartItsParts() throws {
        let records = try Self.records()
        let places = Set(records.filter { $0.area.type == .place }.map(\.area.name))
        #expect(places.count == 9)
        for place in places {
            let page = "\(Self.run)/report/place-\(AreaTablesConsumer.slug(place)).html"
            #expect(FileManager.default.fileExists(atPath: page), "no page for \(place)")
        }
        let pages = try FileManager.default.contentsOfDirectory(atPath: Self.run + "/report").filter {
            $0.hasSuffix(".html")
        }
        #expect(pages.count == places.count + 2)
        for name in pages {
            let html = try String(contentsOfFile: "\(Self.run)/report/\(name)", encoding: .utf8)
            #expect(html.utf8.count < 1_000_000, "\(name) is over 1 MB")
            let svgs = html.components(separatedBy: "<svg ").count - 1
            #expect(html.components(separatedBy: "<title id=").count - 1 == svgs, "\(name)")
            #expect(html.components(separatedBy: "<desc id=").count - 1 == svgs, "\(name)")
            let figures = html.components(separatedBy: "<figure class=\"chart\"").count - 1
            #expect(html.components(separatedBy: "<figcaption>").count - 1 == figures, "\(name)")
            #expect(html.components(separatedBy: "<details>").count - 1 == figures, "\(name)")
            #expect(!html.contains("https://"), "\(name) refers to another host")
        }
    }

    @Test(.enabled(if: present, Comment(rawValue: reason)))
    func decileTablesHoldTheRecordsNumbers() throws {
        let records = try Self.records()
        let latest = try #require(records.map(\.period).max())
        var checked = 0
        for r in records
        where r.area.type == .place && r.scheme == .localDeciles && r.measure == .value && r.period == latest {
            let file =
                "\(Self.run)/report/tables/place-\(AreaTablesConsumer.slug(r.area.name))-\(r.indicator.id)-\(r.sex.rawValue.lowercased())-gap.csv"
            guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { continue }
            let label = Wording.quantileLabel(r.quantile, scheme: .localDeciles)
            let row = try #require(text.components(separatedBy: "\r\n").first { $0.hasPrefix(label + ",") })
            #expect(row.components(separatedBy: ",")[1] == Wording.value(r.value, r.method), "\(file): \(row)")
            checked += 1
        }
        #expect(checked > 0)
    }
}
