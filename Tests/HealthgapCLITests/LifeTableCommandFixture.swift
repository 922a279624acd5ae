import CSVStream
import Foundation
import Indicators
import _TestSupport

/// `Data/examples/le_example.csv` (2 areas × 2 sexes × the 20 life-table bands) with columns
/// added per row, written where the `hle` and `decompose` tests run the binary on it.
struct LifeTableCommandFixture {
    /// Column names.
    var header: [String]
    /// Rows of fields, in file order (line = index + 2).
    var rows: [[String]]

    /// The example as shipped.
    static func example() throws -> LifeTableCommandFixture {
        let (header, rows) = try Fixtures.rawTable(Fixtures.projectRoot.appendingPathComponent("Data/examples/le_example.csv"))
        return LifeTableCommandFixture(header: header, rows: rows)
    }

    /// The value of `column` in `row`.
    func field(_ row: [String], _ column: String) -> String { row[header.firstIndex(of: column)!] }

    /// The band index (0 = age 0, …, 19 = 90+) of a row.
    func band(_ row: [String]) -> Int {
        let start = try! AgeBand.resolve(labels: [field(row, "age_band")])[0].start
        return LifeExpectancy.startAges.firstIndex(of: start)!
    }

    /// A copy with a column added, its value computed from the row.
    func adding(_ name: String, _ value: (_ row: [String]) -> String) -> LifeTableCommandFixture {
        LifeTableCommandFixture(header: header + [name], rows: rows.map { $0 + [value($0)] })
    }

    /// A copy with `column` of the rows matching `match` set to `value`.
    func setting(_ column: String, to value: String, where match: (_ row: [String]) -> Bool) -> LifeTableCommandFixture {
        let c = header.firstIndex(of: column)!
        var copy = self
        for i in copy.rows.indices where match(copy.rows[i]) { copy.rows[i][c] = value }
        return copy
    }

    /// A copy without the rows matching `match`.
    func removing(where match: (_ row: [String]) -> Bool) -> LifeTableCommandFixture {
        LifeTableCommandFixture(header: header, rows: rows.filter { !match($0) })
    }

    /// The input line of the first row matching `match`.
    func line(where match: (_ row: [String]) -> Bool) -> Int { rows.firstIndex(where: match)! + 2 }

    /// The rows of one area and sex, in file order.
    func group(area: String, sex: String) -> [[String]] {
        rows.filter { field($0, "area") == area && field($0, "sex") == sex }
    }

    /// Writes the table to a new temporary directory and returns its path.
    func write(_ name: String = "input.csv") throws -> String {
        let url = try Healthgap.temporaryDirectory().appendingPathComponent(name)
        let text = ([header] + rows).map { $0.joined(separator: ",") }.joined(separator: "\n") + "\n"
        try text.write(to: url, atomically: true, encoding: .utf8)
        return url.path
    }

    /// The number in `column` of each row.
    func numbers(_ rows: [[String]], _ column: String) -> [Double?] { rows.map { Double(field($0, column)) } }

    /// The start age of each row.
    func startAges(_ rows: [[String]]) -> [Int] { rows.map { LifeExpectancy.startAges[band($0)] } }

    /// The areas and sexes of the example, in file order.
    static let areas = ["Example North", "Example South"]
    static let sexes = ["Female", "Male"]
}

/// A number as the commands write it.
func written(_ x: Double?) -> String { CSVWriter.format(x) }
