import CSVStream
import Foundation
import Areas

/// Where bulk CSV bytes go: a plain file written to a temporary name and renamed into place on
/// `finish()`, standard output (`-`), or, for a `.gz` path, `CSVWriter`'s gzip file.
///
/// Callers hand over whole records already encoded (`encodeField` quotes exactly as `CSVWriter`
/// does), so a large output costs little more than the disk write. For `.gz`, records are split
/// back into fields (quotes understood) and written through `CSVWriter`, whose gzip output then
/// decompresses to the same bytes. A sink released without `finish()` removes its temporary file.
final class OutputSink {
    private let path: String
    private let temporary: String
    private var descriptor: Int32 = -1
    private var gzip: CSVWriter?
    private var finished = false
    private var buffer: [UInt8] = []

    /// Opens the sink.
    ///
    /// - Throws: `CSVError.cannotWrite` when the temporary file cannot be created.
    init(path: String) throws {
        self.path = path
        // (Not NSString's path methods: Foundation on Linux traps on some paths, such as "-".)
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        temporary = directory + ".\(name).tmp-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        if path == "-" {
            descriptor = STDOUT_FILENO
        } else if path.hasSuffix(".gz") {
            gzip = try CSVWriter(path: path)
        } else {
            descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard descriptor >= 0 else {
                throw CSVError.cannotWrite(file: path, reason: String(cString: strerror(errno)))
            }
        }
        buffer.reserveCapacity(1 << 20)
    }

    deinit {
        if !finished && descriptor >= 0 && path != "-" {
            close(descriptor)
            unlink(temporary)
        }
    }

    /// Appends encoded records (each ending in `\n`).
    ///
    /// - Throws: `CSVError.cannotWrite`.
    func write(_ bytes: [UInt8]) throws {
        if let gzip {
            try Self.forEachRecord(bytes) { fields in try gzip.write(row: fields) }
            return
        }
        try writeAll(bytes)
    }

    /// Appends one encoded record held in `record` through an internal buffer.
    ///
    /// - Throws: `CSVError.cannotWrite`.
    func append(record: [UInt8]) throws {
        buffer.append(contentsOf: record)
        if buffer.count >= 1 << 20 { try flush() }
    }

    /// Adds bytes to the pending record buffer (call `flushIfFull()` after each record).
    @inline(__always)
    func appendBytes(_ bytes: [UInt8]) { buffer.append(contentsOf: bytes) }

    /// Adds one byte to the pending buffer.
    @inline(__always)
    func appendByte(_ byte: UInt8) { buffer.append(byte) }

    /// Adds a non-negative integer's digits to the pending buffer.
    @inline(__always)
    func appendInteger(_ n: Int) { Ingest.appendInteger(n, to: &buffer) }

    /// Writes the pending buffer once it holds 1 MiB.
    ///
    /// - Throws: `CSVError.cannotWrite`.
    @inline(__always)
    func flushIfFull() throws {
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws {
        guard !buffer.isEmpty else { return }
        let pending = buffer
        buffer.removeAll(keepingCapacity: true)
        try write(pending)
    }

    private func writeAll(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { raw in
            var done = 0
            while done < raw.count {
                let n = Foundation.write(descriptor, raw.baseAddress! + done, raw.count - done)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw CSVError.cannotWrite(file: path, reason: String(cString: strerror(errno)))
                }
                done += n
            }
        }
    }

    /// Completes the output: flushes, and renames a file into place.
    ///
    /// - Throws: `CSVError.cannotWrite`; the target is then left as it was.
    func finish() throws {
        try flush()
        finished = true
        if let gzip {
            try gzip.finish()
            return
        }
        if path == "-" { return }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 || errno == EINVAL, rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw CSVError.cannotWrite(file: path, reason: reason)
        }
    }

    /// Splits encoded records into decoded fields (RFC 4180 quotes, `\n` line ends).
    static func forEachRecord(_ bytes: [UInt8], _ body: ([String]) throws -> Void) throws {
        var fields: [String] = []
        var field: [UInt8] = []
        var quoted = false
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if quoted {
                if b == 0x22 {
                    if i + 1 < bytes.count && bytes[i + 1] == 0x22 {
                        field.append(0x22)
                        i += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(b)
                }
            } else if b == 0x22 {
                quoted = true
            } else if b == 0x2C || b == 0x0A {
                fields.append(String(decoding: field, as: UTF8.self))
                field.removeAll(keepingCapacity: true)
                if b == 0x0A {
                    try body(fields)
                    fields.removeAll(keepingCapacity: true)
                }
            } else {
                field.append(b)
            }
            i += 1
        }
    }
}

/// A field's CSV bytes, quoted exactly when `CSVWriter` would quote it (a comma, quote, CR or LF,
/// a leading or trailing space or tab), with quotes doubled.
package func encodeField(_ text: String) -> [UInt8] {
    let bytes = Array(text.utf8)
    let special = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
    let padded = [0x20, 0x09].contains(bytes.first ?? 0) || [0x20, 0x09].contains(bytes.last ?? 0)
    guard special || padded else { return bytes }
    var out: [UInt8] = [0x22]
    for b in bytes {
        if b == 0x22 { out.append(0x22) }
        out.append(b)
    }
    out.append(0x22)
    return out
}

/// Appends the decimal digits of `n` (≥ 0).
@inline(__always)
func appendInteger(_ n: Int, to out: inout [UInt8]) {
    if n < 10 {
        out.append(UInt8(truncatingIfNeeded: 48 &+ n))
        return
    }
    var v = n
    var reversed: UInt64 = 0  // up to 8 digits packed, most significant last
    var count = 0
    if n < 100_000_000 {
        while v > 0 {
            reversed = reversed << 8 | UInt64(48 &+ v % 10)
            v /= 10
            count += 1
        }
        for _ in 0..<count {
            out.append(UInt8(truncatingIfNeeded: reversed))
            reversed >>= 8
        }
        return
    }
    out.append(contentsOf: Array(String(n).utf8))
}
