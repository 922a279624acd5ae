import Areas
import Foundation
import Indicators
import Ingest
import Results
import Yams

// A plan's indicators: the keys every method shares, read here, and each method's own keys read
// through its `MethodDescription` (Sources/Runner/Methods).
extension NodeReader {
    // MARK: Indicators

    static let indicatorKeys = [
        "id", "name", "method", "input", "numerator", "denominator", "ages", "at_age", "standard", "multiplier",
        "reference", "sexes", "confidence", "deprivation", "inequality", "sii_transform", "healthy", "surveyed",
        "polarity", "comparison", "goal", "compare", "benchmark", "causes",
    ]

    /// A list of confidence levels (95, 99.8, or with %).
    package mutating func confidence(_ node: Node, _ what: String) -> [ConfidenceLevel]? {
        guard let list = items(node, what) else { return nil }
        var out: [ConfidenceLevel] = []
        for item in list {
            guard let text = scalar(item, what) else { continue }
            guard let x = Double(text.replacingOccurrences(of: "%", with: "")), let level = ConfidenceLevel(x) else {
                error(item, "\(what): '\(text)' is not a confidence level between 0 and 100 (e.g. 95 or 99.8)")
                continue
            }
            if !out.contains(level) { out.append(level) }
        }
        if out.isEmpty {
            error(node, "\(what): give at least one level, e.g. [95, 99.8]")
            return nil
        }
        return out
    }

    /// `0-74`, `75+`, `all` (nil range).
    package static func ages(_ text: String) -> ClosedRange<Int>?? {
        let t = text.replacingOccurrences(of: " ", with: "").lowercased()
        if t == "all" || t == "allages" { return .some(nil) }
        if t.hasSuffix("+"), let start = Int(t.dropLast()), start >= 0, start <= AgeBandRegistry.maximumAge {
            return .some(start...Int.max)
        }
        let parts = t.split(separator: "-")
        if parts.count == 2, let a = Int(parts[0]), let b = Int(parts[1]), a <= b, a >= 0, b <= AgeBandRegistry.maximumAge {
            return .some(a...b)
        }
        return nil
    }

    mutating func indicator(_ node: Node, defaultLevels: [ConfidenceLevel], inputs: [PlanInput]) -> IndicatorSpec? {
        guard let pairs = mapping(node, "indicator", known: Self.indicatorKeys) else { return nil }
        var values: [String: Node] = [:]
        var locations: [String: PlanLocation] = [:]
        for (key, _, value) in pairs {
            values[key] = value
            locations[key] = location(value)
        }
        let here = location(node)
        guard let idNode = values["id"], let id = scalar(idNode, "id") else {
            error(node, "an indicator needs id: a short name such as le_birth")
            return nil
        }
        if id.isEmpty || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") }) {
            error(idNode, "indicator id '\(id)' must be letters, digits, _ or - (it names output rows)")
        }
        let what = "indicator '\(id)'"
        // An unknown or missing method is reported, and the indicator's other keys are still checked.
        var method: IndicatorMethod?
        if let methodNode = values["method"], let methodText = scalar(methodNode, "\(what): method") {
            method = IndicatorMethod(rawValue: methodText.lowercased())
            if method == nil {
                let all = IndicatorMethod.allCases.map(\.rawValue)
                let hint = closest(methodText, all).map { "; did you mean '\($0)'?" } ?? ""
                error(methodNode, "\(what): method '\(methodText)' is not one of \(all.joined(separator: ", "))\(hint)")
            }
        } else if values["method"] == nil {
            error(node, "\(what) needs method: one of \(IndicatorMethod.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let described = method.map(MethodDescription.of)
        var spec = IndicatorSpec(
            id: id, name: values["name"].flatMap { scalar($0, "\(what): name") } ?? id, method: method ?? .lifeExpectancy,
            input: nil, numerator: nil, denominator: nil, ages: nil, agesLabel: nil, atAge: 0, standard: "esp2013",
            multiplier: described?.defaultMultiplier ?? 1, reference: nil, sexes: [.male, .female], levels: defaultLevels,
            schemes: [], measures: [], siiTransform: described?.siiTransform ?? false, location: here,
            keyLocations: locations)
        spec.input = values["input"].flatMap { scalar($0, "\(what): input") }
        spec.numerator = values["numerator"].flatMap { scalar($0, "\(what): numerator") }
        spec.denominator = values["denominator"].flatMap { scalar($0, "\(what): denominator") }
        if let method, let described {
            if spec.numerator == nil {
                error(node, "\(what): \(method.rawValue) needs numerator: \(described.numeratorWords)")
            }
            if spec.denominator == nil { error(node, "\(what): \(method.rawValue) needs denominator: the population column") }
        }
        // The second pair of count columns (healthy life expectancy's healthy and surveyed).
        for key in ["healthy", "surveyed"] {
            let prevalenceKey = described?.prevalenceKeys.first { $0.key == key }
            if let n = values[key] {
                if let described, prevalenceKey == nil {
                    error(n, "\(what): \(key) is for healthy_life_expectancy indicators, not \(described.title)")
                } else if let text = scalar(n, "\(what): \(key)") {
                    if key == "healthy" { spec.healthy = text } else { spec.surveyed = text }
                }
            } else if let method, let prevalenceKey {
                error(node, "\(what): \(method.rawValue) needs \(key): \(prevalenceKey.words)")
            }
        }
        gapKeys(values, node: node, what: what, method: method, described: described, spec: &spec)
        if let inputNode = values["input"], let name = spec.input, !inputs.contains(where: { $0.name == name }) {
            error(
                inputNode,
                "\(what): input '\(name)' is not one of the plan's inputs (\(inputs.map(\.name).joined(separator: ", ")))")
        } else if spec.input == nil && inputs.count > 1 {
            error(node, "\(what) needs input: one of \(inputs.map(\.name).joined(separator: ", ")) (the plan has several)")
        }
        if let n = values["ages"], let text = scalar(n, "\(what): ages") {
            if let described, described.comparesGaps {
                error(
                    n,
                    "\(what): a gap decomposition splits the gap in life expectancy at birth over every age band; ages does not apply"
                )
            } else if let described, !described.takesAges {
                error(n, "\(what): \(described.title) uses every age band; use at_age to choose the start age (0 = at birth)")
            } else if let range = Self.ages(text) {
                spec.ages = range
                spec.agesLabel = range == nil ? nil : text.replacingOccurrences(of: " ", with: "")
            } else {
                error(n, "\(what): ages '\(text)' is not an age range such as 0-74, 75+ or all")
            }
        }
        if let n = values["at_age"] {
            if let described, described.comparesGaps {
                error(n, "\(what): a gap decomposition splits the gap in life expectancy at birth; at_age does not apply")
            } else if let described, !described.takesAtAge {
                error(n, "\(what): at_age is for life expectancy; rates take ages: FIRST-LAST")
            } else if let age = integer(n, "\(what): at_age", range: 0...90) {
                if LifeExpectancy.startAges.contains(age) {
                    spec.atAge = age
                } else {
                    error(n, "\(what): at_age \(age) is not a life-table start age (0, 1, 5, 10, …, 90)")
                }
            }
        }
        if let n = values["standard"], let text = scalar(n, "\(what): standard") {
            if let described, !described.takesStandard {
                error(n, "\(what): standard is for dsr indicators")
            } else if ["esp2013", "esp1976"].contains(text.lowercased()) {
                spec.standard = text.lowercased()
            } else {
                error(n, "\(what): standard '\(text)' is not esp2013 or esp1976")
            }
        }
        if let n = values["multiplier"], let text = scalar(n, "\(what): multiplier") {
            if let x = Double(text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "_", with: "")), x > 0,
                x.isFinite
            {
                spec.multiplier = x
            } else {
                error(n, "\(what): multiplier '\(text)' is not a positive number")
            }
            if let described, described.defaultMultiplier == nil { error(n, "\(what): \(described.title) has no multiplier") }
        }
        if let n = values["reference"], let text = scalar(n, "\(what): reference") {
            if described?.needsReference ?? true {
                spec.reference = text
            } else {
                error(n, "\(what): reference is for isr indicators")
            }
        } else if described?.needsReference == true {
            error(
                node,
                "\(what): isr needs reference: all (the rates of every row of the input) or an area code such as E92000001 (England) or E54000008"
            )
        }
        if let n = values["sexes"], let list = items(n, "\(what): sexes") {
            var sexes: [SexSelection] = []
            for item in list {
                guard let text = scalar(item, "\(what): sexes") else { continue }
                guard let sex = SexSelection.allCases.first(where: { $0.rawValue.lowercased() == text.lowercased() }) else {
                    error(item, "\(what): sex '\(text)' is not Male, Female or Persons")
                    continue
                }
                if !sexes.contains(sex) { sexes.append(sex) }
            }
            if !sexes.isEmpty { spec.sexes = sexes } else { error(n, "\(what): sexes is empty") }
        }
        if let n = values["confidence"], let levels = confidence(n, "\(what): confidence") { spec.levels = levels }
        var deprivationValid = true
        if let n = values["deprivation"], let list = items(n, "\(what): deprivation") {
            for item in list {
                guard let text = scalar(item, "\(what): deprivation") else { continue }
                let names = DeprivationScheme.allCases.filter { $0 != .none }.map(\.rawValue)
                guard let scheme = DeprivationScheme(rawValue: text.lowercased()), scheme != .none else {
                    deprivationValid = false
                    let hint = closest(text, names).map { "; did you mean '\($0)'?" } ?? ""
                    error(item, "\(what): deprivation '\(text)' is not one of \(names.joined(separator: ", "))\(hint)")
                    continue
                }
                if !spec.schemes.contains(scheme) { spec.schemes.append(scheme) }
            }
            spec.schemes.sort()
            if let described, described.comparesGaps && deprivationValid {
                gapBreakdowns(n, what: what, spec: spec)
            }
        } else if values["deprivation"] == nil, let described, described.comparesGaps && spec.compare.contains(.mostVsLeast) {
            error(
                values["compare"] ?? node,
                "\(what): most_vs_least compares the most and least deprived quantile of each area: add a decile or quintile breakdown, e.g. deprivation: [local_quintiles]"
            )
        }
        if let n = values["inequality"], let described, described.comparesGaps {
            error(
                n,
                "\(what): inequality measures are not for a gap decomposition; its rows are gap_contribution by age band and cause"
            )
        } else if let n = values["inequality"], let list = items(n, "\(what): inequality") {
            for item in list {
                guard let text = scalar(item, "\(what): inequality") else { continue }
                let names = InequalityMeasure.allCases.map(\.rawValue)
                guard let measure = InequalityMeasure(rawValue: text.lowercased()) else {
                    let hint = closest(text, names).map { "; did you mean '\($0)'?" } ?? ""
                    error(item, "\(what): inequality '\(text)' is not one of \(names.joined(separator: ", "))\(hint)")
                    continue
                }
                if !spec.measures.contains(measure) { spec.measures.append(measure) }
            }
            let quantileSchemes = spec.schemes.filter { $0.quantiles > 0 }
            // (After a mistake in deprivation, these follow-on complaints would only repeat it.)
            if deprivationValid && spec.measures.contains(where: { $0 == .sii || $0 == .rii }) && quantileSchemes.isEmpty {
                error(n, "\(what): sii and rii need a decile or quintile breakdown in deprivation (e.g. local_deciles)")
            }
            if deprivationValid && spec.measures.contains(where: { $0 == .absoluteRange || $0 == .relativeRange })
                && spec.schemes.isEmpty
            {
                error(n, "\(what): ranges need a deprivation breakdown (deciles, quintiles or core20)")
            }
            if let described, spec.measures.contains(.relativeRange) && !described.takesRelativeRange {
                error(n, "\(what): relative_range is for rates and proportions (METHODS.md §8), not \(described.title)")
            }
            if !spec.measures.isEmpty && !spec.levels.contains(.ninetyFive) {
                error(
                    n, "\(what): inequality measures take each value's standard error from its 95% limits: add 95 to confidence")
            }
        }
        if let n = values["sii_transform"], let b = boolean(n, "\(what): sii_transform") {
            if let described, b && !described.siiTransform {
                error(n, "\(what): \(described.title)'s SII is fitted untransformed (value type 0)")
            }
            spec.siiTransform = b && (described?.siiTransform ?? false)
        }
        if let n = values["polarity"], let text = scalar(n, "\(what): polarity") {
            let names = Polarity.allCases.map(\.rawValue)
            if let polarity = Polarity(rawValue: text.lowercased()) {
                spec.polarity = polarity
            } else {
                let hint = closest(text, names).map { "; did you mean '\($0)'?" } ?? ""
                error(n, "\(what): polarity '\(text)' is not one of \(names.joined(separator: ", "))\(hint)")
            }
        }
        if let n = values["comparison"] { spec.comparison = comparisonMethod(n, "\(what): comparison") }
        if let n = values["goal"] { spec.goal = goal(n, what) }
        return method == nil ? nil : spec
    }
}
