import Foundation
import Testing
import _TestSupport

@testable import Indicators

@Suite struct DeprivationQuantilesTests {
    typealias Row = [String: String]

    static func fixtureRows() throws -> [Row] {
        try Fixtures.table(Fixtures.reference("testdata_Quantiles__testdata_Quantiles.csv"))
    }

    /// The fixture's groups for one GroupSet (METHODS.md §7): IndSexReg by IndSexRef ×
    /// ParentCode, IndSex by IndSexRef, None as one group. Rows keep their file order.
    static func groups(_ rows: [Row], groupSet: String) -> [(key: String, rows: [Row])] {
        var order: [String] = []
        var byKey: [String: [Row]] = [:]
        for row in rows where row["GroupSet"] == groupSet {
            let key: String
            switch groupSet {
            case "IndSexReg": key = "\(row["IndSexRef"] ?? "")|\(row["ParentCode"] ?? "")"
            case "IndSex": key = row["IndSexRef"] ?? ""
            default: key = "all"
            }
            if byKey[key] == nil { order.append(key) }
            byKey[key, default: []].append(row)
        }
        return order.map { ($0, byKey[$0]!) }
    }

    @Test func fixtureHasTheDocumentedShape() throws {
        let rows = try Self.fixtureRows()
        #expect(rows.count == 1_017)
        #expect(Set(rows.compactMap { $0["QuantileNm"] }) == ["Decile", "Septile", "Quartile"])
        let none = rows.filter { $0["GroupSet"] == "None" }
        #expect(none.count == 491)
        #expect(none.filter { fixtureNumber($0["Value"]) != nil }.count == 485)
        #expect(Set(none.compactMap { $0["Test"] }) == ["Gooddata", "GooddataDups"])
    }

    /// Every row of the fixture's good groups gets exactly `QuantileInGrp` (empty: none).
    @Test(arguments: ["IndSexReg", "IndSex", "None"])
    func referenceQuantiles(groupSet: String) throws {
        let rows = try Self.fixtureRows().filter { $0["Test"] != "BadPolarity" }
        let groups = Self.groups(rows, groupSet: groupSet)
        #expect(!groups.isEmpty)
        var checked = 0
        for (key, group) in groups {
            let invert =
                groupSet == "None"
                ? true
                : try DeprivationQuantiles.invert(forPolarities: group.map { $0["Polarity"] ?? "" })
            let names = Set(group.map { $0["QuantileNm"] ?? "" })
            try #require(names.count == 1, "group \(key) has quantile names \(names)")
            let q = try #require(DeprivationQuantiles.quantileCount(named: names.first!))
            let values = group.map { fixtureNumber($0["Value"]) }
            let (quantiles, tooSmall) = DeprivationQuantiles.assign(values: values, quantiles: q, invert: invert)
            let expected = group.map { fixtureNumber($0["QuantileInGrp"]).map { Int($0) } }
            #expect(tooSmall == (values.compactMap { $0 }.count < q), "group \(key)")
            for i in group.indices {
                #expect(
                    quantiles[i] == expected[i],
                    "group \(key), area \(group[i]["AreaCode"] ?? "?"), value \(group[i]["Value"] ?? "?"): expected \(expected[i].map(String.init) ?? "none"), got \(quantiles[i].map(String.init) ?? "none")"
                )
                checked += 1
            }
        }
        #expect(checked == rows.filter { $0["GroupSet"] == groupSet }.count)
    }

    @Test func badPolarityGroupIsAnError() throws {
        let rows = try Self.fixtureRows().filter { $0["Test"] == "BadPolarity" }
        let groups = Self.groups(rows, groupSet: "IndSex")
        #expect(groups.count == 1)
        #expect(throws: IndicatorError.self) {
            try DeprivationQuantiles.invert(forPolarities: groups[0].rows.map { $0["Polarity"] ?? "" })
        }
    }

    // MARK: - By hand

    @Test func polarityLabels() throws {
        #expect(try DeprivationQuantiles.invert(forPolarities: ["RAG - Low is good", "True", " true "]))
        #expect(try !DeprivationQuantiles.invert(forPolarities: ["RAG - High is good", "False"]))
        #expect(throws: IndicatorError.self) { try DeprivationQuantiles.invert(forPolarities: ["Up"]) }
        #expect(throws: IndicatorError.self) { try DeprivationQuantiles.invert(forPolarities: []) }
    }

    @Test func quantileNames() {
        #expect(DeprivationQuantiles.quantileCount(named: "Decile") == 10)
        #expect(DeprivationQuantiles.quantileCount(named: "septiles") == 7)
        #expect(DeprivationQuantiles.quantileCount(named: "Quartile") == 4)
        #expect(DeprivationQuantiles.quantileCount(named: "Quintile") == 5)
        #expect(DeprivationQuantiles.quantileCount(named: "Tertile") == 3)
        #expect(DeprivationQuantiles.quantileCount(named: "median") == nil)
    }

    /// Ten values into quintiles: N/Q = 2, so ranks 1–2 → 1, 3–4 → 2, …, 9–10 → 5.
    /// Rank 3: ⌊6 − ⌈(11 − 3)/2⌉⌋ = 6 − 4 = 2.
    @Test func tenValuesIntoQuintiles() {
        let values: [Double?] = [10, 1, 9, 2, 8, 3, 7, 4, 6, 5]
        let up = DeprivationQuantiles.assign(values: values, quantiles: 5, invert: false)
        #expect(up.quantiles == [5, 1, 5, 1, 4, 2, 4, 2, 3, 3])
        #expect(!up.tooSmall)
        let down = DeprivationQuantiles.assign(values: values, quantiles: 5, invert: true)
        #expect(down.quantiles == [1, 5, 1, 5, 2, 4, 2, 4, 3, 3])
    }

    /// Ties take the smallest rank: values 1, 2, 2, 2, 3 in 5 quantiles (N/Q = 1):
    /// ranks 1, 2, 2, 2, 5 → q = 6 − (6 − rank) = rank → 1, 2, 2, 2, 5.
    /// Inverted (keys −3, −2, −2, −2, −1): 3 has rank 1, each 2 rank 2, 1 rank 5.
    @Test func tiesTakeTheSmallestRank() {
        let values: [Double?] = [1, 2, 2, 2, 3]
        #expect(DeprivationQuantiles.assign(values: values, quantiles: 5, invert: false).quantiles == [1, 2, 2, 2, 5])
        #expect(DeprivationQuantiles.assign(values: values, quantiles: 5, invert: true).quantiles == [5, 2, 2, 2, 1])
    }

    /// Missing values get nil and do not count in N; N < Q gives no quantiles at all.
    @Test func missingValuesAndSmallGroups() {
        let values: [Double?] = [3, nil, 1, .nan, 2]
        let three = DeprivationQuantiles.assign(values: values, quantiles: 3, invert: false)
        #expect(three.quantiles == [3, nil, 1, nil, 2])
        let four = DeprivationQuantiles.assign(values: values, quantiles: 4, invert: false)
        #expect(four.quantiles == [nil, nil, nil, nil, nil])
        #expect(four.tooSmall)
    }

    /// q = 0 becomes 1: N = 17, Q = 7, rank 1: 17/(17/7) is 7.000000000000001 in floating
    /// point, so ⌈⌉ = 8 and ⌊8 − 8⌋ = 0 → 1. Rank 17: ⌊8 − ⌈1/(17/7)⌉⌋ = 7.
    @Test func zeroQuantileBecomesOne() {
        #expect((17.0 / (17.0 / 7.0)).rounded(.up) == 8)
        let values = (1...17).map { Double?(Double($0)) }
        let q = DeprivationQuantiles.assign(values: values, quantiles: 7, invert: false).quantiles
        #expect(q.first == 1)
        #expect(q.last == 7)
        #expect(q.allSatisfy { ($0 ?? 0) >= 1 && ($0 ?? 0) <= 7 })
    }
}
