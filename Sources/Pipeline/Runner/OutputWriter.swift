import CSVStream
import Foundation

/// Writes a run's CSV files into its staging directory as the jobs come in (in job order).
///
/// `results.csv` gets every row; while the jobs of one area come in (jobs are area-major), that
/// area's tables are open, one per breakdown (`tables/place_liverpool_by-local-decile.csv`), and
/// they are completed when the next area starts. No byte-order mark, LF line ends, RFC 4180 quotes:
/// the files open cleanly in Excel and load in R (`read.csv`) and Python (`pandas.read_csv`).
final class OutputWriter {
    private let staging: String
    private let resolved: ResolvedPlan
    private let long: OutputSink
    private var longRows = 0
    private var area = -1
    private var tables: [DeprivationScheme: (sink: OutputSink, name: String, rows: Int)] = [:]
    private var written: [(name: String, rows: Int)] = []
    private let tableHeader: [UInt8]

    /// The long table's name.
    static let longTable = "results.csv"

    init(staging: String, resolved: ResolvedPlan) throws(RunnerError) {
        self.staging = staging
        self.resolved = resolved
        do {
            long = try OutputSink(path: staging + "/" + Self.longTable)
        } catch {
            throw .output(path: staging, reason: "\(error)")
        }
        long.appendBytes(Self.encode(RowEncoder.longHeader(levels: resolved.levels)))
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
            long.appendBytes(output.long)
            try long.flushIfFull()
            longRows += output.rows
            guard resolved.plan.areaTables else { return }
            for scheme in DeprivationScheme.allCases {
                guard let bytes = output.tables[scheme] else { continue }
                if tables[scheme] == nil {
                    let a = resolved.areas[area]
                    let name = "tables/\(a.type)_\(Self.slug(a.name))_\(Self.tableName(scheme)).csv"
                    let sink = try OutputSink(path: staging + "/" + name)
                    sink.appendBytes(tableHeader)
                    tables[scheme] = (sink, name, 0)
                }
                tables[scheme]!.sink.appendBytes(bytes)
                tables[scheme]!.rows += bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
                try tables[scheme]!.sink.flushIfFull()
            }
        } catch let error as RunnerError {
            throw error
        } catch {
            throw .output(path: staging, reason: "\(error)")
        }
    }

    private func closeTables() throws {
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
            throw .output(path: staging, reason: "\(error)")
        }
        return [(Self.longTable, longRows)] + written
    }
}
