import CSVStream
import Indicators

/// The area tables: one file per area and breakdown (`tables/place_liverpool_by-local-decile.csv`),
/// each holding that area's rows of the breakdown for every indicator, sex and period — the
/// whole-area value first (quantile `all`), then the cells, then the gap measures.
///
/// Built from records alone: a job's records are recognised by their indicator, area, sex and
/// period, and the whole-area row goes into each breakdown table of its job (or into
/// `…_whole-area.csv` when the job has no breakdown). A gap decomposition's rows go where its
/// comparison belongs: most against least deprived into the breakdown's table, the area against a
/// benchmark into `…_whole-area.csv`; those tables have the `cause` column
/// (`RunDescription.causeTables`). An area's tables are completed when records of another area
/// arrive, so memory holds one area at a time.
public final class AreaTablesConsumer: ResultConsumer {
    private var staging = ""
    private var levels: [ConfidenceLevel] = []
    /// The breakdowns whose tables have the cause column.
    private var causeTables: Set<DeprivationScheme> = []
    private var area: AreaLabel?
    private var open: [DeprivationScheme: (file: StagedFile, name: String, rows: Int)] = [:]
    private var written: [WrittenFile] = []
    private var opened: Set<String> = []

    /// Creates the consumer.
    public init() {}

    /// A file name's words: lowercase ASCII letters and digits, other runs of characters as `-`.
    public static func slug(_ text: String) -> String {
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

    /// The table name of a breakdown (`by-local-decile`).
    public static func tableName(_ scheme: DeprivationScheme) -> String {
        switch scheme {
        case .none: return "whole-area"
        case .nationalDeciles: return "by-national-decile"
        case .nationalQuintiles: return "by-national-quintile"
        case .localDeciles: return "by-local-decile"
        case .localQuintiles: return "by-local-quintile"
        case .core20: return "core20-vs-rest"
        }
    }

    /// The path of an area's table, relative to the run folder.
    public static func path(area: AreaLabel, scheme: DeprivationScheme) -> String {
        "tables/\(area.type.rawValue)_\(slug(area.name))_\(tableName(scheme)).csv"
    }

    /// Remembers the staging folder and the run's levels.
    public func begin(staging: String, run: RunDescription) throws(ConsumerError) {
        self.staging = staging
        levels = run.levels
        causeTables = run.causeTables
    }

    /// Routes each job's records to its area's tables.
    public func consume(_ records: [ResultRecord]) throws(ConsumerError) {
        var start = 0
        while start < records.count {
            var end = start + 1
            while end < records.count && Self.sameJob(records[start], records[end]) { end += 1 }
            try route(records[start..<end])
            start = end
        }
    }

    /// Completes the last area's tables.
    public func finish() throws(ConsumerError) -> [WrittenFile] {
        try closeArea()
        return written
    }

    private static func sameJob(_ a: ResultRecord, _ b: ResultRecord) -> Bool {
        a.indicator.id == b.indicator.id && a.area == b.area && a.sex == b.sex && a.period == b.period
    }

    /// One job's records into its tables.
    private func route(_ job: ArraySlice<ResultRecord>) throws(ConsumerError) {
        guard let first = job.first else { return }
        if area != first.area {
            try closeArea()
            area = first.area
        }
        var schemes: [DeprivationScheme] = []
        for r in job where !schemes.contains(r.scheme) { schemes.append(r.scheme) }
        let wholeAreaTargets: [DeprivationScheme] = schemes == [.none] ? [.none] : schemes.filter { $0 != .none }
        var bytes: [DeprivationScheme: [UInt8]] = [:]
        var rows: [DeprivationScheme: Int] = [:]
        for r in job {
            // A gap against a benchmark area (a whole-area gap, not a cell) goes to the whole-area table.
            let targets: [DeprivationScheme] =
                r.scheme != .none ? [r.scheme] : r.measure == .gapContribution ? [.none] : wholeAreaTargets
            for target in targets {
                ResultsCSV.appendTableRow(
                    r, levels: levels, causes: causeTables.contains(target), to: &bytes[target, default: []])
                rows[target, default: 0] += 1
            }
        }
        for scheme in DeprivationScheme.allCases {
            guard let data = bytes[scheme] else { continue }
            try append(data, rows: rows[scheme] ?? 0, scheme: scheme, area: first.area)
        }
    }

    private func append(_ data: [UInt8], rows: Int, scheme: DeprivationScheme, area: AreaLabel) throws(ConsumerError) {
        // The path is made only when a table opens: slugging the name for every job showed in profiles.
        var name = open[scheme]?.name ?? ""
        do {
            if open[scheme] == nil {
                name = Self.path(area: area, scheme: scheme)
                if opened.isEmpty {
                    try makeDirectory(staging + "/tables")
                }
                guard !opened.contains(name) else {
                    throw ConsumerError(
                        path: name,
                        reason: "two areas give the same table name; rename one of them in the plan or the lookups")
                }
                opened.insert(name)
                let file = try StagedFile(path: staging + "/" + name)
                try file.append(
                    CSVWriter.encodeRow(ResultsCSV.tableHeader(levels: levels, causes: causeTables.contains(scheme))))
                open[scheme] = (file, name, 0)
            }
            try open[scheme]!.file.append(data)
            open[scheme]!.rows += rows
        } catch let error as ConsumerError {
            throw error
        } catch {
            throw ConsumerError(path: staging + "/" + name, reason: "\(error)")
        }
    }

    private func closeArea() throws(ConsumerError) {
        for scheme in DeprivationScheme.allCases {
            guard let table = open[scheme] else { continue }
            do {
                try table.file.finish()
            } catch {
                throw ConsumerError(path: staging + "/" + table.name, reason: error.description)
            }
            written.append(WrittenFile(name: table.name, rows: table.rows))
        }
        open = [:]
    }

    private func makeDirectory(_ path: String) throws(ConsumerError) {
        if mkdir(path, 0o755) != 0 && errno != EEXIST {
            throw ConsumerError(path: path, reason: String(cString: strerror(errno)))
        }
    }
}

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif
