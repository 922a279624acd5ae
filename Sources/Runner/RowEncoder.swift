import CSVStream
import Indicators
import Areas
import Ingest
import Results

/// The columns of the outputs, and one job's rows as CSV bytes.
///
/// The long table (`results.csv`) has one row per value or measure, Fingertips-like:
/// `indicator_id, indicator, method, area_code, area_name, area_type, sex, age, period,
/// imd_edition, deprivation_scheme, quantile, measure, value, lowerXX_Xcl, upperXX_Xcl, …,
/// count, denominator, note`. An area table holds one area's rows of one breakdown, without
/// the area and breakdown columns, and with the whole-area value as quantile `all`.
struct RowEncoder {
    private let longPrefix: [UInt8]
    private let tablePrefix: [UInt8]
    /// For each output level, the index of that level among the indicator's levels (nil: empty).
    private let levelSlots: [Int?]
    private let schemes: [DeprivationScheme]
    private let tables: Bool

    /// The long table's header for the run's levels.
    static func longHeader(levels: [ConfidenceLevel]) -> [String] {
        [
            "indicator_id", "indicator", "method", "area_code", "area_name", "area_type", "sex", "age", "period",
            "imd_edition", "deprivation_scheme", "quantile", "measure", "value",
        ] + limitColumns(levels) + ["count", "denominator", "note"]
    }

    /// An area table's header for the run's levels.
    static func tableHeader(levels: [ConfidenceLevel]) -> [String] {
        ["indicator_id", "indicator", "sex", "age", "period", "quantile", "measure", "value"] + limitColumns(levels)
            + ["count", "denominator", "note"]
    }

    static func limitColumns(_ levels: [ConfidenceLevel]) -> [String] {
        levels.flatMap { ["lower\($0.columnSuffix)cl", "upper\($0.columnSuffix)cl"] }
    }

    init(job: RunJob, context: RunContext) {
        let resolved = context.resolved
        let spec = resolved.indicators[job.indicator].spec
        let area = resolved.areas[job.area]
        func fields(_ values: [String]) -> [UInt8] {
            var out: [UInt8] = []
            for v in values {
                out.append(contentsOf: encodeField(v))
                out.append(0x2C)
            }
            return out
        }
        longPrefix = fields([
            spec.id, spec.name, spec.method.rawValue, area.code, area.name, area.type, job.sex.rawValue, spec.ageLabel,
            job.period.label, context.edition,
        ])
        tablePrefix = fields([spec.id, spec.name, job.sex.rawValue, spec.ageLabel, job.period.label])
        levelSlots = resolved.levels.map { spec.levels.firstIndex(of: $0) }
        schemes = job.schemes
        tables = resolved.plan.areaTables
    }

    /// Appends one row to the long table and to the area table(s) it belongs in.
    func append(scheme: DeprivationScheme, quantile: String, measure: String, cell: CellEstimate, into out: inout JobOutput) {
        var tail: [UInt8] = []
        tail.append(contentsOf: encodeField(measure))
        tail.append(0x2C)
        tail.append(contentsOf: Array(CSVWriter.format(cell.estimate.value).utf8))
        for slot in levelSlots {
            let limits = slot.flatMap { $0 < cell.estimate.limits.count ? cell.estimate.limits[$0] : nil } ?? .missing
            tail.append(0x2C)
            tail.append(contentsOf: Array(CSVWriter.format(limits.lower).utf8))
            tail.append(0x2C)
            tail.append(contentsOf: Array(CSVWriter.format(limits.upper).utf8))
        }
        tail.append(0x2C)
        tail.append(contentsOf: Array(CSVWriter.format(cell.count).utf8))
        tail.append(0x2C)
        tail.append(contentsOf: Array(CSVWriter.format(cell.denominator).utf8))
        tail.append(0x2C)
        let note = cell.estimate.note ?? ""
        tail.append(contentsOf: encodeField(note))
        tail.append(0x0A)

        out.long.append(contentsOf: longPrefix)
        out.long.append(contentsOf: encodeField(scheme.rawValue))
        out.long.append(0x2C)
        out.long.append(contentsOf: encodeField(quantile))
        out.long.append(0x2C)
        out.long.append(contentsOf: tail)
        out.rows += 1
        if !note.isEmpty { out.notes += 1 }

        guard tables else { return }
        let targets: [DeprivationScheme] =
            scheme == .none ? (schemes.count == 1 ? [.none] : schemes.filter { $0 != .none }) : [scheme]
        for target in targets {
            var row = tablePrefix
            row.append(contentsOf: encodeField(scheme == .none ? "all" : quantile))
            row.append(0x2C)
            row.append(contentsOf: tail)
            out.tables[target, default: []].append(contentsOf: row)
            out.tableRows[target, default: 0] += 1
        }
    }
}
