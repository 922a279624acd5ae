#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A buffered RFC 4180 CSV writer to a file (replaced atomically), standard output or memory.
///
/// ```swift
/// let writer = try CSVWriter(path: "out/rates.csv.gz")
/// try writer.write(row: ["area", "rate"])
/// try writer.write(row: ["E06000049", CSVWriter.format(412.5)])
/// try writer.finish()
/// ```
///
/// A file is written through an ``AtomicFile``: to a temporary file in the same directory, renamed
/// over the target by ``finish()``; a writer released without `finish()` (for example because an
/// error was thrown) removes its temporary file and leaves the target untouched. The target must be
/// a regular file or absent (a directory, FIFO, device or symbolic link is refused), and keeps its
/// permission bits. A path ending in `.gz` is gzip-compressed. Fields are quoted only when they
/// must be (see ``encodeField(_:options:)``); lines end with `\n`; no byte-order mark unless
/// ``Options/byteOrderMark`` is set. A row of a single empty field is written as `""` so that it
/// is not read back as a blank line. Writers to standard output or memory that are released
/// without `finish()` flush what they hold, but only `finish()` reports errors.
public final class CSVWriter {
    /// How a writer encodes its output.
    public struct Options: OptionSet, Sendable {
        /// The options' bits.
        public let rawValue: Int

        /// Creates options from their bits.
        public init(rawValue: Int) { self.rawValue = rawValue }

        /// Text fields that a spreadsheet would run as a formula get a leading `'` (OWASP "CSV
        /// injection"): see ``CSVWriter/neutralise(_:)``. Numbers are never changed.
        public static let spreadsheetSafe = Options(rawValue: 1 << 0)
        /// The output starts with a UTF-8 byte-order mark, which Excel needs to read UTF-8.
        public static let byteOrderMark = Options(rawValue: 1 << 1)
    }

    private let sink: any ByteSink
    /// The target's path (or `<stdout>`, `<memory>`), for error messages.
    public let file: String
    /// How this writer encodes its output.
    public let options: Options
    private let buffer: UnsafeMutablePointer<UInt8>
    private let bufferSize = 1 << 18
    private var used = 0
    private var fieldsInRow = 0
    private var lastFieldEmpty = false
    private var finished = false

    private init(sink: any ByteSink, file: String, options: Options) {
        self.sink = sink
        self.file = file
        self.options = options
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize)
        if options.contains(.byteOrderMark) {
            buffer[0] = 0xEF
            buffer[1] = 0xBB
            buffer[2] = 0xBF
            used = 3
        }
    }

    /// Opens a writer whose output replaces `path` atomically on ``finish()``; `.gz` paths are gzipped.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if `path` is not a regular file (a
    ///   directory, FIFO, device or symbolic link) or the temporary file cannot be created.
    public convenience init(path: String, options: Options = []) throws(CSVError) {
        try self.init(output: AtomicFile(path: path), options: options)
    }

    /// A writer into `output` (an ``AtomicFile``, or a descriptor such as standard output); gzipped
    /// when its path ends in `.gz`.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if zlib cannot be initialised.
    public convenience init(output: AtomicFile, options: Options = []) throws(CSVError) {
        let path = output.path
        let sink: any ByteSink = path.hasSuffix(".gz") ? try GzipSink(wrapping: output, name: path) : output
        self.init(sink: sink, file: path, options: options)
    }

    /// A writer to standard output (not atomic; ``finish()`` flushes it and reports write errors).
    public static func standardOutput(options: Options = []) -> CSVWriter {
        CSVWriter(sink: AtomicFile.standardOutput(), file: "<stdout>", options: options)
    }

    /// A writer that collects its output in memory (optionally gzipped); read it with ``contents``.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if zlib cannot be initialised.
    public static func inMemory(gzip: Bool = false, options: Options = []) throws(CSVError) -> CSVWriter {
        let memory = MemorySink()
        let sink: any ByteSink = gzip ? try GzipSink(wrapping: memory, name: "<memory>") : memory
        let writer = CSVWriter(sink: sink, file: "<memory>", options: options)
        writer.memory = memory
        return writer
    }

    private var memory: MemorySink?

    /// The bytes an in-memory writer has produced; complete after ``finish()``, empty for other targets.
    public var contents: [UInt8] { memory?.bytes ?? [] }

    deinit {
        if !finished {
            if sink.isAtomic {
                sink.abandon()
            } else {
                // Standard output or memory: keep what was written (best effort, errors are lost).
                if fieldsInRow > 0 { try? endRow() }
                finished = true
                do {
                    try flush()
                    try sink.finish()
                } catch {}
            }
        }
        buffer.deallocate()
    }

    // MARK: Rows

    /// Writes one row of text fields.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    /// - Complexity: O(*n*) in the row's length.
    public func write(row: [String]) throws(CSVError) {
        try write(fields: row)
    }

    /// Writes one row from any sequence of text fields.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    /// - Complexity: O(*n*) in the row's length.
    public func write(fields: some Sequence<String>) throws(CSVError) {
        for field in fields { try write(field: field) }
        try endRow()
    }

    /// Appends one text field to the current row (end the row with ``endRow()``).
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    /// - Complexity: O(*n*) in the field's length.
    public func write(field: String) throws(CSVError) {
        try append(field, text: true)
    }

    /// Appends one number to the current row, formatted by ``format(_:)`` (nil is an empty field).
    ///
    /// Never neutralised by ``Options/spreadsheetSafe``: `-1.5` stays `-1.5`.
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    public func write(field: Double?) throws(CSVError) {
        try append(Self.format(field), text: false)
    }

    /// Writes complete records already encoded under the one rule (``encodeRow(_:options:)``,
    /// ``appendField(_:to:options:)``), each ending in `\n` — for callers that build records in bulk.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    public func write(encodedRecords bytes: [UInt8]) throws(CSVError) {
        precondition(fieldsInRow == 0, "CSVWriter.write(encodedRecords:) in the middle of a row")
        try bytes.withUnsafeBufferPointer { (raw) throws(CSVError) in try put(raw) }
    }

    /// Ends the current row with `\n`.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    public func endRow() throws(CSVError) {
        if fieldsInRow == 1 && lastFieldEmpty {
            try put(0x22)
            try put(0x22)
        }
        try put(0x0A)
        fieldsInRow = 0
    }

    /// Flushes everything and completes the output: a file is synced and renamed into place.
    ///
    /// Calling it again does nothing. After it, the writer must not be written to.
    /// - Throws: ``CSVError/cannotWrite(file:reason:)``; the target is then left as it was.
    public func finish() throws(CSVError) {
        guard !finished else { return }
        precondition(fieldsInRow == 0, "CSVWriter.finish() in the middle of a row: call endRow() first")
        finished = true
        do {
            try flush()
            try sink.finish()
        } catch {
            sink.abandon()
            throw error
        }
    }

    /// The same as ``finish()``.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)``.
    public func close() throws(CSVError) { try finish() }

    /// Abandons the output: a file's temporary copy is removed and the target left untouched.
    public func discard() {
        guard !finished else { return }
        finished = true
        sink.abandon()
    }

    // MARK: Bytes

    /// Appends a field (a text field neutralised if the options say so), quoted if needed.
    private func append(_ field: String, text: Bool) throws(CSVError) {
        precondition(!finished, "CSVWriter used after finish()")
        if fieldsInRow > 0 { try put(0x2C) }
        fieldsInRow += 1
        var failure: CSVError?
        let neutralise = text && options.contains(.spreadsheetSafe)
        let done: Void? = field.utf8.withContiguousStorageIfAvailable { bytes in
            do throws(CSVError) { try encode(bytes, neutralise: neutralise) } catch { failure = error }
        }
        if done == nil {
            let copy = [UInt8](field.utf8)
            copy.withUnsafeBufferPointer { bytes in
                do throws(CSVError) { try encode(bytes, neutralise: neutralise) } catch { failure = error }
            }
        }
        if let failure { throw failure }
    }

    /// Encodes one field's bytes into the buffer, through the one encoding of ``encodeField(_:options:)``.
    private func encode(_ bytes: UnsafeBufferPointer<UInt8>, neutralise: Bool) throws(CSVError) {
        lastFieldEmpty = bytes.isEmpty
        var output = WriterOutput(writer: self)
        try Self.encode(bytes, neutralise: neutralise, into: &output)
    }

    @inline(__always)
    fileprivate func put(_ byte: UInt8) throws(CSVError) {
        if used == bufferSize { try flush() }
        buffer[used] = byte
        used += 1
    }

    fileprivate func put(_ bytes: UnsafeBufferPointer<UInt8>) throws(CSVError) {
        guard let source = bytes.baseAddress, bytes.count > 0 else { return }
        if bytes.count > bufferSize - used {
            try flush()
            if bytes.count > bufferSize {
                try sink.write(UnsafeRawBufferPointer(bytes))
                return
            }
        }
        (buffer + used).update(from: source, count: bytes.count)
        used += bytes.count
    }

    private func flush() throws(CSVError) {
        guard used > 0 else { return }
        let count = used
        used = 0
        try sink.write(UnsafeRawBufferPointer(start: buffer, count: count))
    }
}

/// The writer's buffer as a destination for ``CSVWriter/encode(_:neutralise:into:)``.
private struct WriterOutput: FieldOutput {
    typealias Failure = CSVError
    unowned let writer: CSVWriter

    @inline(__always)
    mutating func put(_ byte: UInt8) throws(CSVError) { try writer.put(byte) }

    @inline(__always)
    mutating func put(_ bytes: UnsafeBufferPointer<UInt8>) throws(CSVError) { try writer.put(bytes) }
}
