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
}

extension Node {
    /// Whether the node is a mapping.
    fileprivate var isMapping: Bool { mapping != nil }
}
