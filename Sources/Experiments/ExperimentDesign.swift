import Areas
import Foundation
import Indicators
import Ingest
import NumericCore
import Runner

/// One row of `experiment.csv`: a variant's target and its true value.
public struct ExperimentTarget: Sendable, Equatable {
    /// The variant's id.
    public var variant: String
    /// What is estimated, e.g. `male/le0`, `female/decile3/le65`, `male/sii`, `persons/dsr`.
    public var name: String
    /// The value the estimates should centre on (see `Data/experiments/README.md`).
    public var truth: Double
}

/// An experiment resolved against the lookups: the selected LSOAs, their groups, populations and
/// expected deaths, the targets and their truths, and how each variant is computed.
///
/// Everything here is fixed; each replicate only draws deaths (`ExperimentDesign.replicate`).
public struct ExperimentDesign: Sendable {
    /// The experiment as read.
    public let experiment: Experiment
    /// The targets, in output order (variants in file order, then sex, group and age).
    public let targets: [ExperimentTarget]
    /// The number of selected LSOAs.
    public let lsoaCount: Int
    /// The distinct population scales, in order of first use.
    let scales: [Double]
    /// Per scale: expected deaths per selected LSOA × sex × band (pooled years), at i·40 + sex·20 + band.
    let means: [[Double]]
    /// Per scale: exp(−mean) of each of those, for the inversion sampler.
    let expNegativeMeans: [[Double]]
    /// Per scale: the schemes whose cells the variants of that scale read.
    let schemesOfScale: [[QuantileScheme]]
    /// Group (0-based) of each selected LSOA per scheme.
    let groupOf: [QuantileScheme: [Int]]
    /// Per scale and scheme: cell populations at g·40 + sex·20 + band.
    let cellPopulations: [[QuantileScheme: [Double]]]
    /// How each variant is computed.
    let plans: [VariantPlan]

    /// What one variant needs at run time.
    struct VariantPlan: Sendable {
        var spec: VariantSpec
        var scale: Int
        /// Index of its first target.
        var firstTarget: Int
        /// Ordinal of its first SII target among all SII targets (for the streams).
        var firstSIIStream: Int
        /// Life-table slots of `spec.atAges` (LE) or of `spec.atAge` (SII of LE).
        var slots: [Int]
        /// DSR: standard band of each of the 20 life-table bands (nil: outside the ages).
        var standardBand: [Int?]
        /// DSR: the standard's weights and labels (restricted to the ages).
        var weights: [Double]
        var bandLabels: [String]
    }

    /// Records per replicate: targets × (1 + 2 × levels) numbers.
    public var recordWidth: Int { 1 + 2 * experiment.levels.count }

    /// Resolves an experiment: loads the lookups and IMD 2019, then `resolve(_:geography:deprivation:data:)`.
    ///
    /// - Throws: `ExperimentError.input` for unreadable lookups; `.experiment` for codes or
    ///   breakdowns that the lookups reject (with their lines).
    public static func resolve(_ experiment: Experiment, data: DataDirectory) throws(ExperimentError) -> ExperimentDesign {
        let geography: Geography
        let deprivation: Deprivation
        do {
            geography = try Geography.load(data: data)
            deprivation = try Deprivation.load("imd2019", data: data, geography: geography)
        } catch {
            throw .input(error)
        }
        return try resolve(experiment, geography: geography, deprivation: deprivation, data: data)
    }

    /// Resolves an experiment with the lookups already loaded (IMD 2019, as `synth` uses).
    ///
    /// - Throws: `ExperimentError.experiment` for an unknown area code or a breakdown with an
    ///   empty group; `.input` when the population denominators cannot be read.
    /// - Complexity: O(selected LSOAs × (years + variants) × 40).
    public static func resolve(
        _ experiment: Experiment, geography: Geography, deprivation: Deprivation, data: DataDirectory
    ) throws(ExperimentError) -> ExperimentDesign {
        var issues: [PlanIssue] = []
        func issue(_ at: PlanLocation, _ message: String) {
            issues.append(PlanIssue(file: experiment.path, line: at.line, column: at.column, message: message))
        }

        // The selected LSOAs: england, or local authority, region and ICB codes.
        var authorities = Set<Int>()
        var everything = false
        for (code, at) in experiment.truth.areas {
            if code.lowercased() == "england" {
                everything = true
            } else if let la = geography.authorityIndex(code: code) {
                authorities.insert(la)
            } else if let region = geography.regions.firstIndex(where: { $0.code == code }) {
                for (i, la) in geography.localAuthorities.enumerated() where la.region == region { authorities.insert(i) }
            } else if let icb = geography.icbs.firstIndex(where: { $0.code == code }) {
                for (i, la) in geography.localAuthorities.enumerated() where la.icb == icb { authorities.insert(i) }
            } else {
                issue(
                    at,
                    "truth.areas: '\(code)' is not england nor a local authority, region or ICB code (e.g. E08000012, E12000002, E54000008)"
                )
            }
        }
        let chosen = everything ? Array(0..<geography.lsoaCount) : geography.lsoas(inAuthorities: authorities)
        let lsoas = chosen.filter { deprivation.decileOfLSOA[$0] > 0 }

        // Groups of each scheme the variants use.
        var groupOf: [QuantileScheme: [Int]] = [.none: [Int](repeating: 0, count: lsoas.count)]
        for variant in experiment.variants where groupOf[variant.deprivation] == nil && !lsoas.isEmpty {
            let scheme = variant.deprivation
            var groups: [Int]
            switch scheme {
            case .none:
                groups = [Int](repeating: 0, count: lsoas.count)
            case .nationalDeciles:
                groups = lsoas.map { Int(deprivation.decileOfLSOA[$0]) - 1 }
            case .nationalQuintiles:
                groups = lsoas.map { (Int(deprivation.decileOfLSOA[$0]) + 1) / 2 - 1 }
            case .localDeciles, .localQuintiles:
                let (q, tooSmall) = DeprivationQuantiles.assign(
                    values: lsoas.map { Double(deprivation.rankOfLSOA[$0]) }, quantiles: scheme.groupCount, invert: false)
                if tooSmall {
                    issue(
                        variant.deprivationLocation,
                        "variant '\(variant.id)': the areas have \(lsoas.count) LSOAs, too few for \(scheme.rawValue)")
                    continue
                }
                groups = q.map { ($0 ?? 1) - 1 }
            }
            let counts = groups.reduce(into: [Int](repeating: 0, count: scheme.groupCount)) { $0[$1] += 1 }
            if let empty = counts.firstIndex(of: 0) {
                issue(
                    variant.deprivationLocation,
                    "variant '\(variant.id)': \(scheme.rawValue): \(scheme.groupName(empty)) has no LSOA in the selected areas, so its quantiles are incomplete"
                )
                continue
            }
            groupOf[scheme] = groups
        }
        if lsoas.isEmpty && !experiment.truth.areas.isEmpty && issues.isEmpty {
            issue(experiment.truth.areas[0].location, "truth.areas: no ranked LSOA in these areas")
        }
        guard issues.isEmpty else { throw .experiment(issues) }

        // The schedule, and populations pooled over the years.
        let t = experiment.truth
        let schedule =
            (t.male == (79.4, 9.5) && t.female == (83.1, 7.5))
            ? SyntheticSchedule.calibrated : SyntheticSchedule.withTargets(male: t.male, female: t.female)
        var rates = [Double](repeating: 0, count: 2 * 11 * 20)
        for sex in 0..<2 {
            for d in 1...10 {
                for (b, m) in schedule.rates(sex: sex, decile: d).enumerated() { rates[(sex * 11 + d) * 20 + b] = m }
            }
        }
        let yearly: [Double]
        do {
            yearly = try SyntheticCounts.populations(lsoas: lsoas, years: t.years, geography: geography, data: data)
        } catch {
            throw .input(error)
        }
        let yearCount = t.years.count
        let rateIndex = lsoas.map { Int(deprivation.decileOfLSOA[$0]) }

        var scales: [Double] = []
        var schemesOfScale: [[QuantileScheme]] = []
        for v in experiment.variants {
            let s = v.populationScale ?? t.populationScale
            if !scales.contains(s) {
                scales.append(s)
                schemesOfScale.append([])
            }
            let index = scales.firstIndex(of: s)!
            if !schemesOfScale[index].contains(v.deprivation) { schemesOfScale[index].append(v.deprivation) }
        }
        var means: [[Double]] = []
        var expNegative: [[Double]] = []
        var cellPopulations: [[QuantileScheme: [Double]]] = []
        for (k, scale) in scales.enumerated() {
            var pop = [Double](repeating: 0, count: lsoas.count * 40)
            var mean = pop
            for i in lsoas.indices {
                for y in 0..<yearCount {
                    for c in 0..<40 { pop[i * 40 + c] += (scale * yearly[(i * yearCount + y) * 40 + c]).rounded() }
                }
                for c in 0..<40 { mean[i * 40 + c] = pop[i * 40 + c] * rates[((c / 20) * 11 + rateIndex[i]) * 20 + c % 20] }
            }
            means.append(mean)
            expNegative.append(mean.map { exp(-$0) })
            var cells: [QuantileScheme: [Double]] = [:]
            for scheme in schemesOfScale[k] {
                var sums = [Double](repeating: 0, count: scheme.groupCount * 40)
                let groups = groupOf[scheme]!
                for i in lsoas.indices {
                    for c in 0..<40 { sums[groups[i] * 40 + c] += pop[i * 40 + c] }
                }
                cells[scheme] = sums
            }
            cellPopulations.append(cells)
        }

        // True rates per scheme, group, sex and band: expected deaths over population, before
        // scaling (the scale cancels), from the years' populations.
        var truePopulation = [Double](repeating: 0, count: lsoas.count * 40)
        for i in lsoas.indices {
            for y in 0..<yearCount {
                for c in 0..<40 { truePopulation[i * 40 + c] += yearly[(i * yearCount + y) * 40 + c] }
            }
        }
        func trueCells(_ scheme: QuantileScheme) -> (deaths: [Double], populations: [Double]) {
            var d = [Double](repeating: 0, count: scheme.groupCount * 40)
            var p = d
            let groups = groupOf[scheme]!
            for i in lsoas.indices {
                for c in 0..<40 {
                    let n = truePopulation[i * 40 + c]
                    p[groups[i] * 40 + c] += n
                    d[groups[i] * 40 + c] += n * rates[((c / 20) * 11 + rateIndex[i]) * 20 + c % 20]
                }
            }
            return (d, p)
        }

        var targets: [ExperimentTarget] = []
        var plans: [VariantPlan] = []
        var siiStreams = 0
        let sexNames = ["male", "female"]
        for v in experiment.variants {
            let scale = scales.firstIndex(of: v.populationScale ?? t.populationScale)!
            var plan = VariantPlan(
                spec: v, scale: scale, firstTarget: targets.count, firstSIIStream: siiStreams, slots: [],
                standardBand: [], weights: [], bandLabels: [])
            let scheme = v.deprivation
            let (trueDeaths, truePopulations) = trueCells(scheme)
            func lifeExpectancies(sex: Int, group g: Int) -> [Double] {
                let base = g * 40 + sex * 20
                let m = (0..<20).map { trueDeaths[base + $0] / truePopulations[base + $0] }
                return LifeTable(deaths: m.map { $0 * 1e9 }, populations: [Double](repeating: 1e9, count: 20)).lifeExpectancy
            }
            let usesRates = v.method == .dsr || (v.method == .sii && v.of == .dsr)
            if usesRates {
                let base = v.standard == "esp1976" ? StandardPopulation.esp1976 : StandardPopulation.esp2013
                let standard: StandardPopulation
                do {
                    if let ages = v.ages { standard = try base.restricted(to: ages) } else { standard = base }
                } catch {
                    throw .experiment([
                        PlanIssue(
                            file: experiment.path, line: v.location.line, column: v.location.column,
                            message: "variant '\(v.id)': \(error.message)")
                    ])
                }
                plan.weights = standard.weights
                plan.bandLabels = standard.bands.map(\.label)
                plan.standardBand = (0..<20).map { b in
                    let start = LifeExpectancy.startAges[b]
                    let band = AgeBand(start: start, end: b + 1 < 20 ? LifeExpectancy.startAges[b + 1] - 1 : nil)
                    return standard.index(containing: band)
                }
            }
            func trueRate(sex: Int, group g: Int) -> (rate: Double, population: Double) {
                var weighted = 0.0
                var population = 0.0
                var deaths = [Double](repeating: 0, count: plan.weights.count)
                var pops = deaths
                for b in 0..<20 {
                    guard let j = plan.standardBand[b] else { continue }
                    deaths[j] += trueDeaths[g * 40 + sex * 20 + b]
                    pops[j] += truePopulations[g * 40 + sex * 20 + b]
                }
                for j in plan.weights.indices {
                    weighted += plan.weights[j] * deaths[j] / pops[j]
                    population += pops[j]
                }
                return (weighted / plan.weights.reduce(0, +) * v.multiplier, population)
            }
            switch v.method {
            case .lifeExpectancy:
                plan.slots = v.atAges.map { LifeExpectancy.startAges.firstIndex(of: $0)! }
                for sex in v.sexes {
                    for g in 0..<scheme.groupCount {
                        let e = lifeExpectancies(sex: sex, group: g)
                        for (age, slot) in zip(v.atAges, plan.slots) {
                            let parts = [sexNames[sex], scheme.groupName(g), "le\(age)"].filter { !$0.isEmpty }
                            targets.append(ExperimentTarget(variant: v.id, name: parts.joined(separator: "/"), truth: e[slot]))
                        }
                    }
                }
            case .dsr:
                for sex in v.sexes {
                    for g in 0..<scheme.groupCount {
                        let parts = [sexNames[sex], scheme.groupName(g), "dsr"].filter { !$0.isEmpty }
                        targets.append(
                            ExperimentTarget(
                                variant: v.id, name: parts.joined(separator: "/"), truth: trueRate(sex: sex, group: g).rate))
                    }
                }
            case .sii:
                plan.slots = [LifeExpectancy.startAges.firstIndex(of: v.atAge)!]
                for sex in v.sexes {
                    var values: [Double] = []
                    var populations: [Double] = []
                    for g in 0..<scheme.groupCount {
                        if v.of == .dsr {
                            let (rate, population) = trueRate(sex: sex, group: g)
                            values.append(rate)
                            populations.append(population)
                        } else {
                            values.append(lifeExpectancies(sex: sex, group: g)[plan.slots[0]])
                            populations.append((0..<20).reduce(0.0) { $0 + truePopulations[g * 40 + sex * 20 + $1] })
                        }
                    }
                    var options = SIIOptions(valueType: v.of == .dsr ? .rate : .untransformed, transform: v.transform)
                    options.levels = []
                    var unused = Xoshiro256StarStar(seed: 0)
                    let truth = try? SlopeIndexOfInequality.compute(
                        populations: populations, values: values,
                        standardErrors: [Double](repeating: 0, count: values.count), options: options, using: &unused)
                    let name = v.of == .dsr ? "sii_dsr" : "sii_le\(v.atAge)"
                    targets.append(
                        ExperimentTarget(
                            variant: v.id, name: "\(sexNames[sex])/\(name)", truth: truth?.sii.value ?? .nan))
                    siiStreams += 1
                }
            }
            plans.append(plan)
        }
        return ExperimentDesign(
            experiment: experiment, targets: targets, lsoaCount: lsoas.count, scales: scales, means: means,
            expNegativeMeans: expNegative, schemesOfScale: schemesOfScale, groupOf: groupOf,
            cellPopulations: cellPopulations, plans: plans)
    }
}
