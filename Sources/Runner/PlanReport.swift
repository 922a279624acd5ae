import Areas
import CSVStream
import Foundation
import Indicators
import Ingest
import Results

/// `healthgap plan check` and `healthgap plan explain`: a plan checked without running it.
public enum PlanReport {
    /// Parses and resolves a plan file (reading the lookups and the inputs' headers).
    ///
    /// - Parameter requireInputs: whether an unreadable input is an error (`check`) or not (`explain`).
    /// - Throws: `RunnerError.plan` with every mistake; `.unreadableInput`; `.pipeline` for unreadable lookups.
    public static func resolve(
        plan path: String, data: DataDirectory, inputFiles: [String: String] = [:], requireInputs: Bool
    ) throws(RunnerError) -> ResolvedPlan {
        let (parsed, issues, _) = try PlanParser.parse(file: path, inputFiles: inputFiles)
        guard let parsed else { throw .plan(issues) }
        let geography = try parsed.loadGeography(data: data)
        return try ResolvedPlan.resolve(parsed, issues: issues, geography: geography, requireInputs: requireInputs)
    }

    /// One line for `plan check`: what the plan will compute.
    public static func summary(_ resolved: ResolvedPlan) -> String {
        let plan = resolved.plan
        return
            "\(plan.path): ok: \(plan.indicators.count) indicators, \(resolved.areas.count) areas, \(plan.periods.count) periods: \(resolved.jobs.count) jobs, \(resolved.streamCount) SIIs at \(plan.repetitions) repetitions"
    }

    /// The plan in words, then one line per job, in run (and output) order.
    ///
    /// - Parameter repetitions: the repetitions `run` would use (the plan's unless overridden).
    public static func explain(_ resolved: ResolvedPlan, repetitions: Int? = nil, seed: UInt64? = nil) -> String {
        let plan = resolved.plan
        var lines: [String] = []
        lines.append("plan: \(plan.name) (\(plan.path))")
        for source in resolved.sources {
            let extra =
                source.extraColumns.isEmpty ? "" : " (and \(source.extraColumns.joined(separator: ", ")): deaths by cause)"
            lines.append(
                "input \(source.input.name): \(source.input.resolvedPath), read once: \(source.denominator) and \(source.numerator)\(extra) by LSOA, year, sex and \(source.bands == .le ? "life-table" : "ESP2013") age band (on_error: \(source.input.onError.rawValue))"
            )
        }
        lines.append(
            "deprivation: \(plan.imd == "imd2019" ? "IMD 2019" : plan.imd); local deciles within each local authority or Place")
        lines.append(
            "areas (\(resolved.areas.count)): "
                + resolved.areas.map { "\($0.type.rawValue) \($0.code) \($0.name)" }.joined(separator: "; "))
        lines.append("periods (\(plan.periods.count)): " + plan.periods.map(\.label).joined(separator: ", "))
        for indicator in resolved.indicators {
            let s = indicator.spec
            let described = MethodDescription.of(s.method)
            var words = ["\(s.method.rawValue) of \(s.numerator ?? "?") per \(s.denominator ?? "?")", "age \(s.ageLabel)"]
            if described.comparesGaps {
                words[1] = "the gap in life expectancy at birth by life-table age band (Arriaga, METHODS.md §10)"
                words += gapWords(indicator)
            }
            if !described.prevalenceKeys.isEmpty {
                let columns = described.prevalenceKeys.map { s.column(key: $0.key) ?? "?" }
                words.append(
                    "prevalence \(columns.joined(separator: " of ")) per life-table band (Sullivan, METHODS.md §9), also \(described.companionMeasures.map(\.rawValue).joined(separator: " and ")) rows"
                )
            }
            if MethodDescription.of(s.method).takesStandard {
                words.append(
                    "standard \(s.standard)\(s.ages.map { _ in " (\(indicator.methodBands.first ?? "")…\(indicator.methodBands.last ?? ""))" } ?? "")"
                )
            }
            if let multiplier = MethodDescription.of(s.method).defaultMultiplier, multiplier > 1 {
                words.append("per \(CSVWriter.format(s.multiplier))")
            }
            words.append("sexes \(s.sexes.map(\.rawValue).joined(separator: ", "))")
            words.append("levels \(s.levels.map(\.description).joined(separator: ", "))")
            words.append("breakdowns \((["none"] + s.schemes.map(\.rawValue)).joined(separator: ", "))")
            if !s.measures.isEmpty {
                let sii = s.measures.contains(.sii) || s.measures.contains(.rii)
                words.append(
                    "measures \(s.measures.map(\.rawValue).joined(separator: ", "))"
                        + (sii
                            ? " (SII value type \(s.valueType.rawValue)\(s.siiTransform ? ", on the \(s.valueType == .proportion ? "logit" : "log") scale" : ""))"
                            : ""))
            }
            if let polarity = s.polarity {
                words.append(
                    "judged (\(polarity.rawValue)): compared by \((s.comparison ?? plan.comparison).rawValue), trends and gap changes"
                )
            }
            if let goal = s.goal, let measure = s.measures.first {
                let target: String
                switch goal.target {
                case .value(let v): target = "\(measure.rawValue) of \(CSVWriter.format(v))"
                case .reduceGapBy(let share): target = "\(measure.rawValue) \(CSVWriter.format(share * 100))% smaller"
                }
                words.append("goal \(target) by \(goal.by) from \(goal.baseline)")
            }
            lines.append("indicator \(s.id) \"\(s.name)\": " + words.joined(separator: "; "))
        }
        if !resolved.benchmarks.isEmpty {
            let used = resolved.benchmarkAreas.map { resolved.areas[$0] }
            lines.append(
                "benchmarks (\(plan.benchmarks.map(\.kind.rawValue).joined(separator: ", "))): "
                    + used.map { "\($0.type.rawValue) \($0.code) \($0.name)" }.joined(separator: "; ")
                    + "; computed first, from the plan's inputs")
        }
        for note in resolved.skipped { lines.append("not computed: \(note)") }
        lines.append(
            "seed \(seed ?? plan.seed), \(repetitions ?? plan.repetitions) repetitions: \(resolved.jobs.count) jobs, \(resolved.streamCount) SIIs (streams 0…\(max(resolved.streamCount - 1, 0)) in job order)"
        )
        lines.append("")
        let header = ["job", "area_type", "area_code", "area_name", "indicator", "sex", "period", "breakdowns", "sii_streams"]
        var table: [[String]] = [header]
        for job in resolved.jobs {
            let area = resolved.areas[job.area]
            let streams =
                job.streamCount == 0
                ? "" : job.streamCount == 1 ? "\(job.firstStream)" : "\(job.firstStream)-\(job.firstStream + job.streamCount - 1)"
            table.append([
                "\(job.index + 1)", area.type.rawValue, area.code, area.name, resolved.indicators[job.indicator].spec.id,
                job.sex.rawValue, job.period.label, job.schemes.filter { $0 != .none }.map(\.rawValue).joined(separator: "+"),
                streams,
            ])
        }
        var widths = [Int](repeating: 0, count: header.count)
        for row in table { for (i, f) in row.enumerated() { widths[i] = max(widths[i], f.count) } }
        for row in table {
            var line = ""
            for (i, f) in row.enumerated() {
                line += i == header.count - 1 ? f : f.padding(toLength: widths[i] + 2, withPad: " ", startingAt: 0)
            }
            while line.hasSuffix(" ") { line.removeLast() }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    /// A gap decomposition's comparisons and causes, in words.
    static func gapWords(_ indicator: ResolvedIndicator) -> [String] {
        let s = indicator.spec
        var words: [String] = []
        let comparisons = s.compare.map { comparison -> String in
            switch comparison {
            case .mostVsLeast:
                let ends = s.schemes.filter { $0.quantiles > 0 }.map { "\($0.singular) 1 against \($0.quantiles)" }
                return "most_vs_least (\(ends.joined(separator: "; ")))"
            case .areaVsBenchmark:
                let benchmark = indicator.benchmark.map { "\($0.type.rawValue) \($0.code) \($0.name)" } ?? "?"
                return
                    "area_vs_benchmark (each area against \(benchmark)\(s.benchmark == nil ? ", the plan's widest area" : ""))"
            }
        }
        words.append("compare \(comparisons.joined(separator: ", ")): gap = comparator's e0 minus base's, in years")
        if s.causes.isEmpty {
            words.append("no causes (by age band only)")
        } else {
            let causes = s.causes.map { $0.name == $0.column ? $0.name : "\($0.name) (column \($0.column))" }
            words.append(
                "causes \(causes.joined(separator: ", ")), and other (the deaths they leave); rows gap_contribution by age band and cause"
            )
        }
        return words
    }
}
