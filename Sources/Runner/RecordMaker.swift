import Indicators
import Results

/// Makes a job's records: the job's fixed fields (indicator, method, area, sex, age, period, IMD
/// edition) with one cell's breakdown, quantile, measure and estimate.
struct RecordMaker {
    private let indicator: IndicatorLabel
    private let method: IndicatorMethod
    private let area: AreaLabel
    private let sex: SexSelection
    private let age: String
    private let period: Period
    private let edition: String
    private let levels: [ConfidenceLevel]

    init(job: RunJob, context: RunContext) {
        let spec = context.resolved.indicators[job.indicator].spec
        indicator = IndicatorLabel(id: spec.id, name: spec.name)
        method = spec.method
        area = context.resolved.areas[job.area].label
        sex = job.sex
        age = spec.ageLabel
        period = job.period
        edition = context.edition
        levels = spec.levels
    }

    /// One record.
    func callAsFunction(scheme: DeprivationScheme, quantile: String, measure: Measure, cell: CellEstimate) -> ResultRecord {
        let (value, limits, note) = ResultRecord.fields(of: cell.estimate, levels: levels)
        return ResultRecord(
            indicator: indicator, method: method, area: area, sex: sex, age: age, period: period, imdEdition: edition,
            scheme: scheme, quantile: quantile, measure: measure, value: value, limits: limits, count: cell.count,
            denominator: cell.denominator, note: note.flatMap { $0.isEmpty ? nil : $0 })
    }
}
