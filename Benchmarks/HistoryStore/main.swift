// Not a package-benchmark suite: a driver that builds a history store of England-sized nightly runs
// and times the two things issue 11 bounds (scripts/history-benchmark.sh runs it, release build):
//   HistoryStore insert STORE RUNS   append RUNS runs of about 1.5 million records each, timing each
//   HistoryStore show STORE          time `history show`'s query (open, latest run, revisions) 50 times
// A run is shaped like the England plan with every breakdown: 317 local authorities × 4 indicators ×
// 3 sexes × 9 rolling periods = 34,236 jobs, each with 28 value rows (whole area, local and national
// deciles, national quintiles, Core20/rest) and 16 gap measures: 1,506,384 records. Values drift
// from run to run so that later runs are revisions, not copies.
import Dispatch
import Foundation
import Indicators
import Results
import ResultsStore

func seconds(since start: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

let levels = ConfidenceLevel.defaults
let indicators = [
    ("le_birth", "Life expectancy at birth"), ("hle_birth", "Healthy life expectancy at birth"),
    ("mortality_u75", "Under 75 mortality rate from all causes"), ("mortality_all", "Mortality rate, all ages"),
]
let areas = (0..<317).map { String(format: "E0%07d", 6_000_001 + $0) }
let schemes: [(DeprivationScheme, [String])] = [
    (.none, [""]), (.localDeciles, (1...10).map(String.init)), (.nationalDeciles, (1...10).map(String.init)),
    (.nationalQuintiles, (1...5).map(String.init)), (.core20, ["core20", "rest"]),
]
let measures: [Measure] = [.sii, .rii, .absoluteRange, .relativeRange]

/// The records of one job, for run `night`.
func job(indicator: Int, area: Int, sex: SexSelection, period: Period, night: Int) -> [ResultRecord] {
    var out: [ResultRecord] = []
    out.reserveCapacity(44)
    let (id, name) = indicators[indicator]
    let label = AreaLabel(code: areas[area], name: "Authority \(area)", type: .la)
    let base = 70 + Double(area % 17) * 0.5 + Double(indicator) + Double(night) * 0.001
    func record(_ scheme: DeprivationScheme, _ quantile: String, _ measure: Measure, _ value: Double) -> ResultRecord {
        ResultRecord(
            indicator: IndicatorLabel(id: id, name: name), method: indicator < 2 ? .lifeExpectancy : .dsr, area: label,
            sex: sex, age: indicator < 2 ? "0" : "0-74", period: period, imdEdition: "IMD 2019", scheme: scheme,
            quantile: quantile, measure: measure, value: value,
            limits: levels.map { LevelLimits(level: $0, lower: value - $0.z * 0.31, upper: value + $0.z * 0.29) },
            count: 1_234, denominator: 56_789.5, note: nil)
    }
    for (scheme, cells) in schemes {
        for (k, cell) in cells.enumerated() { out.append(record(scheme, cell, .value, base + Double(k) * 0.7)) }
        if scheme != .none {
            for measure in measures { out.append(record(scheme, "", measure, 5.5 + Double(night) * 0.01)) }
        }
    }
    return out
}

/// Writes one night into `store` in windows of 64 jobs, as the runner hands them over; returns records and seconds.
func night(_ n: Int, into store: any ResultsStore) throws -> (Int, Double) {
    let start = DispatchTime.now().uptimeNanoseconds
    _ = try store.beginRun(
        StoredRun(
            time: 1_764_633_600 + Double(n) * 86_400, toolVersion: "0.1.0", planName: "England, every breakdown",
            planSHA256: "plan", inputSHA256: "counts=night\(n)", seed: 1, fingerprint: "night\(n)"))
    var window: [ResultRecord] = []
    var total = 0
    for indicator in indicators.indices {
        for area in areas.indices {
            for sex in [SexSelection.male, .female, .persons] {
                for first in 2010...2018 {
                    window += job(
                        indicator: indicator, area: area, sex: sex, period: Period(first: first, last: first + 2), night: n)
                    if window.count >= 64 * 44 {
                        try store.insert(window)
                        total += window.count
                        window.removeAll(keepingCapacity: true)
                    }
                }
            }
        }
    }
    try store.insert(window)
    total += window.count
    try store.commitRun()
    return (total, seconds(since: start))
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: HistoryStore insert STORE RUNS | show STORE")
    exit(64)
}
do {
    switch arguments[1] {
    case "insert":
        let runs = arguments.count > 3 ? Int(arguments[3]) ?? 1 : 1
        let store = try StoreOpener.open(arguments[2])
        let already = try store.runs().count
        for n in already..<(already + runs) {
            let (records, time) = try night(n, into: store)
            print(String(format: "run %d: %d records in %.2f s (%.0f records/s)", n + 1, records, time, Double(records) / time))
        }
        store.close()
    case "show":
        var times: [Double] = []
        var rows = 0
        for i in 0..<50 {
            let start = DispatchTime.now().uptimeNanoseconds
            let store = try StoreOpener.open(arguments[2])
            let filter = RecordFilter(
                indicator: indicators[i % 4].0, area: areas[(i * 37) % areas.count], sex: "Male", measure: nil)
            let csv = try HistoryShow.csv(store: store, filter: filter)
            store.close()
            times.append(seconds(since: start))
            rows = csv.split(separator: "\n").count - 1
        }
        times.sort()
        print(
            String(
                format: "history show (open, query, CSV; %d rows each): median %.1f ms, p90 %.1f ms, max %.1f ms over 50",
                rows, times[25] * 1000, times[45] * 1000, times[49] * 1000))
    default:
        print("usage: HistoryStore insert STORE RUNS | show STORE")
        exit(64)
    }
} catch {
    print("error: \(error)")
    exit(1)
}
