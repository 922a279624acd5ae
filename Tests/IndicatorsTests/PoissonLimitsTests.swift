import Foundation
import Testing
import _TestSupport

@testable import Indicators

// MARK: - Fixture helpers shared by the Indicators method tests

/// One row of a reference fixture, numbered from 2 (the line in the file), for test arguments and failure messages.
struct FixtureRow: Sendable, CustomTestStringConvertible {
    let file: String
    let line: Int
    let fields: [String: String]

    subscript(_ column: String) -> String { fields[column] ?? "" }
    /// The cell as a number; nil for empty or NA.
    func number(_ column: String) -> Double? { fixtureNumber(fields[column]) }

    var testDescription: String {
        let shown = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ")
        return "\(file):\(line) {\(shown)}"
    }
}

/// The rows of a fixture in `../shared/reference/phe/` (empty when it cannot be read; each
/// suite also checks the row count, so a missing file fails).
func fixtureRows(_ file: String) -> [FixtureRow] {
    guard let table = try? Fixtures.table(Fixtures.reference(file)) else { return [] }
    return table.enumerated().map { FixtureRow(file: file, line: $0.offset + 2, fields: $0.element) }
}

/// Rows grouped by the value of `column`, groups in order of first appearance.
func groupedRows(_ rows: [FixtureRow], by column: String) -> [(key: String, rows: [FixtureRow])] {
    var order: [String] = []
    var groups: [String: [FixtureRow]] = [:]
    for row in rows {
        let key = row[column]
        if groups[key] == nil { order.append(key) }
        groups[key, default: []].append(row)
    }
    return order.map { ($0, groups[$0] ?? []) }
}

/// A level written as in the fixtures: `95%`, `99.8%`.
func fixtureLevel(_ text: String) -> ConfidenceLevel? {
    Double(text.replacingOccurrences(of: "%", with: "")).flatMap { ConfidenceLevel($0) }
}

let level95 = ConfidenceLevel.ninetyFive
let level998 = ConfidenceLevel(99.8)!

// MARK: - Poisson and Wilson limits

@Suite struct PoissonLimitsTests {
    static let byarsWilsonFile = "testdata_Byars_Wilson__testdata_B_W.csv"
    static let byarsWilson = fixtureRows(byarsWilsonFile)

    @Test func byarsWilsonFixtureIsComplete() {
        #expect(Self.byarsWilson.count == 13)
    }

    /// testdata_B_W: Byar's limits on x, or Wilson limits on x/n, at 95% and 99.8% (1e-6 relative).
    @Test(arguments: byarsWilson)
    func byarsAndWilsonMatchTheReference(row: FixtureRow) throws {
        let level = try #require(fixtureLevel(row["confidence"]), "\(row)")
        let x = try #require(row.number("x"), "\(row)")
        let limits: ConfidenceLimits
        switch row["method"] {
        case "Byars":
            limits = PoissonLimits.byars(count: x, level: level)
        case "Wilson":
            let n = try #require(row.number("n"), "\(row)")
            limits = WilsonScore.limits(successes: x, trials: n, level: level)
        default:
            Issue.record("unknown method in \(row)")
            return
        }
        expectClose(limits.lower, row.number("lowercl"), relative: 1e-6, "lower, \(row)")
        expectClose(limits.upper, row.number("uppercl"), relative: 1e-6, "upper, \(row)")
    }

    @Test(arguments: ConfidenceLevel.defaults)
    func zeroCountHasExactLimitsWithLowerZero(level: ConfidenceLevel) {
        let limits = PoissonLimits.limits(count: 0, level: level)
        #expect(limits.lower == 0)
        // χ²(1 − α/2; 2)/2 = −ln(α/2) in closed form.
        expectClose(limits.upper, -Foundation.log(level.alpha / 2), relative: 1e-10, "O = 0 at \(level)")
        #expect(PoissonLimits.method(forCount: 0) == "Exact")
    }

    @Test func methodSwitchesToByarsAtTen() {
        #expect(PoissonLimits.method(forCount: 9) == "Exact")
        #expect(PoissonLimits.method(forCount: 9.99) == "Exact")
        #expect(PoissonLimits.method(forCount: 10) == "Byars")
        #expect(PoissonLimits.limits(count: 9, level: level95) == PoissonLimits.exact(count: 9, level: level95))
        #expect(PoissonLimits.limits(count: 10, level: level95) == PoissonLimits.byars(count: 10, level: level95))
    }

    @Test func exactAndByarsAgreeRoughlyNearTheSwitch() throws {
        // Not a reference value: the two methods should be within a few per cent at O = 10.
        let exact = PoissonLimits.exact(count: 10, level: level95)
        let byars = PoissonLimits.byars(count: 10, level: level95)
        let exactLower = try #require(exact.lower), byarsLower = try #require(byars.lower)
        let exactUpper = try #require(exact.upper), byarsUpper = try #require(byars.upper)
        #expect(abs(exactLower - byarsLower) / exactLower < 0.01)
        #expect(abs(exactUpper - byarsUpper) / exactUpper < 0.01)
        // The exact limits at O = 10, 95%: 4.795389 and 18.390356 (Garwood).
        expectClose(exact.lower, 4.795389, relative: 1e-6)
        expectClose(exact.upper, 18.390356, relative: 1e-6)
    }

    @Test func invalidCountsGiveMissingLimits() {
        #expect(PoissonLimits.limits(count: -1, level: level95) == .missing)
        #expect(PoissonLimits.byars(count: .nan, level: level95) == .missing)
        #expect(PoissonLimits.exact(count: .infinity, level: level95) == .missing)
    }

    @Test func wilsonAtTheEndsStaysInsideZeroOne() throws {
        let none = WilsonScore.limits(successes: 0, trials: 50, level: level95)
        let all = WilsonScore.limits(successes: 50, trials: 50, level: level95)
        #expect(none.lower == 0)
        #expect(try #require(none.upper) < 1)
        expectClose(all.upper, 1, absolute: 1e-15)
        #expect(WilsonScore.limits(successes: 3, trials: 0, level: level95) == .missing)
        #expect(WilsonScore.limits(successes: 4, trials: 3, level: level95) == .missing)
    }
}
