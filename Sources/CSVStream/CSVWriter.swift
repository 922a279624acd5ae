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
/// A file is written to a temporary file in the same directory (`.<name>.tmp-<pid>-<random>`)
/// and renamed over the target by ``finish()``; a writer released without `finish()` (for example
/// because an error was thrown) removes its temporary file and leaves the target untouched. A path
/// ending in `.gz` is gzip-compressed. Fields are quoted only when they must be (a comma, quote,
/// CR or LF, or a leading or trailing space or tab); lines end with `\n`; no byte-order mark.
/// A row of a single empty field is written as `""` so that it is not read back as a blank line.
/// Writers to standard output or memory that are released without `finish()` flush what they hold.
public final class CSVWriter {
    private let sink: any ByteSink
    /// The target's path (or `<stdout>`, `<memory>`), for error messages.
    public let file: String
    private let buffer: UnsafeMutablePointer<UInt8>
    private let bufferSize = 1 << 18
    private var used = 0
    private var fieldsInRow = 0
    private var lastFieldEmpty = false
    private var finished = false

    private init(sink: any ByteSink, file: String) {
        self.sink = sink
        self.file = file
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize)
    }

    /// Opens a writer whose output replaces `path` atomically on ``finish()``; `.gz` paths are gzipped.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if the temporary file cannot be created.
    public convenience init(path: String) throws {
        let file = try AtomicFileSink(path: path)
        let sink: any ByteSink = path.hasSuffix(".gz") ? try GzipSink(wrapping: file, name: path) : file
        self.init(sink: sink, file: path)
    }

    /// A writer to standard output (not atomic; ``finish()`` flushes it).
    public static func standardOutput() -> CSVWriter {
        CSVWriter(sink: DescriptorSink(descriptor: STDOUT_FILENO, name: "<stdout>"), file: "<stdout>")
    }

    /// A writer that collects its output in memory (optionally gzipped); read it with ``contents``.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if zlib cannot be initialised.
    public static func inMemory(gzip: Bool = false) throws -> CSVWriter {
        let memory = MemorySink()
        let sink: any ByteSink = gzip ? try GzipSink(wrapping: memory, name: "<memory>") : memory
        let writer = CSVWriter(sink: sink, file: "<memory>")
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

    /// Writes one row.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    /// - Complexity: O(*n*) in the row's length.
    public func write(row: [String]) throws {
        try write(fields: row)
    }

    /// Writes one row from any sequence of fields.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    /// - Complexity: O(*n*) in the row's length.
    public func write(fields: some Sequence<String>) throws {
        for field in fields { try write(field: field) }
        try endRow()
    }

    /// Appends one field to the current row (end the row with ``endRow()``).
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    /// - Complexity: O(*n*) in the field's length.
    public func write(field: String) throws {
        if let written = try field.utf8.withContiguousStorageIfAvailable({ try append(field: $0) }) {
            return written
        }
        let copy = Array(field.utf8)
        try copy.withUnsafeBufferPointer { try append(field: $0) }
    }

    /// Appends one number to the current row, formatted by ``format(_:)`` (nil is an empty field).
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    public func write(field: Double?) throws {
        try write(field: Self.format(field))
    }

    /// Ends the current row with `\n`.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if flushing the buffer fails.
    public func endRow() throws {
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
    public func finish() throws {
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
    public func close() throws { try finish() }

    /// Abandons the output: a file's temporary copy is removed and the target left untouched.
    public func discard() {
        guard !finished else { return }
        finished = true
        sink.abandon()
    }

    // MARK: Bytes

    /// Appends a field's UTF-8 bytes, quoted if needed.
    private func append(field: UnsafeBufferPointer<UInt8>) throws {
        precondition(!finished, "CSVWriter used after finish()")
        if fieldsInRow > 0 { try put(0x2C) }
        fieldsInRow += 1
        lastFieldEmpty = field.isEmpty
        if Self.needsQuotes(field) {
            try put(0x22)
            var runStart = 0
            for i in 0..<field.count where field[i] == 0x22 {
                // Copy up to and including the quote, then the quote once more.
                try put(UnsafeBufferPointer(rebasing: field[runStart...i]))
                try put(0x22)
                runStart = i + 1
            }
            try put(UnsafeBufferPointer(rebasing: field[runStart...]))
            try put(0x22)
        } else {
            try put(field)
        }
    }

    /// Whether a field must be quoted: it has a comma, quote, CR or LF, or starts or ends with a space or tab.
    private static func needsQuotes(_ field: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let first = field.first, let last = field.last else { return false }
        if first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09 { return true }
        for byte in field where byte <= 0x2C {
            if byte == 0x2C || byte == 0x22 || byte == 0x0A || byte == 0x0D { return true }
        }
        return false
    }

    @inline(__always)
    private func put(_ byte: UInt8) throws {
        if used == bufferSize { try flush() }
        buffer[used] = byte
        used += 1
    }

    private func put(_ bytes: UnsafeBufferPointer<UInt8>) throws {
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

    private func flush() throws {
        guard used > 0 else { return }
        let count = used
        used = 0
        try sink.write(UnsafeRawBufferPointer(start: buffer, count: count))
    }
}
