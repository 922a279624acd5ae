import Areas
import CSVStream
import Foundation
import Indicators
import Ingest
import Results

/// An area a plan reports on, with the local authorities it is made of.
public struct PlanArea: Sendable, Equatable {
    /// England, a region, the ICB, a Place or a local authority (the long table's `area_type`).
    public var type: AreaType
    /// The ONS code (`E92000001` for England).
    public var code: String
    /// The name.
    public var name: String
    /// Indices into `Geography.localAuthorities`, ascending.
    public var authorities: [Int]

    /// Whether local deciles apply: they are cut within one local authority (= Place).
    public var takesLocalDeciles: Bool { type == .la || type == .place }

    /// The area as results name it.
    public var label: AreaLabel { AreaLabel(code: code, name: name, type: type) }
}

/// A benchmark of a plan area: which kind, and the benchmark area (an index into `ResolvedPlan.areas`).
public struct AreaBenchmark: Sendable, Equatable {
    /// England, the region or the ICB.
    public var kind: BenchmarkKind
    /// Index into `ResolvedPlan.areas`.
    public var area: Int
}

/// One pass over an input file: the two count columns it sums, and the bands it sums into.
public struct AggregationSource: Sendable {
    /// The input.
    public var input: PlanInput
    /// The numerator (events) column.
    public var numerator: String
    /// The denominator (population) column.
    public var denominator: String
    /// Life-table bands when a life expectancy needs them, else ESP2013 bands.
    public var bands: BandScheme
    /// More count columns summed in the same pass (a gap decomposition's deaths by cause), in the
    /// order first named by the plan's indicators.
    public var extraColumns: [String] = []
}

/// An indicator bound to its source and method bands.
public struct ResolvedIndicator: Sendable {
    /// The plan's indicator.
    public var spec: IndicatorSpec
    /// Index into `ResolvedPlan.sources`.
    public var source: Int
    /// For each source band, the method band it sums into, or −1 when outside the age range.
    public var bandMap: [Int]
    /// The method bands' labels (DSR: the standard's; ISR/crude/proportion: the source bands kept).
    public var methodBands: [String]
    /// The standard weights of a DSR, one per method band.
    public var weights: [Double]
    /// Index into `ResolvedPlan.sources` of the second pair of columns summed into the same cells
    /// (healthy life expectancy: healthy and surveyed, in life-table bands), or nil.
    public var secondarySource: Int? = nil
    /// A gap decomposition's causes: the position of each cause's column among its source's
    /// `extraColumns`, in the order of `spec.causes`.
    public var causeSlots: [Int] = []
    /// A gap decomposition's benchmark area (`area_vs_benchmark`), or nil.
    public var benchmark: PlanArea? = nil
}

/// One compute job: an indicator for one area, sex and period, with its deprivation breakdowns.
public struct RunJob: Sendable {
    /// Position in the deterministic job order (area, indicator, sex, period).
    public var index: Int
    /// Index into `ResolvedPlan.areas`.
    public var area: Int
    /// Index into `ResolvedPlan.indicators`.
    public var indicator: Int
    /// The sexes summed.
    public var sex: SexSelection
    /// The years pooled.
    public var period: Period
    /// The breakdowns computed: always `.none` first, then the indicator's that apply to the area.
    public var schemes: [DeprivationScheme]
    /// The first random stream of the job's simulated SIIs (one stream per SII/RII computed).
    public var firstStream: Int
    /// How many SII computations the job makes.
    public var streamCount: Int
}

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
        var resolver = Resolver(plan: plan, geography: geography)
        resolver.issues = parseIssues
        let resolved = resolver.run()
        if !resolver.issues.isEmpty {
            throw .plan(resolver.issues.sorted { ($0.line, $0.column) < ($1.line, $1.column) })
        }
        if requireInputs && !resolver.unreadable.isEmpty { throw .unreadableInput(resolver.unreadable) }
        return resolved
    }
}

/// The checks of `ResolvedPlan.resolve`.
private struct Resolver {
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

    // MARK: Benchmarks

    /// Each area's benchmarks in plan order, appending benchmark areas the geographies lack to `areas`.
    ///
    /// England has no region or ICB, a region no ICB, and an area is never its own benchmark; an
    /// area whose local authorities lie in several regions (or ICBs), or in none the lookups know,
    /// has no benchmark of that kind.
    func benchmarksOfAreas(_ areas: inout [PlanArea]) -> [[AreaBenchmark]] {
        guard !plan.benchmarks.isEmpty, plan.indicators.contains(where: { $0.polarity != nil }) else { return [] }
        let resolver = AreaResolver(geography: geography)
        var out: [[AreaBenchmark]] = []
        // A benchmark area added here has benchmarks of its own (an ICB its region, a region England),
        // so the loop runs on over what it appends; it ends, since each step goes to a wider area.
        var a = 0
        while a < areas.count {
            let area = areas[a]
            a += 1
            var list: [AreaBenchmark] = []
            for spec in plan.benchmarks {
                let code: String?
                switch spec.kind {
                case .england:
                    code = Self.england.code
                case .region:
                    let regions = Set(area.authorities.map { geography.localAuthorities[$0].region })
                    code =
                        area.type == .england || regions.count != 1
                        ? nil : regions.first.flatMap { $0 }.map { geography.regions[$0].code }
                case .icb:
                    let icbs = Set(area.authorities.map { geography.localAuthorities[$0].icb })
                    code =
                        [.england, .region].contains(area.type) || icbs.count != 1
                        ? nil : icbs.first.flatMap { $0 }.map { geography.icbs[$0].code }
                }
                guard let code, let benchmark = resolver.area(code: code), benchmark.code != area.code else { continue }
                let index: Int
                if let found = areas.firstIndex(where: { $0.code == benchmark.code && $0.type == benchmark.type }) {
                    index = found
                } else {
                    areas.append(benchmark)
                    index = areas.count - 1
                }
                list.append(AreaBenchmark(kind: spec.kind, area: index))
            }
            out.append(list)
        }
        return out
    }

    /// The index of the pass over `input` summing `numerator` and `denominator`, added if new.
    ///
    /// Its bands are the finest any method reading these two columns needs: life-table bands (with
    /// 85-89 and 90+) when a life expectancy reads them, as its deaths and population or as a
    /// healthy life expectancy's healthy and surveyed; else ESP2013 bands.
    func source(input: PlanInput, numerator: String, denominator: String, sources: inout [AggregationSource]) -> Int {
        if let found = sources.firstIndex(where: {
            $0.input.name == input.name && $0.numerator == numerator && $0.denominator == denominator
        }) {
            return found
        }
        let lifeTable = plan.indicators.contains { spec in
            let described = MethodDescription.of(spec.method)
            guard described.sourceBands == .le, (spec.input ?? plan.inputs.first?.name) == input.name else { return false }
            let pairs =
                [(spec.numerator, spec.denominator)]
                + (described.prevalenceKeys.count == 2
                    ? [(spec.column(key: described.prevalenceKeys[0].key), spec.column(key: described.prevalenceKeys[1].key))]
                    : [])
            return pairs.contains { $0.0 == numerator && $0.1 == denominator }
        }
        sources.append(
            AggregationSource(input: input, numerator: numerator, denominator: denominator, bands: lifeTable ? .le : .esp2013))
        return sources.count - 1
    }

    // MARK: Areas

    func areaByCode(_ code: String) -> PlanArea? { AreaResolver(geography: geography).area(code: code) }

    /// A gap decomposition's benchmark: the area its `benchmark` names, else the widest of the
    /// plan's areas (England, then a region, the ICB, a combined authority or group, a Place or
    /// local authority; the first listed among equals). Nil, with an issue, when there is none.
    mutating func benchmark(_ spec: IndicatorSpec, areas: [PlanArea]) -> PlanArea? {
        if let code = spec.benchmark {
            if let area = areas.first(where: { $0.code == code }) ?? areaByCode(code) { return area }
            error(
                spec.keyLocations["benchmark"] ?? spec.location,
                "indicator '\(spec.id)': benchmark '\(code)' is not England (E92000001), a region, the ICB (E54000008), a Place or a local authority code"
            )
            return nil
        }
        let order: [AreaType] = [.england, .region, .icb, .combinedAuthority, .group, .place, .la]
        let widest = order.lazy.compactMap { type in areas.first { $0.type == type } }.first
        guard let widest, areas.count > 1 else {
            error(
                spec.keyLocations["compare"] ?? spec.location,
                "indicator '\(spec.id)': area_vs_benchmark needs a benchmark: give benchmark: CODE (e.g. E92000001 for England); without it the plan's widest area is the benchmark, and this plan has \(areas.isEmpty ? "no area" : "only \(areas[0].name)")"
            )
            return nil
        }
        return widest
    }

    mutating func expandAreas() -> [PlanArea] {
        var out: [PlanArea] = []
        func add(_ area: PlanArea) {
            if !out.contains(where: { $0.code == area.code && $0.type == area.type }) { out.append(area) }
        }
        let icbCodes = geography.icbs.map(\.code).joined(separator: ", ")
        for spec in plan.geographies {
            switch spec.kind {
            case .england:
                if let area = areaByCode(Self.england.code) { add(area) }
            case .region, .regions:
                for (code, at) in spec.codes {
                    if spec.kind == .regions && code.lowercased() == "all" {
                        for r in geography.regions { if let area = areaByCode(r.code) { add(area) } }
                    } else if let area = areaByCode(code), area.type == .region {
                        add(area)
                    } else {
                        error(
                            at,
                            "geographies: '\(code)' is not a region code (E12000001 … E12000009)\(spec.kind == .regions ? " or all" : "")"
                        )
                    }
                }
            case .icb:
                for (code, at) in spec.codes {
                    if let area = areaByCode(code), area.type == .icb {
                        add(area)
                    } else {
                        error(at, icbMessage(code, known: icbCodes))
                    }
                }
            case .places:
                for (code, at) in spec.codes {
                    if code.lowercased() == "all" {
                        for p in geography.places { if let area = areaByCode(p.code) { add(area) } }
                    } else if let i = geography.icbs.firstIndex(where: { $0.code == code }) {
                        for la in geography.localAuthorities.indices where geography.localAuthorities[la].icb == i {
                            if let area = areaByCode(geography.localAuthorities[la].code) { add(area) }
                        }
                    } else {
                        error(at, "geographies.places: " + icbMessage(code, known: icbCodes) + "; or all")
                    }
                }
            case .place:
                for (code, at) in spec.codes {
                    if let area = areaByCode(code), area.type == .place {
                        add(area)
                    } else if geography.authorityIndex(code: code) != nil {
                        error(
                            at,
                            "geographies.place: '\(code)' is a local authority outside Cheshire and Merseyside; the project has Place lookups only there (use la: \(code))"
                        )
                    } else {
                        error(
                            at,
                            "geographies.place: '\(code)' is not a Place code (the Places of Cheshire and Merseyside are its nine local authority codes, e.g. E08000012 Liverpool)"
                        )
                    }
                }
            case .la, .las:
                for (code, at) in spec.codes {
                    if spec.kind == .las && code.lowercased() == "all" {
                        for la in geography.localAuthorities.indices {
                            let a = geography.localAuthorities[la]
                            add(PlanArea(type: .la, code: a.code, name: a.name, authorities: [la]))
                        }
                    } else if spec.kind == .las, let r = geography.regions.firstIndex(where: { $0.code == code }) {
                        for la in geography.localAuthorities.indices where geography.localAuthorities[la].region == r {
                            let a = geography.localAuthorities[la]
                            add(PlanArea(type: .la, code: a.code, name: a.name, authorities: [la]))
                        }
                    } else if let la = geography.authorityIndex(code: code) {
                        let a = geography.localAuthorities[la]
                        add(PlanArea(type: .la, code: a.code, name: a.name, authorities: [la]))
                    } else {
                        error(
                            at,
                            "geographies.\(spec.kind.rawValue): '\(code)' is not a local authority code of \(geography.sources.authorities.split(separator: "/").last ?? "the lookup") (e.g. E08000012)\(spec.kind == .las ? ", a region code, or all" : "")"
                        )
                    }
                }
            }
        }
        return out
    }

    func icbMessage(_ code: String, known: String) -> String {
        if code.hasPrefix("E54") {
            return
                "'\(code)' is an ICB code, but the project has an ICB lookup only for Cheshire and Merseyside (\(known)); it cannot tell which LSOAs are in \(code)"
        }
        return "'\(code)' is not an ICB code (the project's ICB lookup covers \(known))"
    }

    // MARK: Inputs

    /// Each input's header (nil where the file cannot be opened: recorded in `unreadable`), checking the key columns.
    mutating func readHeaders() -> [String: CSVHeader?] {
        var out: [String: CSVHeader?] = [:]
        for input in plan.inputs where !input.resolvedPath.isEmpty {
            let header: CSVHeader
            do {
                header = try CSVReader(path: input.resolvedPath, options: .init(chunkSize: 1 << 16)).header
            } catch let error as CSVError {
                if case .cannotOpen(_, let reason) = error {
                    unreadable.append(
                        PlanIssue(
                            file: plan.path, line: input.fileLocation.line, column: input.fileLocation.column,
                            message: "inputs.\(input.name): cannot open \(input.resolvedPath): \(reason)"))
                } else {
                    self.error(input.fileLocation, "inputs.\(input.name): \(error.description)")
                }
                out[input.name] = .some(nil)
                continue
            } catch {
                self.error(input.fileLocation, "inputs.\(input.name): \(error)")
                out[input.name] = .some(nil)
                continue
            }
            out[input.name] = header
            let columns = CountColumns(lsoa: input.lsoa, year: input.year, sex: input.sex, age: input.age)
            for key in [CountColumns.Key.lsoa, .year, .sex, .age] {
                if columns.index(of: key, in: header) == nil {
                    let at = input.columnLocations[key.rawValue] ?? input.fileLocation
                    let what =
                        columns.given(key).map { "column '\($0)'" }
                        ?? "no \(key.rawValue) column given, and default column '\(CountColumns.defaults[key]!.name)'"
                    error(
                        at,
                        "inputs.\(input.name): \(what) is not in \(input.file) (its columns: \(header.names.joined(separator: ", ")))"
                    )
                }
            }
        }
        return out
    }

    // MARK: Bands

    /// Binds an indicator to its source's bands, as its method describes.
    mutating func bind(_ spec: IndicatorSpec, source: Int, bands scheme: BandScheme) -> ResolvedIndicator? {
        do throws(MethodBindingError) {
            let bound = try MethodDescription.of(spec.method).bind(spec, scheme.bands ?? [])
            return ResolvedIndicator(
                spec: spec, source: source, bandMap: bound.bandMap, methodBands: bound.labels, weights: bound.weights)
        } catch {
            self.error(spec.keyLocations["ages"] ?? spec.location, "indicator '\(spec.id)': \(error.message)")
            return nil
        }

    }
}
