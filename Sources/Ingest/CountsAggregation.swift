import Areas
import CSVStream
import Dispatch
import Indicators
import Synchronization

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `healthgap aggregate`: LSOA-level counts in, (area × deprivation × sex × band × period) sums out.
///
/// The counts file is streamed once (plain or gzip) and each row is joined to its LSOA's areas
/// and deprivation quantiles, its age mapped exactly into the requested bands, and its counts added
/// to an integer-addressed cell (see `CellAccumulator`). Memory is bounded by the number of output
/// cells, never by the file. Output rows are sorted by the `--by` keys in order (codes by code,
/// quantiles and years numerically, `Male` before `Female`, bands by age, `core20` before `rest`;
/// an empty local quantile last), and written atomically.
///
/// Parallel reading: a plain file read with more than one thread is cut into blocks at line ends
/// and each block parsed on its own thread. Cutting at a line end is wrong only inside a quoted
/// field that holds a line break, and then the block before the cut ends inside a quote and fails;
/// so on any problem at all (a bad row, a cut inside quotes, a duplicate split across blocks) the
/// parallel result is thrown away and the file is read again on one thread, which reports the first
/// problem exactly. A clean file is therefore read once, in parallel; a bad one twice.
public enum CountsAggregation {
    /// Runs an aggregation: reads the lookups and the counts, writes the output (and rejects).
    ///
    /// - Throws: `InputError`: `.usage` for inconsistent options, `.csv` for an unreadable or bad
    ///   file (in `fail` mode the first bad row; in either mode a quote error that stops reading or a
    ///   Place/ICB breakdown asked outside Cheshire and Merseyside), `.data` for no complete period.
    /// - Complexity: O(rows) time; O(output cells + LSOAs) memory.
    public static func run(_ request: AggregationRequest) throws(InputError) -> AggregationSummary {
        try request.validate()
        let geography = try Geography.load(data: request.data)
        let deprivation = try Deprivation.load(request.deprivation, data: request.data, geography: geography)
        return try run(request, geography: geography, deprivation: deprivation)
    }

    /// Runs an aggregation with lookups already loaded (tests load them once).
    ///
    /// - Throws: as `run(_:)`.
    /// - Complexity: O(rows) time; O(output cells + LSOAs) memory.
    public static func run(_ request: AggregationRequest, geography: Geography, deprivation: Deprivation)
        throws(InputError) -> AggregationSummary
    {
        try request.validate()
        do {
            return try runThrowing(request, geography: geography, deprivation: deprivation)
        } catch {
            throw InputError.from(error)
        }
    }

    private static func runThrowing(_ request: AggregationRequest, geography: Geography, deprivation: Deprivation)
        throws -> AggregationSummary
    {
        let reader = try CSVReader(path: request.counts)
        let plan = try IngestPlan(
            file: request.counts, header: reader.header, columns: request.columns, geography: geography,
            deprivation: deprivation, keys: request.by, bands: request.bands, localWithin: request.localWithin)

        let (accumulator, rowsRead, rejected, parallel) = try accumulate(
            path: request.counts, reader: reader, plan: plan, threads: request.threads,
            minimumSize: request.parallelMinimumBytes, blockSize: request.parallelBlockBytes,
            rejectsPath: request.onError == .reject ? request.rejects : nil)
        var summary = try AggregateOutput.write(plan: plan, accumulator: accumulator, request: request)
        summary.rowsRead = rowsRead
        summary.rejected = rejected
        summary.parallel = parallel
        return summary
    }

    /// Reads a counts file into cells: in parallel blocks where it can (a plain file and more
    /// than one thread; any problem discards the parallel result), else on this thread, where
    /// with `rejectsPath` bad rows go to that file (written, empty, even when none are bad).
    ///
    /// - Returns: the cells, rows read, rows rejected, and whether the parallel reader was used.
    /// - Complexity: O(rows) time; O(output cells + LSOAs) memory.
    static func accumulate(
        path: String, reader: CSVReader, plan: IngestPlan, threads: Int, minimumSize: Int, blockSize: Int,
        rejectsPath: String?
    ) throws -> (accumulator: CellAccumulator, read: Int, rejected: Int, parallel: Bool) {
        if threads > 1,
            let split = ParallelReader(path: path, threads: threads, minimumSize: minimumSize, blockSize: blockSize),
            let accumulator = split.run(plan: plan)
        {
            if let rejectsPath { try RejectsWriter(path: rejectsPath).finish() }
            return (accumulator, accumulator.accepted, 0, true)
        }
        let single = CellAccumulator(plan: plan)
        let rejects = try rejectsPath.map(RejectsWriter.init(path:))
        let (read, rejected) = try readSequentially(reader: reader, into: single, rejects: rejects)
        try rejects?.finish()
        return (single, read, rejected, false)
    }

    /// Reads every row on this thread; in reject mode bad rows go to `rejects`.
    ///
    /// - Returns: rows read and rows rejected.
    static func readSequentially(reader: CSVReader, into accumulator: CellAccumulator, rejects: RejectsWriter?)
        throws -> (read: Int, rejected: Int)
    {
        var read = 0
        var rejected = 0
        while true {
            let next: CSVRow?
            do {
                next = try reader.nextRow()
            } catch let error as CSVError {
                guard let rejects else { throw error }
                switch error {
                case .wrongFieldCount(_, let line, _, _):
                    // The reader has moved past the record: note it and go on.
                    read += 1
                    rejected += 1
                    try rejects.write(line: line, column: nil, columnName: nil, text: nil, error: error, record: nil)
                    continue
                case .unterminatedQuote(_, let line, let column, let name):
                    // The quote runs to the end of the file: one last (bad) record, then stop.
                    read += 1
                    rejected += 1
                    try rejects.write(line: line, column: column, columnName: name, text: nil, error: error, record: nil)
                    return (read, rejected)
                default:
                    throw error
                }
            }
            guard let row = next else { return (read, rejected) }
            read += 1
            do {
                try accumulator.add(row)
            } catch let error as CSVError {
                guard let rejects else { throw error }
                rejected += 1
                if case .invalidValue(_, let line, let column, let name, let text, _) = error {
                    try rejects.write(line: line, column: column, columnName: name, text: text, error: error, record: row.fields)
                } else {
                    try rejects.write(line: row.line, column: nil, columnName: nil, text: nil, error: error, record: row.fields)
                }
            }
        }
    }
}

/// The rejects file: one row per rejected input row, with where and why.
///
/// Columns: `line` (physical line of the row), `column` and `column_name` (of the offending field,
/// empty for a whole-row problem), `value` (the offending text), `reason` (the full message, as
/// `--on-error fail` would print it), `record` (the row's fields, re-joined as CSV; empty when the
/// row could not be split into fields).
final class RejectsWriter {
    private let writer: CSVWriter

    init(path: String) throws {
        writer = try CSVWriter(path: path)
        try writer.write(row: ["line", "column", "column_name", "value", "reason", "record"])
    }

    func write(line: Int, column: Int?, columnName: String?, text: String?, error: CSVError, record: [String]?) throws {
        try writer.write(row: [
            "\(line)", column.map { "\($0)" } ?? "", columnName ?? "", text ?? "", error.description,
            record.map(Self.join) ?? "",
        ])
    }

    func finish() throws { try writer.finish() }

    /// Fields joined as one CSV record under CSVWriter's one quoting rule, without the line end.
    static func join(_ fields: [String]) -> String {
        String(CSVWriter.joinRow(fields).dropLast())
    }
}

/// Reads a plain CSV file in blocks cut at line ends, one block per thread at a time.
final class ParallelReader: @unchecked Sendable {
    private let path: String
    private let threads: Int
    private let descriptor: Int32
    private let size: Int
    /// The header line, with its line break (and byte-order mark, if any).
    private let header: [UInt8]
    private let blockSize: Int
    private let next: Mutex<Int>
    private let failed = Atomic<Bool>(false)

    /// Opens `path` for block reading; nil when it should be read on one thread (smaller than
    /// `minimumSize`, gzip, unreadable, or a header with quotes).
    init?(path: String, threads: Int, minimumSize: Int, blockSize: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { return nil }
        var info = stat()
        guard fstat(fd, &info) == 0, Int(info.st_size) >= minimumSize, blockSize >= 1 else {
            close(fd)
            return nil
        }
        var head = [UInt8](repeating: 0, count: 1 << 16)
        let n = head.withUnsafeMutableBytes { pread(fd, $0.baseAddress, 1 << 16, 0) }
        guard n > 2, !(head[0] == 0x1f && head[1] == 0x8b),
            let end = head[0..<n].firstIndex(of: 0x0A), !head[0..<end].contains(0x22)
        else {
            close(fd)
            return nil
        }
        self.path = path
        self.threads = threads
        descriptor = fd
        size = Int(info.st_size)
        header = Array(head[0...end])
        self.blockSize = blockSize
        next = Mutex(end + 1)
    }

    deinit { close(descriptor) }

    /// Reads the next block into `buffer` (capacity `blockSize`): the length up to its last line
    /// feed and the bytes actually read (the rest is part of the next block), or nil at the end or
    /// after a failure.
    private func nextBlock(into buffer: UnsafeMutablePointer<UInt8>) -> (length: Int, read: Int)? {
        next.withLock { offset -> (length: Int, read: Int)? in
            if failed.load(ordering: .relaxed) || offset >= size { return nil }
            var got = 0
            while got < blockSize && offset + got < size {
                let n = pread(descriptor, buffer + got, blockSize - got, off_t(offset + got))
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                got += n
            }
            guard got > 0 else {
                failed.store(true, ordering: .relaxed)
                return nil
            }
            var length = got
            if offset + got < size {
                // Cut after the last line feed; a block without one (a huge record) is not split.
                while length > 0 && buffer[length - 1] != 0x0A { length -= 1 }
                if length == 0 {
                    failed.store(true, ordering: .relaxed)
                    return nil
                }
            }
            offset += length
            return (length, got)
        }
    }

    /// Parses every block on `threads` threads; nil when anything went wrong (read again on one thread).
    func run(plan: IngestPlan) -> CellAccumulator? {
        let results = Mutex<[CellAccumulator]>([])
        let box = UncheckedBox(plan)
        DispatchQueue.concurrentPerform(iterations: threads) { _ in
            let plan = box.value
            let accumulator = CellAccumulator(plan: plan)
            // One buffer per thread: the header, then each block read straight into it. Bytes past
            // the block's last line feed are overwritten with line feeds, which the reader skips as
            // trailing blank lines, so the buffer never needs resizing or a second copy.
            var bytes = [UInt8](repeating: 0x0A, count: header.count + blockSize)
            bytes.replaceSubrange(0..<header.count, with: header)
            var dirty = header.count
            while true {
                let start = header.count
                guard let block = bytes.withUnsafeMutableBufferPointer({ nextBlock(into: $0.baseAddress! + start) }) else {
                    break
                }
                let end = start + block.length
                let stale = max(start + block.read, dirty)
                if stale > end {
                    bytes.withUnsafeMutableBufferPointer { ($0.baseAddress! + end).update(repeating: 0x0A, count: stale - end) }
                }
                dirty = end
                do {
                    let reader = try CSVReader(bytes: bytes, name: path, options: .init(chunkSize: 1 << 18))
                    try reader.forEachRow { try accumulator.add($0) }
                } catch {
                    failed.store(true, ordering: .relaxed)
                    break
                }
            }
            let keep = UncheckedBox(accumulator)
            results.withLock { $0.append(keep.value) }
        }
        if failed.load(ordering: .relaxed) { return nil }
        var all = results.withLock { $0 }
        guard let first = all.popLast() else { return nil }
        for other in all where !first.merge(other) { return nil }
        return first
    }
}

/// Carries a non-Sendable reference across a concurrency boundary where the code guarantees exclusive use.
struct UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
