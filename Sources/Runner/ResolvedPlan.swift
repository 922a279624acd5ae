import Areas
import CSVStream
import Foundation
import Indicators
import Ingest
import Results

/// A plan checked against the lookups and the inputs' headers, expanded into jobs.
public struct ResolvedPlan: Sendable {
    /// The plan as parsed.
    public var plan: Plan
    /// The areas, in plan order, without repeats.
    public var areas: [PlanArea]
    /// The passes over input files.
    public var sources: [AggregationSource]
    /// The indicators, in plan order.
    public var indicators: [ResolvedIndicator]
    /// The jobs, in output order.
    public var jobs: [RunJob]
    /// Breakdowns left out because they do not apply (local deciles of a wide area), as sentences.
    public var skipped: [String]
    /// The union of every indicator's confidence levels, in first-seen order (the output columns).
    public var levels: [ConfidenceLevel]
    /// The total number of simulated SII computations.
    public var streamCount: Int
    /// The IMD file to read (`imd2019` or a resolved path).
    public var imd: String
    /// Each area's benchmarks (parallel to `areas`), in the plan's benchmark order; empty when no
    /// indicator has a polarity. A benchmark area the geographies do not name is computed too,
    /// after the plan's own areas (so their jobs and SII streams keep their places).
    public var benchmarks: [[AreaBenchmark]] = []

    /// The areas some area is compared with, ascending.
    public var benchmarkAreas: [Int] { Set(benchmarks.flatMap { $0.map(\.area) }).sorted() }

    /// The jobs of the benchmark areas, ascending: computed first, since every comparison needs them.
    public var benchmarkJobs: [Int] {
        let areas = Set(benchmarkAreas)
        return jobs.filter { areas.contains($0.area) }.map(\.index)
    }

    /// Checks `plan` against `geography` and the inputs' headers and expands it into jobs.
    ///
    /// - Throws: `RunnerError.plan` with every issue (plus `issues` found while parsing);
    ///   `RunnerError.unreadableInput` when the plan is sound but an input cannot be read (unless
    ///   `requireInputs` is false: `plan explain` needs no input).
    /// - Complexity: O(jobs + areas × local authorities).
    public static func resolve(
        _ plan: Plan, issues parseIssues: [PlanIssue], geography: Geography, requireInputs: Bool = true
    ) throws(RunnerError) -> ResolvedPlan {
        var resolver = PlanResolver(plan: plan, geography: geography)
        resolver.issues = parseIssues
        let resolved = resolver.run()
        if !resolver.issues.isEmpty {
            throw .plan(resolver.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        if requireInputs && !resolver.unreadable.isEmpty { throw .unreadableInput(resolver.unreadable) }
        return resolved
    }
}

/// The checks of `ResolvedPlan.resolve` (its benchmark and area rules in `PlanResolver+Areas.swift`,
/// its inputs and bands in `PlanResolver+Inputs.swift`).
struct PlanResolver {
    let plan: Plan
    let geography: Geography
    var issues: [PlanIssue] = []
    var unreadable: [PlanIssue] = []

    init(plan: Plan, geography: Geography) {
        self.plan = plan
        self.geography = geography
    }

    mutating func error(_ at: PlanLocation, _ message: String) {
        issues.append(PlanIssue(file: plan.path, line: at.line, column: at.column, message: message))
    }

    static let england = AreaResolver.england

    mutating func run() -> ResolvedPlan {
        var areas = expandAreas()
        let benchmarks = benchmarksOfAreas(&areas)
        var imd = plan.imd
        if imd.lowercased() != "imd2019" {
            if !imd.hasPrefix("/") {
                imd = URL(fileURLWithPath: plan.path).deletingLastPathComponent().appendingPathComponent(imd).standardized.path
            }
            if !FileManager.default.isReadableFile(atPath: imd) {
                error(plan.imdLocation, "lookups.imd: '\(plan.imd)' is neither imd2019 nor a readable file (looked for \(imd))")
            }
        }
        let headers = readHeaders()
        var sources: [AggregationSource] = []
        var indicators: [ResolvedIndicator] = []
        for spec in plan.indicators {
            guard
                let inputIndex = spec.input.flatMap({ name in plan.inputs.firstIndex { $0.name == name } })
                    ?? (plan.inputs.count == 1 ? 0 : nil)
            else { continue }
            let input = plan.inputs[inputIndex]
            let described = MethodDescription.of(spec.method)
            let prevalence = described.prevalenceKeys.map { spec.column(key: $0.key) }
            if let header = headers[input.name] ?? nil {
                let keyed: [(String, String?)] =
                    [("numerator", spec.numerator), ("denominator", spec.denominator)]
                    + zip(described.prevalenceKeys, prevalence).map { ($0.key, $1) }
                for (key, column) in keyed {
                    guard let column else { continue }
                    if header.index(of: column) == nil {
                        error(
                            spec.keyLocations[key] ?? spec.location,
                            "indicator '\(spec.id)': \(key) '\(column)' is not a column of \(input.file) (its columns: \(header.names.joined(separator: ", ")))"
                        )
                    }
                }
                for cause in spec.causes where header.index(of: cause.column) == nil {
                    error(
                        cause.location,
                        "indicator '\(spec.id)': cause '\(cause.name)': '\(cause.column)' is not a column of \(input.file) (its columns: \(header.names.joined(separator: ", ")))"
                    )
                }
            }
            guard let numerator = spec.numerator, let denominator = spec.denominator else { continue }
            let sourceIndex = source(input: input, numerator: numerator, denominator: denominator, sources: &sources)
            // Healthy life expectancy's second pass: healthy and surveyed, into the same (life-table) bands.
            var secondary: Int?
            if !prevalence.isEmpty {
                guard prevalence.count == 2, let healthy = prevalence[0], let surveyed = prevalence[1] else { continue }
                secondary = source(input: input, numerator: healthy, denominator: surveyed, sources: &sources)
            }
            // A gap decomposition's deaths by cause: more columns of the same pass.
            var causeSlots: [Int] = []
            for cause in spec.causes {
                if let slot = sources[sourceIndex].extraColumns.firstIndex(of: cause.column) {
                    causeSlots.append(slot)
                } else {
                    causeSlots.append(sources[sourceIndex].extraColumns.count)
                    sources[sourceIndex].extraColumns.append(cause.column)
                }
            }
            if var bound = bind(spec, source: sourceIndex, bands: sources[sourceIndex].bands) {
                bound.secondarySource = secondary
                bound.causeSlots = causeSlots
                if spec.compare.contains(.areaVsBenchmark) { bound.benchmark = benchmark(spec, areas: areas) }
                indicators.append(bound)
            }
            if spec.method == .isr, let reference = spec.reference, reference.lowercased() != "all",
                areaByCode(reference) == nil
            {
                error(
                    spec.keyLocations["reference"] ?? spec.location,
                    "indicator '\(spec.id)': reference '\(reference)' is not all, England (E92000001), a region, the ICB (E54000008), a Place or a local authority code"
                )
            }
        }
        let levels = plan.indicators.flatMap(\.levels).reduce(into: [ConfidenceLevel]()) { if !$0.contains($1) { $0.append($1) } }

        // Jobs: area, indicator, sex, period; breakdowns that apply to the area.
        var jobs: [RunJob] = []
        var skipped: [String] = []
        var stream = 0
        if issues.isEmpty {
            for (a, area) in areas.enumerated() {
                for (i, indicator) in indicators.enumerated() {
                    var schemes: [DeprivationScheme] = [.none]
                    for scheme in indicator.spec.schemes {
                        if scheme.isLocal && !area.takesLocalDeciles {
                            let words = scheme == .localDeciles ? "deciles" : "quintiles"
                            let sentence =
                                "\(indicator.spec.id): no local \(words) for \(area.type.rawValue) \(area.name) (\(area.code)): local \(words) are cut within one local authority or Place; wider areas use national \(words)"
                            if !skipped.contains(sentence) { skipped.append(sentence) }
                            continue
                        }
                        schemes.append(scheme)
                    }
                    // A gap decomposition with nothing to compare in this area has no job.
                    if MethodDescription.of(indicator.spec.method).comparesGaps {
                        let againstBenchmark = indicator.benchmark.map { $0.code != area.code || $0.type != area.type } ?? false
                        if schemes.count == 1 && !againstBenchmark {
                            if let benchmark = indicator.benchmark, !(indicator.spec.compare.contains(.mostVsLeast)) {
                                let sentence =
                                    "\(indicator.spec.id): the benchmark \(benchmark.name) (\(benchmark.code)) is not compared with itself"
                                if !skipped.contains(sentence) { skipped.append(sentence) }
                            }
                            continue
                        }
                    }
                    let perJob = SIIStreams.schemes(schemes, measures: indicator.spec.measures).count
                    for sex in indicator.spec.sexes {
                        for period in plan.periods {
                            jobs.append(
                                RunJob(
                                    index: jobs.count, area: a, indicator: i, sex: sex, period: period, schemes: schemes,
                                    firstStream: stream, streamCount: perJob))
                            stream += perJob
                        }
                    }
                }
            }
        }
        return ResolvedPlan(
            plan: plan, areas: areas, sources: sources, indicators: indicators, jobs: jobs, skipped: skipped,
            levels: levels, streamCount: stream, imd: imd, benchmarks: benchmarks)
    }
}
