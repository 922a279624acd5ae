// Test support for healthgap's test targets: fixture paths, a fixture loader and tolerant
// comparisons. Not part of any product; no stable API.
import Foundation
import Testing

/// Locations of the project, its fixtures and `../shared`, found from this file's path.
public enum Fixtures {
    /// The project root (three levels above this file).
    public static let projectRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `../shared` beside the project root.
    public static let shared: URL = projectRoot.deletingLastPathComponent().appendingPathComponent("shared")

    /// A file in `../shared/reference/phe/`.
    public static func reference(_ name: String) -> URL {
        shared.appendingPathComponent("reference/phe").appendingPathComponent(name)
    }

    /// Reads a small CSV fixture into rows keyed by header name (BOM stripped, RFC 4180 quotes).
    public static func table(_ url: URL) throws -> [[String: String]] {
        let (header, rows) = try rawTable(url)
        return rows.map { row in
            var dict: [String: String] = [:]
            for (i, name) in header.enumerated() where i < row.count { dict[name] = row[i] }
            return dict
        }
    }

    /// Reads a small CSV fixture into its header and rows of fields.
    public static func rawTable(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        var text = try String(contentsOf: url, encoding: .utf8)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        var records: [[String]] = []
        var field = ""
        var record: [String] = []
        var inQuotes = false
        var iterator = Array(text.unicodeScalars).makeIterator()
        var pending: Unicode.Scalar? = nil
        func nextScalar() -> Unicode.Scalar? {
            if let p = pending { pending = nil; return p }
            return iterator.next()
        }
        while let c = nextScalar() {
            if inQuotes {
                if c == "\"" {
                    if let n = nextScalar() {
                        if n == "\"" { field.unicodeScalars.append("\"") } else { inQuotes = false; pending = n }
                    } else { inQuotes = false }
                } else { field.unicodeScalars.append(c) }
            } else if c == "\"" {
                inQuotes = true
            } else if c == "," {
                record.append(field); field = ""
            } else if c == "\n" || c == "\r" {
                if c == "\r", let n = nextScalar(), n != "\n" { pending = n }
                record.append(field); field = ""
                records.append(record); record = []
            } else {
                field.unicodeScalars.append(c)
            }
        }
        if !field.isEmpty || !record.isEmpty { record.append(field); records.append(record) }
        records.removeAll { $0 == [""] }
        guard let header = records.first else { return ([], []) }
        return (header, Array(records.dropFirst()))
    }
}

/// Expects `actual` to be within `relative` (of |expected|) or `absolute` of `expected`; nil must match nil.
public func expectClose(
    _ actual: Double?, _ expected: Double?, relative: Double = 0, absolute: Double = 0,
    _ context: @autoclosure () -> String = "",
    sourceLocation: SourceLocation = #_sourceLocation
) {
    switch (actual, expected) {
    case (nil, nil):
        return
    case let (a?, e?):
        if a == e { return }
        let allowed = max(absolute, relative * abs(e))
        let error = abs(a - e)
        #expect(
            error <= allowed,
            "expected \(e), got \(a) (error \(error), allowed \(allowed)) \(context())",
            sourceLocation: sourceLocation)
    default:
        Issue.record(
            "expected \(expected.map(String.init(describing:)) ?? "nil"), got \(actual.map(String.init(describing:)) ?? "nil") \(context())",
            sourceLocation: sourceLocation)
    }
}

/// Parses a fixture cell: empty, `NA` or `NaN` give nil.
public func fixtureNumber(_ text: String?) -> Double? {
    guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty, t != "NA", t != "NaN" else { return nil }
    return Double(t)
}
