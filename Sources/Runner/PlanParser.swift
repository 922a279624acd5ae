import Areas
import Foundation
import Indicators
import Ingest
import Results
import Yams

/// Reads a plan's YAML into a `Plan`, collecting every mistake of shape with its line.
///
/// Values are read from the scalars' text (never YAML's type guesses, so `2018-2020`, `E08000012`
/// and `no` stay what they look like). Unknown keys are mistakes (with the nearest known key as a
/// suggestion), so a typo cannot silently drop a setting.
public enum PlanParser {
    /// Parses plan text; `path` names the file in messages and anchors relative input paths.
    ///
    /// - Parameter inputFiles: overrides of input files by input name (`--input counts=FILE`).
    /// - Returns: the plan (nil when its shape is too broken to go on) and every issue found.
    /// - Complexity: O(size of the plan).
    public static func parse(text: String, path: String, inputFiles: [String: String] = [:]) -> (Plan?, [PlanIssue]) {
        var reader = NodeReader(file: path)
        let root: Node
        switch reader.compose(text, what: "plan") {
        case .success(let node): root = node
        case .failure(let issue): return (nil, [issue])
        }
        let plan = reader.plan(root, path: path, inputFiles: inputFiles)
        return (plan, reader.issues)
    }

    /// Reads and parses a plan file.
    ///
    /// - Throws: `RunnerError.unreadablePlan` when the file cannot be read.
    public static func parse(file path: String, inputFiles: [String: String] = [:]) throws(RunnerError) -> (
        Plan?, [PlanIssue], Data
    ) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadablePlan(path: path, reason: "no such file, or not readable")
        }
        let text = String(decoding: data, as: UTF8.self)
        let (plan, issues) = parse(text: text, path: path, inputFiles: inputFiles)
        return (plan, issues, data)
    }
}

/// Walks Yams nodes, recording issues; every `read…` returns nil after recording why.
///
/// `package` so that other YAML documents of the project (experiments) are checked the same way.
package struct NodeReader {
    /// The file named in issues.
    package let file: String
    /// Every issue found so far, in the order found.
    package var issues: [PlanIssue] = []

    /// A reader recording issues against `file`.
    package init(file: String) { self.file = file }

    // MARK: - Locations and issues

    /// The YAML document's root node, or the one issue that stops the reading (YAML that does not
    /// parse, with its line and column, or an empty file); `what` names the document ("plan").
    package func compose(_ text: String, what: String) -> Result<Node, PlanIssue> {
        do {
            guard let root = try Yams.compose(yaml: text) else {
                return .failure(PlanIssue(file: file, line: 0, column: 0, message: "the \(what) is empty"))
            }
            return .success(root)
        } catch let error as YamlError {
            return .failure(issue(fromYAML: error))
        } catch {
            return .failure(PlanIssue(file: file, line: 0, column: 0, message: "cannot read the \(what) as YAML: \(error)"))
        }
    }

    /// Where a node is (the whole file without one).
    package func location(_ node: Node?) -> PlanLocation {
        guard let mark = node?.mark else { return .file }
        return PlanLocation(line: mark.line, column: mark.column)
    }

    /// Records an issue at a location.
    package mutating func error(_ at: PlanLocation, _ message: String) {
        issues.append(PlanIssue(file: file, line: at.line, column: at.column, message: message))
    }

    /// Records an issue at a node.
    package mutating func error(_ node: Node?, _ message: String) { error(location(node), message) }

    /// A YAML syntax error as an issue with its line and column.
    package func issue(fromYAML error: YamlError) -> PlanIssue {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
            .composer(_, let problem, let mark, _):
            return PlanIssue(file: file, line: mark.line, column: mark.column, message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return PlanIssue(
                file: file, line: context.mark.line, column: context.mark.column,
                message: "key \(duplicates.map { "'\($0)'" }.joined(separator: ", ")) given twice in one mapping")
        default:
            return PlanIssue(file: file, line: 0, column: 0, message: "not valid YAML: \(error)")
        }
    }

    // MARK: - Shapes

    /// The text of a scalar, or nil (with an issue) for a list or mapping.
    package mutating func scalar(_ node: Node, _ what: String) -> String? {
        if let s = node.scalar { return s.string.trimmingCharacters(in: .whitespaces) }
        error(node, "\(what) must be a single value, not a \(node.isMapping ? "mapping" : "list")")
        return nil
    }

    /// The pairs of a mapping with string keys, checking keys against `known` (nil: any key).
    package mutating func mapping(_ node: Node, _ what: String, known: [String]?) -> [(key: String, keyNode: Node, value: Node)]?
    {
        guard let m = node.mapping else {
            error(node, "\(what) must be a mapping of keys to values")
            return nil
        }
        var out: [(String, Node, Node)] = []
        for (k, v) in m {
            guard let key = k.scalar?.string else {
                error(k, "\(what): keys must be plain words")
                continue
            }
            if let known, !known.contains(key) {
                let hint = closest(key, known).map { "; did you mean '\($0)'?" } ?? ""
                error(k, "\(what): unknown key '\(key)' (known keys: \(known.joined(separator: ", ")))\(hint)")
                continue
            }
            out.append((key, k, v))
        }
        return out
    }

    /// A list's items; a single scalar counts as a one-item list.
    package mutating func items(_ node: Node, _ what: String) -> [Node]? {
        if let s = node.sequence { return Array(s) }
        if node.scalar != nil { return [node] }
        error(node, "\(what) must be a value or a list of values")
        return nil
    }

    /// A whole number within `range` (`_` and `,` allowed as separators).
    package mutating func integer(_ node: Node, _ what: String, range: ClosedRange<Int>) -> Int? {
        guard let text = scalar(node, what) else { return nil }
        let digits = text.replacingOccurrences(of: "_", with: "").replacingOccurrences(of: ",", with: "")
        guard let value = Int(digits), range.contains(value) else {
            error(node, "\(what): '\(text)' is not a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// `true`/`yes`/`on` or `false`/`no`/`off`.
    package mutating func boolean(_ node: Node, _ what: String) -> Bool? {
        guard let text = scalar(node, what) else { return nil }
        switch text.lowercased() {
        case "true", "yes", "on": return true
        case "false", "no", "off": return false
        default:
            error(node, "\(what): '\(text)' is not true or false")
            return nil
        }
    }

    /// The nearest of `candidates` to `word` (edit distance ≤ 3), for "did you mean".
    package func closest(_ word: String, _ candidates: [String]) -> String? {
        let best = candidates.map { ($0, editDistance(word.lowercased(), $0.lowercased())) }.min { $0.1 < $1.1 }
        guard let best, best.1 <= max(1, min(3, word.count / 3)) else { return nil }
        return best.0
    }

    private func editDistance(_ a: String, _ b: String) -> Int {
        let x = Array(a), y = Array(b)
        var row = Array(0...y.count)
        for i in 1...max(x.count, 1) where !x.isEmpty {
            var previous = row[0]
            row[0] = i
            for j in stride(from: 1, through: y.count, by: 1) {
                let old = row[j]
                row[j] = min(row[j] + 1, row[j - 1] + 1, previous + (x[i - 1] == y[j - 1] ? 0 : 1))
                previous = old
            }
        }
        return x.isEmpty ? y.count : row[y.count]
    }

    // MARK: - The plan

    static let topKeys = [
        "name", "description", "inputs", "lookups", "geographies", "periods", "seed", "repetitions", "confidence",
        "indicators", "outputs", "history", "benchmarks", "comparison",
    ]

    mutating func plan(_ root: Node, path: String, inputFiles: [String: String]) -> Plan? {
        guard let top = mapping(root, "the plan", known: Self.topKeys) else { return nil }
        var byKey: [String: Node] = [:]
        var keyNodes: [String: Node] = [:]
        for (key, keyNode, value) in top {
            byKey[key] = value
            keyNodes[key] = keyNode
        }
        func required(_ key: String) -> Node? {
            if let node = byKey[key] { return node }
            error(root, "the plan needs '\(key):' (\(Self.describe(key)))")
            return nil
        }
        let folder = Self.planFolder(path)
        let name = byKey["name"].flatMap { scalar($0, "name") } ?? URL(fileURLWithPath: path).lastPathComponent
        var inputs: [PlanInput] = []
        if let node = required("inputs") { inputs = self.inputs(node, folder: folder, overrides: inputFiles) }
        for (name, _) in inputFiles where !inputs.contains(where: { $0.name == name }) {
            error(
                PlanLocation.file,
                "--input \(name)=…: the plan has no input named '\(name)' (inputs: \(inputs.map(\.name).joined(separator: ", ")))"
            )
        }
        var imd = "imd2019"
        var imdLocation = PlanLocation.file
        var lookupFiles: [String: (path: String, location: PlanLocation)] = [:]
        if let node = byKey["lookups"], let pairs = mapping(node, "lookups", known: ["imd", "wards", "authorities", "places"]) {
            for (key, _, value) in pairs {
                guard let text = scalar(value, "lookups.\(key)") else { continue }
                if key == "imd" {
                    // A named edition, or a file relative to the plan like every other path in it.
                    imd = text.contains("/") || text.contains(".") ? Self.planPath(text, folder: folder) : text
                    imdLocation = location(value)
                } else {
                    lookupFiles[key] = (Self.planPath(text, folder: folder), location(value))
                }
            }
        }
        var geographies: [GeographySpec] = []
        if let node = required("geographies") { geographies = geographyList(node) }
        var periods: [Period] = []
        if let node = required("periods") { periods = periodList(node) }
        var seed: UInt64 = 1
        if let node = byKey["seed"], let text = scalar(node, "seed") {
            if let value = UInt64(text) { seed = value } else { error(node, "seed: '\(text)' is not a whole number ≥ 0") }
        }
        var repetitions = 100_000
        var repetitionsLocation = PlanLocation.file
        if let node = byKey["repetitions"], let value = integer(node, "repetitions", range: 1_000...100_000_000) {
            repetitions = value
            repetitionsLocation = location(node)
        }
        var levels = ConfidenceLevel.defaults
        if let node = byKey["confidence"], let parsed = confidence(node, "confidence") { levels = parsed }
        var areaTables = true
        var report = false
        if let node = byKey["outputs"], let pairs = mapping(node, "outputs", known: ["area_tables", "report"]) {
            for (key, _, value) in pairs {
                if let b = boolean(value, "outputs.\(key)") {
                    if key == "report" { report = b } else { areaTables = b }
                }
            }
        }
        var history: String?
        if let node = byKey["history"], let text = scalar(node, "history") {
            let isURL = text.hasPrefix("postgres://") || text.hasPrefix("postgresql://")
            if text.isEmpty { error(node, "history: give a SQLite file or a postgres:// URL") }
            history =
                isURL || text.hasPrefix("/") ? text : URL(fileURLWithPath: folder).appendingPathComponent(text).standardized.path
        }
        var benchmarks: [BenchmarkSpec] = []
        if let node = byKey["benchmarks"] { benchmarks = benchmarkList(node) }
        var comparison = ComparisonMethod.ci95
        if let node = byKey["comparison"], let method = comparisonMethod(node, "comparison") { comparison = method }
        var indicators: [IndicatorSpec] = []
        if let node = required("indicators"), let list = node.sequence {
            for item in list {
                if let spec = indicator(item, defaultLevels: levels, inputs: inputs) { indicators.append(spec) }
            }
            if list.isEmpty { error(node, "indicators: the list is empty; name at least one indicator") }
        } else if let node = byKey["indicators"] {
            error(node, "indicators must be a list, each item a mapping with id, method, numerator, denominator, …")
        }
        var seen: [String: PlanLocation] = [:]
        for spec in indicators {
            if let first = seen[spec.id] {
                error(
                    spec.keyLocations["id"] ?? spec.location,
                    "indicator id '\(spec.id)' is also used on line \(first.line); ids must be unique")
            } else {
                seen[spec.id] = spec.keyLocations["id"] ?? spec.location
            }
        }
        for spec in indicators {
            checkJudgements(spec, planComparison: comparison, comparisonLocation: location(byKey["comparison"]))
        }
        return Plan(
            path: path, name: name, inputs: inputs, imd: imd, imdLocation: imdLocation, lookupFiles: lookupFiles,
            geographies: geographies,
            periods: periods, seed: seed, repetitions: repetitions, repetitionsLocation: repetitionsLocation,
            indicators: indicators, areaTables: areaTables, report: report, history: history,
            historyLocation: location(byKey["history"]), benchmarks: benchmarks, comparison: comparison)
    }

    static func describe(_ key: String) -> String {
        switch key {
        case "inputs": return "the counts files, e.g. inputs: {counts: {file: counts.csv}}"
        case "geographies": return "the areas, e.g. geographies: [england, {icb: E54000008}, {places: E54000008}]"
        case "periods": return "single or pooled years, e.g. periods: [2018-2020] or [{rolling: 3, from: 2013, to: 2022}]"
        case "indicators": return "a list of indicators, each with id, method, numerator and denominator"
        default: return key
        }
    }

    // MARK: Inputs

    /// The folder a plan's relative paths are read from: the plan file's own folder, made absolute
    /// from the current directory when the plan was named by a relative path.
    static func planFolder(_ planPath: String) -> String {
        let absolute =
            planPath.hasPrefix("/")
            ? planPath : FileManager.default.currentDirectoryPath + "/" + planPath
        return URL(fileURLWithPath: absolute).deletingLastPathComponent().standardized.path
    }

    /// A path written in a plan: absolute as written, else relative to the plan's folder — the one
    /// rule for inputs, lookups and every later file key.
    static func planPath(_ text: String, folder: String) -> String {
        text.hasPrefix("/") ? text : URL(fileURLWithPath: folder).appendingPathComponent(text).standardized.path
    }

    mutating func inputs(_ node: Node, folder: String, overrides: [String: String]) -> [PlanInput] {
        guard let pairs = mapping(node, "inputs", known: nil) else { return [] }
        if pairs.isEmpty { error(node, "inputs: name at least one counts file, e.g. counts: {file: counts.csv}") }
        var out: [PlanInput] = []
        for (name, keyNode, value) in pairs {
            let what = "inputs.\(name)"
            var fileText: String? = nil
            var fileNode: Node? = nil
            var columns: [String: String] = [:]
            var columnLocations: [String: PlanLocation] = [:]
            var onError = RowErrorPolicy.fail
            if value.scalar != nil {
                fileText = scalar(value, what)
                fileNode = value
            } else if let fields = mapping(value, what, known: ["file", "columns", "on_error"]) {
                for (key, _, v) in fields {
                    switch key {
                    case "file":
                        fileText = scalar(v, "\(what).file")
                        fileNode = v
                    case "columns":
                        guard let cols = mapping(v, "\(what).columns", known: ["lsoa", "year", "sex", "age"]) else { continue }
                        for (c, _, cv) in cols {
                            if let text = scalar(cv, "\(what).columns.\(c)"), !text.isEmpty {
                                columns[c] = text
                                columnLocations[c] = location(cv)
                            }
                        }
                    default:
                        if let text = scalar(v, "\(what).on_error") {
                            if let policy = RowErrorPolicy(rawValue: text) {
                                onError = policy
                            } else {
                                error(v, "\(what).on_error: '\(text)' is not fail or reject")
                            }
                        }
                    }
                }
            }
            if fileText == nil && overrides[name] == nil {
                error(value.mapping == nil ? keyNode : value, "\(what) needs file: PATH (the counts CSV, plain or .csv.gz)")
            }
            let given = fileText ?? ""
            let resolved: String
            if let override = overrides[name] {
                resolved = override
            } else {
                resolved = given.isEmpty ? given : Self.planPath(given, folder: folder)
            }
            out.append(
                PlanInput(
                    name: name, file: overrides[name] ?? given, resolvedPath: resolved,
                    fileLocation: location(fileNode ?? keyNode), lsoa: columns["lsoa"], year: columns["year"],
                    sex: columns["sex"], age: columns["age"], columnLocations: columnLocations, onError: onError,
                    location: location(keyNode)))
        }
        return out
    }

    // MARK: Geographies

    mutating func geographyList(_ node: Node) -> [GeographySpec] {
        guard let list = items(node, "geographies") else { return [] }
        var out: [GeographySpec] = []
        let kinds = GeographyKind.allCases.map(\.rawValue)
        for item in list {
            if let text = item.scalar?.string {
                if text.lowercased() == "england" {
                    out.append(GeographySpec(kind: .england, codes: [], location: location(item)))
                } else {
                    error(
                        item,
                        "geographies: '\(text)' is not england or an entry such as {icb: E54000008}, {places: E54000008}, {la: [E08000011, E08000012]}, {las: all}, {regions: all}"
                    )
                }
                continue
            }
            guard let pairs = mapping(item, "geographies entry", known: kinds) else { continue }
            for (key, _, value) in pairs {
                let kind = GeographyKind(rawValue: key)!
                guard let values = items(value, "geographies.\(key)") else { continue }
                var codes: [(String, PlanLocation)] = []
                for v in values {
                    if let text = scalar(v, "geographies.\(key)") { codes.append((text, location(v))) }
                }
                if codes.isEmpty && kind != .england { error(value, "geographies.\(key): give at least one code") }
                out.append(GeographySpec(kind: kind, codes: codes, location: location(value)))
            }
        }
        if list.isEmpty { error(node, "geographies: the list is empty") }
        return out
    }

    // MARK: Periods

    mutating func periodList(_ node: Node) -> [Period] {
        guard let list = items(node, "periods") else { return [] }
        var out: [Period] = []
        for item in list {
            if item.scalar != nil {
                guard let text = scalar(item, "periods") else { continue }
                if let p = Self.period(text) {
                    out.append(p)
                } else {
                    error(
                        item,
                        "periods: '\(text)' is not a year (2019) or a range of years, first-last (2018-2020), within 1900-2199")
                }
                continue
            }
            guard let pairs = mapping(item, "periods entry", known: ["rolling", "from", "to"]) else { continue }
            var length: Int?, from: Int?, to: Int?
            for (key, _, value) in pairs {
                switch key {
                case "rolling": length = integer(value, "periods.rolling (years per period)", range: 1...50)
                case "from": from = integer(value, "periods.from", range: 1900...2199)
                default: to = integer(value, "periods.to", range: 1900...2199)
                }
            }
            guard let length, let from, let to else {
                if pairs.count == 3 { continue }  // a bad value, already reported
                error(
                    item,
                    "periods: a rolling entry needs rolling: N, from: FIRST YEAR and to: LAST YEAR, e.g. {rolling: 3, from: 2013, to: 2022}"
                )
                continue
            }
            guard to - from + 1 >= length else {
                error(item, "periods: \(from)-\(to) is shorter than one \(length)-year period")
                continue
            }
            for start in from...(to - length + 1) { out.append(Period(first: start, last: start + length - 1)) }
        }
        var seen = Set<Period>()
        out = out.filter { seen.insert($0).inserted }
        if list.isEmpty { error(node, "periods: the list is empty") }
        return out
    }

    /// `2019` or `2018-2020` (first ≤ last, within 1900–2199).
    package static func period(_ text: String) -> Period? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.count == 4 }) else { return nil }
        let years = parts.compactMap { Int($0) }
        guard years.count == parts.count, let first = years.first, let last = years.last, first <= last,
            first >= 1900, last <= 2199
        else { return nil }
        return Period(first: first, last: last)
    }

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

extension Node {
    /// Whether the node is a mapping.
    fileprivate var isMapping: Bool { mapping != nil }
}
