// Test support for healthgap's test targets: fixture paths, a fixture loader and tolerant
// comparisons. Not part of any product; no stable API.
import CSVStream
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

    /// A file in `../shared/reference/methods/` (worked examples for METHODS.md §9–§14).
    public static func methodsReference(_ name: String) -> URL {
        shared.appendingPathComponent("reference/methods").appendingPathComponent(name)
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

    /// Reads a small CSV fixture into its header and rows of fields, with the project's own reader.
    public static func rawTable(_ url: URL) throws -> (header: [String], rows: [[String]]) {
        try CSVReader.readAll(path: url.path)
    }

    /// The path of `relative` inside `../shared`, e.g. `data/imd2019/imd2019_lsoa11_ranks.csv.gz`.
    public static func sharedPath(_ relative: String) -> String {
        shared.appendingPathComponent(relative).path
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

/// Parses a fixture cell: empty, `NA`, `NaN` or `null` give nil (METHODS.md §0).
public func fixtureNumber(_ text: String?) -> Double? {
    guard let t = text?.trimmingCharacters(in: .whitespaces), !t.isEmpty, !["NA", "NaN", "null"].contains(t) else {
        return nil
    }
    return Double(t)
}

/// Parses CSV text (e.g. a command's output) into rows keyed by header name.
public func parseCSV(_ text: String) throws -> [[String: String]] {
    let reader = try CSVReader(string: text)
    let header = reader.header.names
    return try reader.remainingRows().map { Dictionary(uniqueKeysWithValues: zip(header, $0)) }
}
