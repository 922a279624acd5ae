import Areas
import Foundation
import Indicators
import Ingest
import Results
import Yams

// A plan's inputs, geographies and periods: the parts every indicator shares.
extension NodeReader {
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
}
