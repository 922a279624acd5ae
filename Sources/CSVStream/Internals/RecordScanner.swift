// The record scanner: the reader's hot loop.
//
// A record is scanned from `start` in one pass over the buffer, recording each field as a byte
// range in `spans` (no per-field allocation). If the buffer ends before the record does, the scan
// gives up (`needMore`); the reader then moves the partial record to the front of the buffer,
// appends the next chunk and scans the record again from its start. Only one record per chunk
// is scanned twice, so the cost is negligible, and the scanner needs no state between calls.
// Line numbers are counted the same way: each record's line breaks are counted during its
// (final) scan and added to `nextLine` when it is accepted.
//
// The scanner is a non-copyable struct rather than part of the reader class so that its hot
// state is reached through one `inout` access per record: stored `var`s of a class would cost
// a dynamic exclusivity check on every read and write.
//
// Quoted fields are recorded without their quotes; a quoted field with doubled quotes is
// un-doubled in place once its record is complete (the decoded text is never longer).
//
// Limits (`ScanLimits`) bound the memory any input can take: a field, a record's byte length and
// its field count are checked when a record is complete and, for a record still being read, each
// time the scan runs out of buffer, so a line that never ends (`/dev/zero`, a gzip bomb) fails
// once it passes a limit instead of growing the buffer without end.
//
// Blank lines are deferred: a run of them is consumed in one pass and counted, then handed out
// one record of one empty field at a time if more records follow, or dropped at the end of the
// input. So trailing blank lines cost no buffer however many there are.

/// The most a reader accepts before it stops with an error (see ``CSVReader/Options``).
struct ScanLimits {
    var fieldBytes: Int
    var fields: Int
    var recordBytes: Int
}

/// A field's bytes in the reader's buffer, `start..<end`, with how it was written.
struct FieldSpan {
    var start: Int
    var end: Int
    var flags: UInt8

    /// The field was quoted in the file.
    static let quoted: UInt8 = 1
    /// The field was quoted and contained doubled quotes (already decoded once the record is accepted).
    static let escaped: UInt8 = 2
}

/// What one scan of the buffer found.
enum ScanOutcome {
    /// A whole record: `spans`, `fieldCount` and `recordLine` describe it and `start` is past it.
    case record
    /// The buffer ends inside the record; refill and scan again.
    case needMore
    /// No records remain (trailing blank lines are consumed).
    case endOfInput
    /// Blank lines were consumed and deferred; scan again.
    case skipped
}

private let comma: UInt8 = 0x2C
private let quote: UInt8 = 0x22
private let lineFeed: UInt8 = 0x0A
private let carriageReturn: UInt8 = 0x0D

/// The reader's input window and the last record's field ranges.
struct RecordScanner: ~Copyable {
    /// The input's name, for errors.
    let file: String
    private let source: any ByteSource
    private let chunkSize: Int
    private let limits: ScanLimits
    /// The header's names once read (empty while the header itself is scanned), for errors.
    var columnNames: [String] = []
    // The input window: bytes [start, end) of `buffer` are read but not yet consumed.
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    private var start = 0
    private var end = 0
    private var sourceEnded = false
    /// The physical line number of the byte at `start`.
    private var nextLine = 1
    // The last record scanned: its fields, as byte ranges of `buffer`, and its first line.
    private(set) var spans: UnsafeMutablePointer<FieldSpan>
    private var spanCapacity = 64
    private(set) var fieldCount = 0
    private(set) var recordLine = 0
    /// Data rows accepted by `nextRow(expecting:)`.
    private(set) var rowsRead = 0
    /// Whether a record with fewer fields than the header is padded with empty fields (`Options.allowsShortRecords`).
    var allowsShortRecords = false
    // Blank lines consumed but not yet handed out, and the line of the first of them.
    private var deferredBlankLines = 0
    private var deferredBlankLine = 0

    init(source: any ByteSource, file: String, chunkSize: Int, limits: ScanLimits) {
        self.source = source
        self.file = file
        self.limits = limits
        self.chunkSize = max(chunkSize, 1)  // `Options.chunkSize` is a settable var
        capacity = max(chunkSize, 64)
        buffer = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity)
        spans = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCapacity)
    }

    deinit {
        buffer.deallocate()
        spans.deallocate()
    }

    /// Skips a byte-order mark and reads the first record; returns its fields, trimmed.
    ///
    /// - Throws: ``CSVError/emptyFile(file:)`` when there is no record (no bytes, or only line
    ///   breaks); ``CSVError/invalidUTF8(file:line:column:columnName:text:)`` for a name that is
    ///   not UTF-8; and the errors of scanning.
    mutating func readHeader() throws(CSVError) -> [String] {
        while end - start < 3 && !sourceEnded { try refill() }
        if end - start >= 3 && buffer[start] == 0xEF && buffer[start + 1] == 0xBB && buffer[start + 2] == 0xBF {
            start += 3
        }
        guard try advance() else { throw CSVError.emptyFile(file: file) }
        var names: [String] = []
        names.reserveCapacity(fieldCount)
        for i in 0..<fieldCount {
            let span = spans[i]
            let raw = UnsafeBufferPointer(start: buffer + span.start, count: span.end - span.start)
            guard let name = String(validating: raw, as: UTF8.self) else {
                throw CSVError.invalidUTF8(
                    file: file, line: recordLine, column: i + 1, columnName: nil, text: CSVError.excerpt(raw))
            }
            names.append(name.trimmingWhitespace())
        }
        return names
    }

    /// Scans the next data row of `reader`; nil at the end of the input.
    ///
    /// - Throws: `wrongFieldCount` (after moving past the row) when its field count is not the header's
    ///   (fewer fields are padded instead when `allowsShortRecords` is set).
    mutating func nextRow(reader: CSVReader) throws(CSVError) -> CSVRow? {
        guard try advance() else { return nil }
        let expected = reader.header.count
        let found = fieldCount
        if found < expected && allowsShortRecords {
            // Missing trailing fields read as empty (missing) fields; the row still reports `found`.
            while spanCapacity < expected { growSpans() }
            for i in found..<expected { spans[i] = FieldSpan(start: 0, end: 0, flags: 0) }
        } else if found != expected {
            throw CSVError.wrongFieldCount(file: file, line: recordLine, expected: expected, found: found)
        }
        rowsRead += 1
        return CSVRow(
            reader: reader, base: buffer, spans: spans, count: expected, line: recordLine, fieldsInRecord: found)
    }

    /// Scans the next record, reading more input as needed; false at the end of the input.
    private mutating func advance() throws(CSVError) -> Bool {
        while true {
            switch try scanRecord() {
            case .record: return true
            case .endOfInput: return false
            case .needMore: try refill()
            case .skipped: continue
            }
        }
    }

    /// Moves the unconsumed bytes to the front of the buffer and appends the next chunk.
    private mutating func refill() throws(CSVError) {
        if start > 0 {
            let pending = end - start
            if pending > 0 { buffer.update(from: buffer + start, count: pending) }
            end = pending
            start = 0
        }
        if capacity - end < chunkSize {
            // A record longer than the buffer: grow it (geometrically, so carrying stays linear).
            let newCapacity = max(capacity * 2, end + chunkSize)
            let grown = UnsafeMutablePointer<UInt8>.allocate(capacity: newCapacity)
            grown.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = grown
            capacity = newCapacity
        }
        let n = try source.read(into: buffer + end, capacity: chunkSize)
        if n == 0 { sourceEnded = true } else { end += n }
    }

    /// Doubles the room for field ranges.
    private mutating func growSpans() {
        let grown = UnsafeMutablePointer<FieldSpan>.allocate(capacity: spanCapacity * 2)
        grown.update(from: spans, count: spanCapacity)
        spans.deallocate()
        spans = grown
        spanCapacity *= 2
    }

    /// Scans one record starting at `start`.
    ///
    /// - Complexity: O(*n*) in the record's length.
    private mutating func scanRecord() throws(CSVError) -> ScanOutcome {
        let buf = buffer
        let e = end
        let atEnd = sourceEnded
        var p = start
        if deferredBlankLines > 0 && p < e && buf[p] != lineFeed && buf[p] != carriageReturn {
            // A record follows the deferred blank lines, so each is a record of one empty field.
            spans[0] = FieldSpan(start: p, end: p, flags: 0)
            fieldCount = 1
            recordLine = deferredBlankLine
            deferredBlankLine += 1
            deferredBlankLines -= 1
            return .record
        }
        if p == e {
            if atEnd { deferredBlankLines = 0 }  // only blank lines followed: they are ignored
            return atEnd ? .endOfInput : .needMore
        }
        var fields = 0
        var lines = 0
        var escapedAny = false
        var c: UInt8 = 0

        fieldLoop: while true {
            if fields == spanCapacity {
                if fields >= limits.fields { throw CSVError.tooManyFields(file: file, line: nextLine, limit: limits.fields) }
                growSpans()
            }
            if p < e && buf[p] == quote {
                let openLine = nextLine + lines
                p += 1
                let fieldStart = p
                var escaped = false
                while true {
                    // Find the next quote, counting line breaks (CRLF once, lone CR or LF once).
                    while p < e {
                        c = buf[p]
                        if c == quote { break }
                        if c == lineFeed {
                            lines += 1
                        } else if c == carriageReturn {
                            if p + 1 < e {
                                if buf[p + 1] != lineFeed { lines += 1 }
                            } else if !atEnd {
                                return try needMore(fields: fields, fieldStart: fieldStart, line: openLine)
                            }
                        }
                        p += 1
                    }
                    if p == e {
                        if !atEnd { return try needMore(fields: fields, fieldStart: fieldStart, line: openLine) }
                        throw CSVError.unterminatedQuote(
                            file: file, line: openLine, column: fields + 1, columnName: columnName(fields))
                    }
                    if p + 1 < e {
                        if buf[p + 1] == quote {
                            escaped = true
                            p += 2
                            continue
                        }
                    } else if !atEnd {
                        return try needMore(fields: fields, fieldStart: fieldStart, line: openLine)
                    }
                    break
                }
                if p - fieldStart > limits.fieldBytes { throw fieldTooLong(column: fields + 1, line: openLine) }
                spans[fields] = FieldSpan(
                    start: fieldStart, end: p, flags: escaped ? FieldSpan.quoted | FieldSpan.escaped : FieldSpan.quoted)
                fields += 1
                escapedAny = escapedAny || escaped
                p += 1  // the closing quote
                if p < e {
                    c = buf[p]
                    if c != comma && c != lineFeed && c != carriageReturn {
                        if !atEnd && !haveExcerpt(fieldStart: fieldStart - 1, at: p) {
                            return try needMore(fields: fields, fieldStart: p, line: nextLine + lines)
                        }
                        throw unexpectedQuote(fieldStart: fieldStart - 1, at: p, column: fields, line: nextLine + lines)
                    }
                }
            } else {
                let fieldStart = p
                let fieldLine = nextLine + lines
                // Every byte that ends an unquoted field is <= ','; most text bytes are above it.
                // Eight bytes at a time: `(w - 0x2D…) & ~w & 0x80…` flags bytes below 0x2D, and its
                // lowest flag is exact (a borrow only starts at a flagged byte), so the first
                // candidate is found without a branch per byte. Candidates that are not delimiters
                // (a space, a parenthesis) are stepped over.
                while true {
                    if p &+ 8 <= e {
                        let word = UInt64(littleEndian: UnsafeRawPointer(buf + p).loadUnaligned(as: UInt64.self))
                        let flags = (word &- 0x2D2D_2D2D_2D2D_2D2D) & ~word & 0x8080_8080_8080_8080
                        if flags == 0 {
                            p &+= 8
                            continue
                        }
                        p &+= flags.trailingZeroBitCount &>> 3
                        c = buf[p]
                        if c == comma || c == lineFeed || c == carriageReturn || c == quote { break }
                        p &+= 1
                        continue
                    }
                    while p < e {
                        c = buf[p]
                        if c <= comma && (c == comma || c == lineFeed || c == carriageReturn || c == quote) { break }
                        p += 1
                    }
                    break
                }
                if p < e && c == quote {
                    if !atEnd && !haveExcerpt(fieldStart: fieldStart, at: p) {
                        return try needMore(fields: fields, fieldStart: fieldStart, line: fieldLine)
                    }
                    throw unexpectedQuote(fieldStart: fieldStart, at: p, column: fields + 1, line: nextLine + lines)
                }
                if p - fieldStart > limits.fieldBytes { throw fieldTooLong(column: fields + 1, line: fieldLine) }
                if p == e && !atEnd { return try needMore(fields: fields, fieldStart: fieldStart, line: fieldLine) }
                spans[fields] = FieldSpan(start: fieldStart, end: p, flags: 0)
                fields += 1
            }
            // At a delimiter, a record end, or the end of the buffer.
            if p == e {
                if !atEnd { return try needMore(fields: fields, fieldStart: p, line: nextLine + lines) }
                break fieldLoop  // a last record without a line break
            }
            c = buf[p]
            if c == comma {
                p += 1
                continue fieldLoop
            }
            if c == lineFeed {
                p += 1
            } else if p + 1 < e {
                p += buf[p + 1] == lineFeed ? 2 : 1
            } else if !atEnd {
                // A CR at the end of the buffer: is an LF next?
                return try needMore(fields: fields, fieldStart: p, line: nextLine + lines)
            } else {
                p += 1
            }
            lines += 1
            break fieldLoop
        }

        if fields > limits.fields { throw CSVError.tooManyFields(file: file, line: nextLine, limit: limits.fields) }
        if p - start > limits.recordBytes {
            throw CSVError.recordTooLong(file: file, line: nextLine, limit: limits.recordBytes)
        }

        // A blank line is ignored when only blank lines follow it; otherwise it is a record of one
        // empty field (which the field-count check then judges). This line and the line breaks
        // after it are deferred until what follows them is known.
        if fields == 1 && spans[0].flags == 0 && spans[0].end == start {
            if deferredBlankLines == 0 { deferredBlankLine = nextLine }
            var blank = 1
            var q = p
            while q < e {
                if buf[q] == lineFeed {
                    q += 1
                } else if buf[q] == carriageReturn {
                    if q + 1 < e {
                        q += buf[q + 1] == lineFeed ? 2 : 1
                    } else if atEnd {
                        q += 1
                    } else {
                        break  // is an LF next? The next scan sees this CR again.
                    }
                } else {
                    break
                }
                blank += 1
            }
            deferredBlankLines += blank
            nextLine += blank
            start = q
            return .skipped
        }

        if escapedAny { undoubleQuotes(fields) }
        fieldCount = fields
        recordLine = nextLine
        nextLine += lines
        start = p
        return .record
    }

    /// Decodes `""` to `"` in place in every escaped field of the current record.
    private mutating func undoubleQuotes(_ fields: Int) {
        for i in 0..<fields where spans[i].flags & FieldSpan.escaped != 0 {
            var read = spans[i].start
            var write = read
            let stop = spans[i].end
            while read < stop {
                let byte = buffer[read]
                buffer[write] = byte
                write += 1
                read += byte == quote ? 2 : 1
            }
            spans[i].end = write
        }
    }

    /// The header's name for column `index` (from 0), if the header has been read and has one.
    private func columnName(_ index: Int) -> String? {
        columnNames.indices.contains(index) ? columnNames[index] : nil
    }

    /// Checks the limits for a record the buffer ends inside, then asks for more input.
    ///
    /// `fields` fields are complete and the one being read starts at `fieldStart` on `line`.
    /// - Throws: ``CSVError/fieldTooLong(file:line:column:columnName:limit:)``,
    ///   ``CSVError/tooManyFields(file:line:limit:)`` or ``CSVError/recordTooLong(file:line:limit:)``.
    private func needMore(fields: Int, fieldStart: Int, line: Int) throws(CSVError) -> ScanOutcome {
        if end - fieldStart > limits.fieldBytes { throw fieldTooLong(column: fields + 1, line: line) }
        if fields >= limits.fields { throw CSVError.tooManyFields(file: file, line: nextLine, limit: limits.fields) }
        if end - start > limits.recordBytes {
            throw CSVError.recordTooLong(file: file, line: nextLine, limit: limits.recordBytes)
        }
        return .needMore
    }

    /// The `fieldTooLong` error for `column` (from 1).
    @inline(never)
    private func fieldTooLong(column: Int, line: Int) -> CSVError {
        .fieldTooLong(
            file: file, line: line, column: column, columnName: columnName(column - 1), limit: limits.fieldBytes)
    }

    /// The bytes of a field quoted in an error: from `fieldStart` to the next delimiter, at most this many.
    private static let excerptBytes = 4 * CSVError.excerptLength + 8

    /// The position of the first comma or line break at or after `position`, if the buffer has one.
    private func delimiter(from position: Int) -> Int? {
        var stop = position
        while stop < end {
            let byte = buffer[stop]
            if byte == comma || byte == lineFeed || byte == carriageReturn { return stop }
            stop += 1
        }
        return nil
    }

    /// Whether the buffer holds enough of a bad field from `fieldStart` (quote at `position`) to
    /// quote it in an error: up to its delimiter or ``excerptBytes`` bytes, whichever comes first.
    private func haveExcerpt(fieldStart: Int, at position: Int) -> Bool {
        end - fieldStart >= Self.excerptBytes || delimiter(from: position) != nil
    }

    /// An `unexpectedQuote` error quoting the field from `fieldStart` to its next delimiter (cut short).
    private func unexpectedQuote(fieldStart: Int, at position: Int, column: Int, line: Int) -> CSVError {
        let limit = min(end, fieldStart + Self.excerptBytes)
        var stop = position
        while stop < limit {
            let byte = buffer[stop]
            if byte == comma || byte == lineFeed || byte == carriageReturn { break }
            stop += 1
        }
        let text = CSVError.excerpt(UnsafeBufferPointer(start: buffer + fieldStart, count: stop - fieldStart))
        return CSVError.unexpectedQuote(
            file: file, line: line, column: column, columnName: columnName(column - 1), text: text)
    }
}
