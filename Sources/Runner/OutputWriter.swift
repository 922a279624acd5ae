import CSVStream
import Foundation
import Areas
import Ingest
import Results

/// Writes a run's CSV files into its staging directory as the jobs come in (in job order).
///
/// `results.csv` gets every row; while the jobs of one area come in (jobs are area-major), that
/// area's tables are open, one per breakdown (`tables/place_liverpool_by-local-decile.csv`), and
/// they are completed when the next area starts. No byte-order mark, LF line ends, RFC 4180 quotes:
/// the files open cleanly in Excel and load in R (`read.csv`) and Python (`pandas.read_csv`).
final class OutputWriter {
    private let staging: String
    private let resolved: ResolvedPlan
    private let long: StagedFile
    private var longRows = 0
    private var area = -1
    private var tables: [DeprivationScheme: (sink: StagedFile, name: String, rows: Int)] = [:]
    private var written: [(name: String, rows: Int)] = []
    private let tableHeader: [UInt8]

    /// The long table's name.
    static let longTable = "results.csv"

    init(staging: String, resolved: ResolvedPlan) throws(RunnerError) {
        self.staging = staging
        self.resolved = resolved
        do {
            long = try StagedFile(path: staging + "/" + Self.longTable)
            try long.append(Self.encode(RowEncoder.longHeader(levels: resolved.levels)))
        } catch {
            throw .output(path: staging, reason: error.description)
        }
        tableHeader = Self.encode(RowEncoder.tableHeader(levels: resolved.levels))
    }

    static func encode(_ fields: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, f) in fields.enumerated() {
            if i > 0 { out.append(0x2C) }
            out.append(contentsOf: encodeField(f))
        }
        out.append(0x0A)
        return out
    }

    /// A file name's words: lowercase ASCII letters and digits, other runs of characters as `-`.
    static func slug(_ text: String) -> String {
        var out = ""
        for c in text.lowercased() {
            if c.isASCII && (c.isLetter || c.isNumber) {
                out.append(c)
            } else if !out.isEmpty && out.last != "-" {
                out.append("-")
            }
        }
        while out.last == "-" { out.removeLast() }
        return out
    }

    /// The table name of a breakdown.
    static func tableName(_ scheme: DeprivationScheme) -> String {
        switch scheme {
        case .none: return "whole-area"
        case .nationalDeciles: return "by-national-decile"
        case .nationalQuintiles: return "by-national-quintile"
        case .localDeciles: return "by-local-decile"
        case .core20: return "core20-vs-rest"
        }
    }

    /// Appends one job's rows.
    func write(job: RunJob, output: JobOutput) throws(RunnerError) {
        do {
            if job.area != area {
                try closeTables()
                area = job.area
            }
            try long.append(output.long)
            longRows += output.rows
            guard resolved.plan.areaTables else { return }
            for scheme in DeprivationScheme.allCases {
                guard let bytes = output.tables[scheme] else { continue }
                if tables[scheme] == nil {
                    let a = resolved.areas[area]
                    let name = "tables/\(a.type)_\(Self.slug(a.name))_\(Self.tableName(scheme)).csv"
                    let sink = try StagedFile(path: staging + "/" + name)
                    try sink.append(tableHeader)
                    tables[scheme] = (sink, name, 0)
                }
                try tables[scheme]!.sink.append(bytes)
                tables[scheme]!.rows += output.tableRows[scheme] ?? 0
            }
        } catch {
            throw .output(path: staging, reason: error.description)
        }
    }

    private func closeTables() throws(CSVError) {
        for scheme in DeprivationScheme.allCases {
            guard let table = tables[scheme] else { continue }
            try table.sink.finish()
            written.append((table.name, table.rows))
        }
        tables = [:]
    }

    /// Completes every file; returns their names (relative to the staging directory) and data rows.
    func finish() throws(RunnerError) -> [(name: String, rows: Int)] {
        do {
            try closeTables()
            try long.finish()
        } catch {
            throw .output(path: staging, reason: error.description)
        }
        return [(Self.longTable, longRows)] + written
    }
}
