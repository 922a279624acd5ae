import Foundation
import Indicators
import Report
import Results

/// A small fixed run: an ICB and two Places, life expectancy (men and women) and an under-75 rate
/// (persons), local deciles with their SII, over two periods, one decile suppressed.
enum ReportFixture {
    static let icb = AreaLabel(code: "E54000008", name: "NHS Cheshire and Merseyside", type: .icb)
    static let places = [
        AreaLabel(code: "E08000012", name: "Liverpool", type: .place),
        AreaLabel(code: "E08000013", name: "St Helens", type: .place),
    ]
    static let le = IndicatorLabel(id: "le_birth", name: "Life expectancy at birth")
    static let u75 = IndicatorLabel(id: "mortality_u75", name: "Under 75 mortality rate (per 100,000)")
    static let periods = [Period(first: 2017, last: 2019), Period(first: 2020, last: 2022)]

    static func limits(_ v: Double, _ half: Double) -> [LevelLimits] {
        [
            LevelLimits(level: .ninetyFive, lower: v - half, upper: v + half),
            LevelLimits(level: ConfidenceLevel(0.998)!, lower: v - 1.6 * half, upper: v + 1.6 * half),
        ]
    }

    /// The records, in job order, for areas named as given (the escaping test renames them).
    static func records(areas: [AreaLabel] = [icb] + places, le: IndicatorLabel = le) -> [ResultRecord] {
        var out: [ResultRecord] = []
        for (a, area) in areas.enumerated() {
            for (p, period) in periods.enumerated() {
                for (indicator, method, sexes, age) in [
                    (le, IndicatorMethod.lifeExpectancy, [SexSelection.male, .female], "at birth"),
                    (u75, .dsr, [.persons], "0-74"),
                ] {
                    for sex in sexes {
                        let base: Double =
                            method == .lifeExpectancy
                            ? (sex == .male ? 77 : 81) - Double(a) * 0.8 + Double(p) * 0.1
                            : 520 + Double(a) * 40 - Double(p) * 5
                        func record(_ scheme: DeprivationScheme, _ q: String, _ m: Measure, _ v: Double?, _ half: Double)
                            -> ResultRecord
                        {
                            ResultRecord(
                                indicator: indicator, method: method, area: area, sex: sex, age: age, period: period,
                                imdEdition: "IMD 2019", scheme: scheme, quantile: q, measure: m, value: v,
                                limits: v == nil ? [] : limits(v!, half), count: m == .value ? 400 : nil,
                                denominator: m == .value ? (scheme == .none ? 50_000 : 5_000 + Double(q.count) * 100) : nil,
                                note: v == nil ? "fewer than 5,000 person-years" : nil)
                        }
                        out.append(record(.none, "", .value, base, 0.3))
                        let step = method == .lifeExpectancy ? 1.1 : -30
                        for d in 1...10 {
                            let suppressed = a == 2 && d == 4 && method == .lifeExpectancy
                            let v = base + (Double(d) - 5.5) * step
                            out.append(record(.localDeciles, "\(d)", .value, suppressed ? nil : v, 1.0))
                        }
                        let sii = a == 2 && method == .lifeExpectancy ? nil : step * 10
                        var s = record(.localDeciles, "", .sii, sii, abs(step) * 2)
                        if sii == nil { s.note = "a decile is suppressed" }
                        out.append(s)
                        out.append(record(.localDeciles, "", .rii, 1.1, 0.02))
                    }
                }
            }
        }
        return out
    }

    static let context = ReportContext(
        planName: "Fixture plan", planText: "name: Fixture plan\n",
        inputs: [ReportInput(name: "counts", path: "counts.csv", bytes: 10, sha256: String(repeating: "ab", count: 32))],
        run: "run-20260101T000000Z-00000000")

    static func store(_ records: [ResultRecord] = records()) -> ReportStore {
        var store = ReportStore()
        store.add(records)
        return store
    }
}
