import Areas
import Foundation
import Indicators
import Ingest
import Results
import Yams

// The judgement keys of an indicator (METHODS.md §11, §12): polarity, comparison, benchmarks, goal;
// and, below, the keys of a gap decomposition.
extension NodeReader {
    // MARK: Judgements (METHODS.md §11, §12)

    /// `benchmarks: [england, region, icb]`: each kind once.
    mutating func benchmarkList(_ node: Node) -> [BenchmarkSpec] {
        guard let list = items(node, "benchmarks") else { return [] }
        var out: [BenchmarkSpec] = []
        let names = BenchmarkKind.allCases.map(\.rawValue)
        for item in list {
            if item.mapping != nil {
                error(
                    item,
                    "benchmarks: published benchmark values ({file: …}) are not read by this version; name benchmarks the plan's inputs cover: \(names.joined(separator: ", "))"
                )
                continue
            }
            guard let text = scalar(item, "benchmarks") else { continue }
            guard let kind = BenchmarkKind(rawValue: text.lowercased()) else {
                let hint = closest(text, names).map { "; did you mean '\($0)'?" } ?? ""
                error(item, "benchmarks: '\(text)' is not one of \(names.joined(separator: ", "))\(hint)")
                continue
            }
            if out.contains(where: { $0.kind == kind }) {
                error(item, "benchmarks: '\(text)' is given twice")
                continue
            }
            out.append(BenchmarkSpec(kind: kind, location: location(item)))
        }
        if list.isEmpty { error(node, "benchmarks: the list is empty; name england, region or icb, or leave the key out") }
        return out
    }

    /// `ci95`, `ci95_99_8`, `overlap` or `control_limits`.
    mutating func comparisonMethod(_ node: Node, _ what: String) -> ComparisonMethod? {
        guard let text = scalar(node, what) else { return nil }
        let names = ComparisonMethod.allCases.map(\.rawValue)
        guard let method = ComparisonMethod(rawValue: text.lowercased()) else {
            let hint = closest(text, names).map { "; did you mean '\($0)'?" } ?? ""
            error(node, "\(what): '\(text)' is not one of \(names.joined(separator: ", "))\(hint)")
            return nil
        }
        return method
    }

    /// `{baseline: 2022, target: {value: X} | {reduce_gap_by: 20%}, by: 2028}`.
    mutating func goal(_ node: Node, _ what: String) -> GoalSpec? {
        let shape = "give goal: {baseline: 2022, target: {reduce_gap_by: 20%}, by: 2028} or target: {value: 8.5}"
        guard let pairs = mapping(node, "\(what): goal", known: ["baseline", "target", "by"]) else { return nil }
        var baseline: Int?, by: Int?, target: Goal.Target?
        for (key, _, value) in pairs {
            switch key {
            case "baseline": baseline = integer(value, "\(what): goal.baseline", range: 1900...2199)
            case "by": by = integer(value, "\(what): goal.by", range: 1900...2199)
            default:
                guard let targets = mapping(value, "\(what): goal.target", known: ["value", "reduce_gap_by"]) else { continue }
                guard targets.count == 1, let only = targets.first else {
                    // An unknown key is reported already; an empty or doubled target is not.
                    if targets.count > 1 || (value.mapping?.count ?? 0) == 0 {
                        error(value, "\(what): goal.target takes one of value or reduce_gap_by")
                    }
                    continue
                }
                let v = only.value
                guard let text = scalar(v, "\(what): goal.target.\(only.key)") else { continue }
                if only.key == "value" {
                    if let x = Double(text.replacingOccurrences(of: ",", with: "")), x.isFinite {
                        target = .value(x)
                    } else {
                        error(v, "\(what): goal.target.value '\(text)' is not a number")
                    }
                } else {
                    let digits = text.hasSuffix("%") ? String(text.dropLast()).trimmingCharacters(in: .whitespaces) : text
                    if let x = Double(digits), x > 0, x <= 100 {
                        target = .reduceGapBy(x / 100)
                    } else {
                        error(
                            v,
                            "\(what): goal.target.reduce_gap_by '\(text)' is not a percentage above 0 and at most 100% (e.g. 20%)"
                        )
                    }
                }
            }
        }
        for (key, found) in [("baseline", baseline != nil), ("target", target != nil), ("by", by != nil)]
        where !found && !pairs.contains(where: { $0.key == key }) {
            error(node, "\(what): goal needs \(key); \(shape)")
        }
        guard let baseline, let by, let target else { return nil }
        guard by > baseline else {
            error(node, "\(what): goal.by \(by) must come after its baseline \(baseline)")
            return nil
        }
        return GoalSpec(baseline: baseline, target: target, by: by)
    }

    /// The rules a judged indicator must meet: the levels its comparison uses, control limits only
    /// for DSRs and proportions, and a goal only on an indicator with a gap.
    mutating func checkJudgements(_ spec: IndicatorSpec, planComparison: ComparisonMethod, comparisonLocation: PlanLocation) {
        let what = "indicator '\(spec.id)'"
        let method = spec.comparison ?? planComparison
        let at = spec.keyLocations["comparison"] ?? spec.keyLocations["polarity"] ?? comparisonLocation
        if spec.polarity != nil {
            let described = MethodDescription.of(spec.method)
            switch method {
            case .ci95, .overlap:
                if !spec.levels.contains(.ninetyFive) {
                    error(at, "\(what): comparison \(method.rawValue) uses the 95% limits: add 95 to confidence")
                }
            case .ci95And99_8:
                if !spec.levels.contains(.ninetyFive) || !spec.levels.contains(ConfidenceLevel(99.8)!) {
                    error(at, "\(what): comparison ci95_99_8 uses the 95% and 99.8% limits: confidence needs [95, 99.8]")
                }
            case .controlLimits:
                if spec.method != .dsr && spec.method != .proportion {
                    error(
                        at,
                        "\(what): control_limits are for DSRs and proportions (METHODS.md §11), not \(described.title); use ci95, ci95_99_8 or overlap"
                    )
                }
            }
        }
        if spec.polarity == nil, let given = spec.keyLocations["comparison"] {
            error(
                given,
                "\(what): comparison applies to an indicator with a polarity: add polarity: high_is_good, low_is_good, neutral or not_applicable"
            )
        }
        if spec.goal != nil && spec.measures.isEmpty {
            error(
                spec.keyLocations["goal"] ?? spec.location,
                "\(what): a goal is set on the indicator's gap, and it has none: add inequality: [sii, …] (the goal applies to the first)"
            )
        }
    }
}
// MARK: - A gap decomposition's keys

extension NodeReader {
    /// Reads `compare`, `benchmark` and `causes` (METHODS.md §10) into `spec`: required or refused
    /// as the method says, each mistake at its own line.
    mutating func gapKeys(
        _ values: [String: Node], node: Node, what: String, method: IndicatorMethod?, described: MethodDescription?,
        spec: inout IndicatorSpec
    ) {
        let gaps = described?.comparesGaps
        for key in ["compare", "benchmark", "causes"] {
            if let n = values[key], let described, gaps == false {
                error(n, "\(what): \(key) is for le_gap_decomposition indicators, not \(described.title)")
            }
        }
        guard gaps != false else { return }
        let names = GapComparison.allCases.map(\.rawValue)
        if let n = values["compare"], let list = items(n, "\(what): compare") {
            for item in list {
                guard let text = scalar(item, "\(what): compare") else { continue }
                guard let comparison = GapComparison(rawValue: text.lowercased()) else {
                    let hint = closest(text, names).map { "; did you mean '\($0)'?" } ?? ""
                    error(item, "\(what): compare '\(text)' is not one of \(names.joined(separator: ", "))\(hint)")
                    continue
                }
                if !spec.compare.contains(comparison) { spec.compare.append(comparison) }
            }
            if list.isEmpty { error(n, "\(what): compare is empty; give \(names.joined(separator: ", ")) or both") }
        } else if values["compare"] == nil, let method {
            error(
                node,
                "\(what): \(method.rawValue) needs compare: most_vs_least (the most against the least deprived quantile of each area), area_vs_benchmark (each area against the benchmark), or both"
            )
        }
        if let n = values["benchmark"], let text = scalar(n, "\(what): benchmark") {
            if text.isEmpty {
                error(n, "\(what): benchmark is empty; give an area code such as E92000001 (England) or E54000008")
            } else if !spec.compare.isEmpty && !spec.compare.contains(.areaVsBenchmark) {
                error(n, "\(what): benchmark is for compare: area_vs_benchmark; add it to compare, or drop benchmark")
            } else {
                spec.benchmark = text
            }
        }
        guard let n = values["causes"] else { return }
        guard let pairs = mapping(n, "\(what): causes", known: nil) else { return }
        if pairs.isEmpty {
            error(n, "\(what): causes is empty; name each cause and its deaths column, e.g. {circulatory: deaths_circulatory}")
        }
        for (name, keyNode, value) in pairs {
            guard let column = scalar(value, "\(what): causes.\(name)") else { continue }
            if name.isEmpty || !name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) {
                error(keyNode, "\(what): cause '\(name)' must be letters, digits or _ (it names output rows)")
                continue
            }
            if ["all", "other"].contains(name.lowercased()) {
                error(
                    keyNode,
                    "\(what): cause '\(name)' is a name the decomposition keeps for itself (all: every cause; other: the deaths the named causes leave)"
                )
                continue
            }
            if column.isEmpty {
                error(value, "\(what): causes.\(name) needs the column of its deaths")
                continue
            }
            if let first = spec.causes.first(where: { $0.column == column }) {
                error(
                    value,
                    "\(what): causes.\(name): column '\(column)' is already the column of cause '\(first.name)' (line \(first.location.line)); each death must count once"
                )
                continue
            }
            if column == spec.numerator {
                error(
                    value,
                    "\(what): causes.\(name): '\(column)' is the numerator (all deaths); a cause needs its own deaths column")
                continue
            }
            spec.causes.append(CauseColumn(name: name, column: column, location: location(value)))
        }
    }

    /// The breakdowns of a gap decomposition: quantiles only, and only with most_vs_least.
    mutating func gapBreakdowns(_ n: Node, what: String, spec: IndicatorSpec) {
        if spec.schemes.contains(.core20) {
            error(
                n,
                "\(what): most_vs_least compares the first and last quantile of a decile or quintile breakdown; core20 is not one"
            )
        }
        if !spec.compare.isEmpty && !spec.compare.contains(.mostVsLeast) && !spec.schemes.isEmpty {
            error(
                n,
                "\(what): deprivation breakdowns are compared by most_vs_least; add it to compare, or drop deprivation")
        } else if spec.compare.contains(.mostVsLeast) && !spec.schemes.contains(where: { $0.quantiles > 0 })
            && !spec.schemes.contains(.core20)
        {
            error(n, "\(what): most_vs_least needs a decile or quintile breakdown, e.g. deprivation: [local_quintiles]")
        }
    }
}
