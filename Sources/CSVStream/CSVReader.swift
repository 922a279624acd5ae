/// A streaming RFC 4180 CSV reader over a file, a `.csv.gz` file or bytes in memory.
///
/// ```swift
/// let reader = try CSVReader(path: "counts.csv.gz")
/// let deaths = try reader.header.requireIndex(of: "deaths")
/// var total = 0.0
/// try reader.forEachRow { row in total += try row.double(deaths) ?? 0 }
/// ```
///
/// The reader holds one chunk of input at a time (``Options/chunkSize``, 1 MiB by default) plus
/// the part of a record that straddles two chunks, never the whole file. Gzip input (recognised
/// by its magic bytes) is inflated on a second thread while this one parses.
///
/// What it accepts: fields separated by commas; records ended by LF, CRLF or a lone CR; quoted
/// fields with doubled quotes (`""`) and line breaks inside; a UTF-8 byte-order mark at the start
/// (skipped); a last record without a line break; blank lines at the end (ignored). The first
/// record is the header, and every later record must have as many fields as the header.
///
/// Limits keep memory bounded whatever the input: a field longer than ``Options/maxFieldBytes``
/// (1 MiB), a record of more than ``Options/maxColumns`` fields (10,000) or longer than
/// ``Options/maxRecordBytes`` (16 MiB) is an error as soon as the reader has seen that much of
/// it, so a file with no line breaks (or `/dev/zero`, or a gzip bomb) fails within one limit's
/// worth of reading. A path that is a pipe or a device is read once, as a stream (see
/// ``CSVInput/isRegularFile(_:)`` for callers that need to read a file twice).
///
/// A reader is a single-threaded object: use it from one thread at a time.
public final class CSVReader {
    /// Settings for a reader.
    public struct Options: Sendable {
        /// How many bytes to read from the source at a time (at least 1); tiny values are for tests.
        public var chunkSize: Int
        /// Whether a record with fewer fields than the header is read with the missing trailing
        /// fields empty (``CSVRow/fieldsInRecord`` tells how many it had) instead of being an error.
        ///
        /// Off by default. Fingertips exports need it: some drop a trailing empty field on every row.
        public var allowsShortRecords: Bool
        /// The longest field accepted, in bytes as written in the file (1 MiB by default).
        public var maxFieldBytes: Int
        /// The most fields a record (the header included) may have (10,000 by default).
        public var maxColumns: Int
        /// The longest record accepted, in bytes including its line break (16 MiB by default).
        public var maxRecordBytes: Int

        /// Creates options; the default chunk is 1 MiB, short records are errors, and the limits are as
        /// documented on each.
        public init(
            chunkSize: Int = 1 << 20, allowsShortRecords: Bool = false, maxFieldBytes: Int = 1 << 20,
            maxColumns: Int = 10_000, maxRecordBytes: Int = 16 << 20
        ) {
            precondition(chunkSize > 0, "chunkSize must be positive")
            precondition(maxFieldBytes > 0 && maxColumns > 0 && maxRecordBytes > 0, "limits must be positive")
            self.chunkSize = chunkSize
            self.allowsShortRecords = allowsShortRecords
            self.maxFieldBytes = maxFieldBytes
            self.maxColumns = maxColumns
            self.maxRecordBytes = maxRecordBytes
        }
    }

    /// The path given to the initialiser, or the name of in-memory input; used in errors.
    public let file: String
    /// The header row: the column names.
    public let header: CSVHeader
    /// The number of data rows returned so far.
    public var rowsRead: Int { scanner.pointee.rowsRead }

    // The scanner lives behind a pointer: as a stored `var` of this class, every row would pay
    // for a dynamic exclusivity check (about a tenth of the parse time).
    private let scanner: UnsafeMutablePointer<RecordScanner>

    /// Opens the file at `path` and reads its header; gzip files are recognised by their content.
    ///
    /// - Throws: ``CSVError/cannotOpen(file:reason:)`` if the file cannot be opened or read (or is
    ///   a directory), ``CSVError/gzip(file:reason:)`` for a corrupt gzip file or a `.gz` path that
    ///   is not gzip, ``CSVError/emptyFile(file:)`` when there is no header,
    ///   ``CSVError/invalidUTF8(file:line:column:columnName:text:)`` for a column name that is not
    ///   UTF-8, and the parse and limit errors of ``readRow()`` for a malformed header.
    public convenience init(path: String, options: Options = .init()) throws(CSVError) {
        let source = try openSource(path: path, chunkSize: options.chunkSize)
        try self.init(source: source, name: path, options: options)
    }

    /// Reads CSV (or gzip-compressed CSV) held in memory; `name` stands for the file in errors.
    ///
    /// - Throws: the errors of ``init(path:options:)`` other than `cannotOpen`.
    public convenience init(bytes: [UInt8], name: String = "<memory>", options: Options = .init()) throws(CSVError) {
        let source: any ByteSource
        if bytes.count >= 2 && bytes[0] == 0x1f && bytes[1] == 0x8b {
            source = GzipSource(input: .memory(bytes), name: name, chunkSize: options.chunkSize)
        } else {
            source = MemorySource(bytes)
        }
        try self.init(source: source, name: name, options: options)
    }

    /// Reads CSV text held in a string; `name` stands for the file in errors.
    ///
    /// - Throws: ``CSVError/emptyFile(file:)`` for an empty string, and the parse errors of
    ///   ``readRow()`` for a malformed header.
    public convenience init(string: String, name: String = "<memory>", options: Options = .init()) throws(CSVError) {
        try self.init(bytes: Array(string.utf8), name: name, options: options)
    }

    private init(source: any ByteSource, name: String, options: Options) throws(CSVError) {
        let limits = ScanLimits(
            fieldBytes: options.maxFieldBytes, fields: options.maxColumns, recordBytes: options.maxRecordBytes)
        var scanner = RecordScanner(source: source, file: name, chunkSize: options.chunkSize, limits: limits)
        let names = try scanner.readHeader()
        scanner.columnNames = names
        scanner.allowsShortRecords = options.allowsShortRecords
        self.scanner = UnsafeMutablePointer<RecordScanner>.allocate(capacity: 1)
        self.scanner.initialize(to: scanner)
        self.file = name
        self.header = CSVHeader(names: names, file: name)
    }

    deinit {
        scanner.deinitialize(count: 1)
        scanner.deallocate()
    }

    /// Returns the next data row, or nil at the end of the input.
    ///
    /// The row points into the reader's buffer: it is valid only until the next call to
    /// `readRow()` (or `nextRow()`) (or the end of the `forEachRow` callback) and must not be kept.
    /// - Throws: ``CSVError/wrongFieldCount(file:line:expected:found:)`` for a row whose field
    ///   count differs from the header's (the reader moves past it, so reading may go on);
    ///   ``CSVError/unterminatedQuote(file:line:column:columnName:)``,
    ///   ``CSVError/unexpectedQuote(file:line:column:columnName:text:)``; the limit errors
    ///   ``CSVError/fieldTooLong(file:line:column:columnName:limit:)``,
    ///   ``CSVError/tooManyFields(file:line:limit:)`` and ``CSVError/recordTooLong(file:line:limit:)``
    ///   (reading cannot go on after these); and the I/O and gzip errors of ``init(path:options:)``.
    /// - Complexity: O(*n*) in the row's length in bytes; no allocation per field.
    public func readRow() throws(CSVError) -> CSVRow? {
        try scanner.pointee.nextRow(reader: self)
    }

    /// Returns the next data row, or nil at the end of the input: ``readRow()`` with an untyped `throws`.
    ///
    /// Every error it throws is a ``CSVError``. It stays untyped because Swift 6.3.1 crashes
    /// (SILGen ownership verifier) compiling a caller that catches a typed error with a no-op
    /// `catch let error as CSVError` and then both switches on and rethrows it, as Pipeline's
    /// `CountsAggregation.readSequentially` does; once no caller does, this can become typed.
    /// - Throws: the errors of ``readRow()``.
    /// - Complexity: O(*n*) in the row's length in bytes; no allocation per field.
    public func nextRow() throws -> CSVRow? {
        try readRow()
    }

    /// Calls `body`, which throws only ``CSVError``, with every remaining data row, in order.
    ///
    /// Chosen for a closure that throws nothing or is declared `throws(CSVError)`; a closure that
    /// may throw anything else uses the untyped overload. The row is valid only during the call.
    /// - Throws: the errors of ``readRow()``, and whatever `body` throws.
    /// - Complexity: O(*n*) in the input's length.
    public func forEachRow(_ body: (CSVRow) throws(CSVError) -> Void) throws(CSVError) {
        while let row = try readRow() {
            try body(row)
        }
    }

    /// Calls `body` with every remaining data row, in order.
    ///
    /// The row is valid only during the call. Errors from `body` stop the iteration and propagate.
    /// - Throws: the errors of ``readRow()`` (as ``CSVError``), and whatever `body` throws.
    /// - Complexity: O(*n*) in the input's length.
    public func forEachRow(_ body: (CSVRow) throws -> Void) throws {
        while let row = try readRow() {
            try body(row)
        }
    }

    /// Reads a whole (small) file into strings: the header and every row.
    ///
    /// - Throws: the errors of ``init(path:options:)`` and ``remainingRows()``.
    /// - Complexity: O(*n*) time and memory in the file's size; for lookups and tests, not bulk data.
    public static func readAll(path: String, options: Options = .init()) throws(CSVError) -> (
        header: [String], rows: [[String]]
    ) {
        let reader = try CSVReader(path: path, options: options)
        return (reader.header.names, try reader.remainingRows())
    }

    /// Reads every remaining row into strings, checking that every field is UTF-8.
    ///
    /// - Throws: the errors of ``readRow()``, and
    ///   ``CSVError/invalidUTF8(file:line:column:columnName:text:)`` for a field that is not UTF-8.
    /// - Complexity: O(*n*) time and memory in the remaining input.
    public func remainingRows() throws(CSVError) -> [[String]] {
        var rows: [[String]] = []
        while let row = try readRow() {
            rows.append(try row.strings())
        }
        return rows
    }
}

extension String {
    /// The string without leading and trailing whitespace (including line breaks).
    func trimmingWhitespace() -> String {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }),
            let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })
        else { return "" }
        return String(scalars[first...last])
    }
}
