import Foundation
import Indicators
import Results
import ResultsStore

/// Records and runs made in the tests: one indicator over areas, sexes and periods.
enum HistoryFixtures {
    /// A value record (or a cell of `scheme`) with 95% and 99.8% limits.
    static func record(
        indicator: String = "le_birth", area: String = "E08000012", sex: SexSelection = .persons,
        period: Period, quantile: String = "", scheme: DeprivationScheme = .none, measure: Measure = .value,
        value: Double?
    ) -> ResultRecord {
        let limits = ConfidenceLevel.defaults.map { level in
            LevelLimits(level: level, lower: value.map { $0 - level.z }, upper: value.map { $0 + level.z })
        }
        return ResultRecord(
            indicator: IndicatorLabel(id: indicator, name: "Life expectancy at birth"), method: .lifeExpectancy,
            area: AreaLabel(code: area, name: area == "E08000012" ? "Liverpool" : "Wirral", type: .place), sex: sex,
            age: "0", period: period, imdEdition: "IMD 2019", scheme: scheme, quantile: quantile, measure: measure,
            value: value, limits: value == nil ? [] : limits, count: value.map { $0 * 10 }, denominator: 12_345.5,
            note: value == nil ? "suppressed: too few deaths" : nil)
    }

    /// The first night: 2017-2019 and 2018-2020, two areas, two sexes.
    static let nightOne: [ResultRecord] = {
        var out: [ResultRecord] = []
        for area in ["E08000012", "E08000015"] {
            for sex in [SexSelection.male, .female] {
                out.append(record(area: area, sex: sex, period: Period(first: 2017, last: 2019), value: 76.25))
                out.append(record(area: area, sex: sex, period: Period(first: 2018, last: 2020), value: 76.5))
            }
        }
        return out
    }()

    /// The second night: 2018-2020 revised for Liverpool males, a new period 2019-2021, one value suppressed.
    static let nightTwo: [ResultRecord] = {
        var out: [ResultRecord] = []
        for area in ["E08000012", "E08000015"] {
            for sex in [SexSelection.male, .female] {
                out.append(record(area: area, sex: sex, period: Period(first: 2017, last: 2019), value: 76.250001))
                let revised = area == "E08000012" && sex == .male
                let suppressed = area == "E08000015" && sex == .female
                out.append(
                    record(
                        area: area, sex: sex, period: Period(first: 2018, last: 2020),
                        value: suppressed ? nil : revised ? 76.75 : 76.5))
                out.append(record(area: area, sex: sex, period: Period(first: 2019, last: 2021), value: 77))
            }
        }
        return out
    }()

    /// A run entry made at `time`.
    static func run(time: Double, seed: UInt64 = 1) -> StoredRun {
        StoredRun(
            time: time, toolVersion: "0.1.0", planName: "test plan", planSHA256: "ab", inputSHA256: "counts=cd",
            seed: seed, fingerprint: "ef\(Int(time))")
    }

    /// Writes a run of `records` into `store` in batches of `batch`, committed.
    @discardableResult
    static func write(_ records: [ResultRecord], to store: any ResultsStore, time: Double, batch: Int = 3) throws -> Int64 {
        let id = try store.beginRun(run(time: time))
        var start = 0
        while start < records.count {
            try store.insert(Array(records[start..<min(start + batch, records.count)]))
            start += batch
        }
        try store.commitRun()
        return id
    }

    /// A fresh temporary folder.
    static func folder() -> URL {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-history-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return dir
    }
}
