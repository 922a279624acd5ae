import Foundation
import Indicators
import Runner
import Yams

/// Reads an experiment's YAML into an `Experiment`, collecting every mistake with its line and
/// column (the plan parser's `NodeReader`: values from the scalars' text, unknown keys are
/// mistakes with a "did you mean").
public enum ExperimentParser {
    /// Parses experiment text; `path` names the file in messages.
    ///
    /// - Returns: the experiment (nil when its shape is too broken to go on) and every issue found.
    /// - Complexity: O(size of the text).
    public static func parse(text: String, path: String) -> (Experiment?, [PlanIssue]) {
        var reader = NodeReader(file: path)
        let root: Node
        switch reader.compose(text, what: "experiment") {
        case .success(let node): root = node
        case .failure(let issue): return (nil, [issue])
        }
        let experiment = reader.experiment(root, path: path)
        // In file order, whatever order the checks ran in.
        let issues = reader.issues.enumerated().sorted {
            ($0.element.line, $0.element.column, $0.offset) < ($1.element.line, $1.element.column, $1.offset)
        }.map(\.element)
        return (issues.isEmpty ? experiment : nil, issues)
    }

    /// Reads and parses an experiment file; also returns its bytes (their SHA-256 names the experiment in shards).
    ///
    /// - Throws: `ExperimentError.unreadable` when the file cannot be read.
    public static func parse(file path: String) throws(ExperimentError) -> (Experiment?, [PlanIssue], Data) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "no such file, or not readable")
        }
        let (experiment, issues) = parse(text: String(decoding: data, as: UTF8.self), path: path)
        return (experiment, issues, data)
    }
}

extension NodeReader {
    static let experimentKeys = ["name", "description", "truth", "replicates", "seed", "confidence", "variants"]
    static let truthKeys = ["areas", "years", "population_scale", "schedule"]
    static let variantKeys = [
        "id", "method", "sexes", "at_ages", "at_age", "deprivation", "simulation", "transform", "repetitions", "weights",
        "of", "ages", "standard", "multiplier", "population_scale",
    ]

    mutating func experiment(_ root: Node, path: String) -> Experiment? {
        guard let top = mapping(root, "the experiment", known: Self.experimentKeys) else { return nil }
        var byKey: [String: Node] = [:]
        for (key, _, value) in top { byKey[key] = value }
        func required(_ key: String, _ example: String) -> Node? {
            if let node = byKey[key] { return node }
            error(root, "the experiment needs '\(key):' (\(example))")
            return nil
        }
        let name = byKey["name"].flatMap { scalar($0, "name") } ?? URL(fileURLWithPath: path).lastPathComponent
        let description = byKey["description"].flatMap { scalar($0, "description") } ?? ""
        var truth: TruthSpec?
        if let node = required("truth", "areas, years and the schedule, e.g. truth: {areas: E08000012, years: 2018-2020}") {
            truth = self.truth(node)
        }
        var replicates = 1000
        if let node = required("replicates", "how many independent draws, e.g. replicates: 1000"),
            let value = integer(node, "replicates", range: 1...10_000_000)
        {
            replicates = value
        }
        var seed: UInt64 = 1
        if let node = byKey["seed"], let text = scalar(node, "seed") {
            if let value = UInt64(text.replacingOccurrences(of: "_", with: "")) {
                seed = value
            } else {
                error(node, "seed: '\(text)' is not a whole number ≥ 0")
            }
        }
        var levels = [ConfidenceLevel.ninetyFive]
        if let node = byKey["confidence"], let parsed = confidence(node, "confidence") {
            levels = [ConfidenceLevel.ninetyFive] + parsed.filter { $0 != .ninetyFive }
        }
        var variants: [VariantSpec] = []
        if let node = required("variants", "a list of method variants, each with id and method") {
            if let list = node.sequence {
                for item in list { if let v = variant(item) { variants.append(v) } }
                if list.isEmpty { error(node, "variants: the list is empty; name at least one variant") }
            } else {
                error(node, "variants must be a list, each item a mapping with id, method, …")
            }
        }
        var seen: [String: PlanLocation] = [:]
        for v in variants {
            if let first = seen[v.id] {
                error(v.location, "variant id '\(v.id)' is also used on line \(first.line); ids must be unique")
            } else {
                seen[v.id] = v.location
            }
        }
        guard let truth else { return nil }
        return Experiment(
            path: path, name: name, description: description, truth: truth, replicates: replicates, seed: seed,
            levels: levels, variants: variants)
    }

    /// A positive finite number.
    mutating func positive(_ node: Node, _ what: String) -> Double? {
        guard let text = scalar(node, what) else { return nil }
        guard let x = Double(text.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")),
            x > 0, x.isFinite
        else {
            error(node, "\(what): '\(text)' is not a positive number")
            return nil
        }
        return x
    }

    mutating func truth(_ node: Node) -> TruthSpec? {
        guard let pairs = mapping(node, "truth", known: Self.truthKeys) else { return nil }
        var spec = TruthSpec(
            areas: [], years: 2018...2020, populationScale: 1, male: (79.4, 9.5), female: (83.1, 7.5))
        var haveAreas = false
        for (key, _, value) in pairs {
            switch key {
            case "areas":
                guard let list = items(value, "truth.areas") else { continue }
                for item in list {
                    if let text = scalar(item, "truth.areas"), !text.isEmpty { spec.areas.append((text, location(item))) }
                }
                haveAreas = !spec.areas.isEmpty
                if !haveAreas { error(value, "truth.areas: give england or at least one area code") }
            case "years":
                guard let text = scalar(value, "truth.years") else { continue }
                if let period = Self.period(text) {
                    spec.years = period.first...period.last
                } else {
                    error(value, "truth.years: '\(text)' is not a year (2019) or a range first-last (2018-2020) within 1900-2199")
                }
            case "population_scale":
                if let x = positive(value, "truth.population_scale") { spec.populationScale = x }
            default:
                guard let sexes = mapping(value, "truth.schedule", known: ["male", "female"]) else { continue }
                for (sex, _, targets) in sexes {
                    guard let fields = mapping(targets, "truth.schedule.\(sex)", known: ["le_at_birth", "gap"]) else { continue }
                    var target = sex == "male" ? spec.male : spec.female
                    for (field, _, v) in fields {
                        guard let text = scalar(v, "truth.schedule.\(sex).\(field)") else { continue }
                        guard let x = Double(text), x.isFinite else {
                            error(v, "truth.schedule.\(sex).\(field): '\(text)' is not a number")
                            continue
                        }
                        if field == "le_at_birth" {
                            if (40...100).contains(x) {
                                target.lifeExpectancy = x
                            } else {
                                error(v, "truth.schedule.\(sex).le_at_birth: \(text) is not between 40 and 100 years")
                            }
                        } else if (0...20).contains(x) {
                            target.gap = x
                        } else {
                            error(v, "truth.schedule.\(sex).gap: \(text) is not between 0 and 20 years")
                        }
                    }
                    if sex == "male" { spec.male = target } else { spec.female = target }
                }
            }
        }
        if !haveAreas && !pairs.contains(where: { $0.key == "areas" }) {
            error(node, "truth needs areas: england, or local authority, region or ICB codes (e.g. [E08000011, E08000012])")
        }
        return spec
    }

    mutating func variant(_ node: Node) -> VariantSpec? {
        guard let pairs = mapping(node, "variant", known: Self.variantKeys) else { return nil }
        var values: [String: Node] = [:]
        for (key, _, value) in pairs { values[key] = value }
        guard let idNode = values["id"], let id = scalar(idNode, "id") else {
            error(node, "a variant needs id: a short name such as le_small")
            return nil
        }
        if id.isEmpty || !id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == ".") }) {
            error(idNode, "variant id '\(id)' must be letters, digits, _, - or . (it names output rows)")
        }
        let what = "variant '\(id)'"
        let methods = ExperimentMethod.allCases.map(\.rawValue)
        guard let methodNode = values["method"], let methodText = scalar(methodNode, "\(what): method") else {
            error(node, "\(what) needs method: one of \(methods.joined(separator: ", "))")
            return nil
        }
        guard let method = ExperimentMethod(rawValue: methodText.lowercased()) else {
            let hint = closest(methodText, methods).map { "; did you mean '\($0)'?" } ?? ""
            error(methodNode, "\(what): method '\(methodText)' is not one of \(methods.joined(separator: ", "))\(hint)")
            return nil
        }
        var spec = VariantSpec(
            id: id, method: method, sexes: [0, 1], atAges: [0], atAge: 0, deprivation: .none, simulation: .direct,
            transform: false, repetitions: 100_000, weights: .population, of: .lifeExpectancy, ages: nil,
            standard: "esp2013", multiplier: 100_000, populationScale: nil, location: location(idNode),
            deprivationLocation: location(node))

        // Which keys each method takes; the others are mistakes.
        var allowed: Set<String> = ["id", "method", "sexes", "deprivation", "population_scale"]
        switch method {
        case .lifeExpectancy: allowed.formUnion(["at_ages"])
        case .sii: allowed.formUnion(["at_age", "simulation", "transform", "repetitions", "weights", "of", "ages", "standard"])
        case .dsr: allowed.formUnion(["ages", "standard", "multiplier"])
        }
        for (key, keyNode, _) in pairs where !allowed.contains(key) {
            error(keyNode, "\(what): \(key) does not apply to method \(method.rawValue)")
        }
        if let n = values["of"], allowed.contains("of"), let text = scalar(n, "\(what): of") {
            switch text.lowercased() {
            case "life_expectancy": spec.of = .lifeExpectancy
            case "dsr": spec.of = .dsr
            default: error(n, "\(what): of '\(text)' is not life_expectancy or dsr (the value per quantile)")
            }
        }
        if let n = values["sexes"], let list = items(n, "\(what): sexes") {
            var sexes: [Int] = []
            for item in list {
                guard let text = scalar(item, "\(what): sexes") else { continue }
                switch text.lowercased() {
                case "male": if !sexes.contains(0) { sexes.append(0) }
                case "female": if !sexes.contains(1) { sexes.append(1) }
                default: error(item, "\(what): sex '\(text)' is not Male or Female")
                }
            }
            if sexes.isEmpty { error(n, "\(what): sexes is empty") } else { spec.sexes = sexes }
        }
        if let n = values["at_ages"], allowed.contains("at_ages"), let list = items(n, "\(what): at_ages") {
            var ages: [Int] = []
            for item in list {
                guard let age = integer(item, "\(what): at_ages", range: 0...90) else { continue }
                if !LifeExpectancy.startAges.contains(age) {
                    error(item, "\(what): at_ages \(age) is not a life-table start age (0, 1, 5, 10, …, 90)")
                } else if !ages.contains(age) {
                    ages.append(age)
                }
            }
            if !ages.isEmpty { spec.atAges = ages }
        }
        if let n = values["at_age"], allowed.contains("at_age"), let age = integer(n, "\(what): at_age", range: 0...90) {
            if !LifeExpectancy.startAges.contains(age) {
                error(n, "\(what): at_age \(age) is not a life-table start age (0, 1, 5, 10, …, 90)")
            } else if spec.of != .lifeExpectancy {
                error(n, "\(what): at_age is for an SII of life expectancy, not of dsr")
            } else {
                spec.atAge = age
            }
        }
        if let n = values["deprivation"], let text = scalar(n, "\(what): deprivation") {
            spec.deprivationLocation = location(n)
            let names = QuantileScheme.allCases.map(\.rawValue)
            if let scheme = QuantileScheme(rawValue: text.lowercased()) {
                spec.deprivation = scheme
            } else {
                let hint = closest(text, names).map { "; did you mean '\($0)'?" } ?? ""
                error(n, "\(what): deprivation '\(text)' is not one of \(names.joined(separator: ", "))\(hint)")
            }
        }
        if method == .sii && spec.deprivation == .none {
            if let n = values["deprivation"] {
                // An unknown name is reported above; `none` is known but gives no quantiles.
                if QuantileScheme(rawValue: (n.scalar?.string ?? "").lowercased()) == QuantileScheme.none {
                    error(n, "\(what): the SII needs deciles or quintiles, not none")
                }
            } else {
                error(
                    node,
                    "\(what): the SII needs deprivation: local_deciles, local_quintiles, national_deciles or national_quintiles")
            }
        }
        if let n = values["simulation"], allowed.contains("simulation"), let text = scalar(n, "\(what): simulation") {
            if let s = SIISimulation(rawValue: text.lowercased()) {
                spec.simulation = s
            } else {
                error(n, "\(what): simulation '\(text)' is not direct or literal")
            }
        }
        if let n = values["transform"], allowed.contains("transform"), let b = boolean(n, "\(what): transform") {
            if b && spec.of != .dsr {
                error(n, "\(what): transform applies to rates (of: dsr), not to life expectancy (METHODS.md §6)")
            } else {
                spec.transform = b
            }
        }
        if let n = values["repetitions"], allowed.contains("repetitions"),
            let r = integer(n, "\(what): repetitions", range: 1_000...100_000_000)
        {
            spec.repetitions = r
        }
        if let n = values["weights"], allowed.contains("weights"), let text = scalar(n, "\(what): weights") {
            if let w = SIIWeights(rawValue: text.lowercased()) {
                spec.weights = w
            } else {
                error(n, "\(what): weights '\(text)' is not population or equal")
            }
        }
        let rateKeysApply = method == .dsr || spec.of == .dsr
        if let n = values["ages"], allowed.contains("ages"), let text = scalar(n, "\(what): ages") {
            if !rateKeysApply {
                error(n, "\(what): ages is for a dsr (or an SII of: dsr)")
            } else if let range = Self.ages(text) {
                spec.ages = range
            } else {
                error(n, "\(what): ages '\(text)' is not an age range such as 0-74, 75+ or all")
            }
        }
        if let n = values["standard"], allowed.contains("standard"), let text = scalar(n, "\(what): standard") {
            if !rateKeysApply {
                error(n, "\(what): standard is for a dsr (or an SII of: dsr)")
            } else if ["esp2013", "esp1976"].contains(text.lowercased()) {
                spec.standard = text.lowercased()
            } else {
                error(n, "\(what): standard '\(text)' is not esp2013 or esp1976")
            }
        }
        if let n = values["multiplier"], allowed.contains("multiplier"), let x = positive(n, "\(what): multiplier") {
            spec.multiplier = x
        }
        if let n = values["population_scale"], let x = positive(n, "\(what): population_scale") {
            spec.populationScale = x
        }
        return spec
    }
}
