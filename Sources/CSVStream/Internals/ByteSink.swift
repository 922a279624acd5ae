// Where the writer's bytes go: an atomically replaced file, standard output, memory, or a deflate
// stream in front of any of these (for `.gz` targets).

internal import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A destination for bytes.
protocol ByteSink: AnyObject {
    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws
    /// Completes the output (for a file: flushes, syncs and renames it into place).
    func finish() throws
    /// Drops the output without completing it (for a file: removes the temporary file).
    func abandon()
    /// Whether the output only appears on `finish()` (a file); otherwise a released writer flushes what it has.
    var isAtomic: Bool { get }
}

/// `write(2)` of all of `bytes`, retried on `EINTR` and short writes.
private func writeAll(_ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, name: String) throws {
    var offset = 0
    while offset < bytes.count {
        let n = write(descriptor, bytes.baseAddress.unsafelyUnwrapped + offset, bytes.count - offset)
        if n < 0 {
            if errno == EINTR { continue }
            throw CSVError.cannotWrite(file: name, reason: systemMessage(errno))
        }
        offset += n
    }
}

/// A file written under a temporary name in the target's directory and renamed over the target
/// by `finish()`, so readers see either the old file or the complete new one.
final class AtomicFileSink: ByteSink {
    private let path: String
    private let temporaryPath: String
    private var descriptor: Int32

    /// Creates `.<name>.tmp-<pid>-<random>` beside `path`.
    init(path: String) throws {
        self.path = path
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        var created: (String, Int32)?
        for _ in 0..<8 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let candidate = "\(directory).\(name).tmp-\(getpid())-\(suffix)"
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o666)
            if descriptor >= 0 {
                created = (candidate, descriptor)
                break
            }
            if errno != EEXIST { throw CSVError.cannotWrite(file: path, reason: systemMessage(errno)) }
        }
        guard let (temporaryPath, descriptor) = created else {
            throw CSVError.cannotWrite(file: path, reason: "cannot create a temporary file")
        }
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
    }

    deinit { abandon() }

    var isAtomic: Bool { true }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        precondition(descriptor >= 0, "write after finish")
        try writeAll(descriptor, bytes, name: path)
    }

    func finish() throws {
        guard descriptor >= 0 else { return }
        defer { abandon() }  // on failure, no temporary file is left behind
        guard fsync(descriptor) == 0 else { throw CSVError.cannotWrite(file: path, reason: systemMessage(errno)) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw CSVError.cannotWrite(file: path, reason: systemMessage(errno)) }
        guard rename(temporaryPath, path) == 0 else {
            throw CSVError.cannotWrite(file: path, reason: systemMessage(errno))
        }
        renamed = true
    }

    private var renamed = false

    func abandon() {
        if descriptor >= 0 {
            _ = close(descriptor)
            descriptor = -1
        }
        if !renamed {
            _ = unlink(temporaryPath)
            renamed = true  // nothing left to remove
        }
    }
}

/// An already open descriptor such as standard output; never closed here.
final class DescriptorSink: ByteSink {
    private let descriptor: Int32
    private let name: String

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws { try writeAll(descriptor, bytes, name: name) }
    func finish() throws {}
    func abandon() {}
    var isAtomic: Bool { false }
}

/// Bytes collected in memory.
final class MemorySink: ByteSink {
    private(set) var bytes: [UInt8] = []

    func write(_ bytes: UnsafeRawBufferPointer) { self.bytes.append(contentsOf: bytes) }
    func finish() {}
    func abandon() {}
    var isAtomic: Bool { false }
}

/// Gzip compression (zlib `deflate`, windowBits 15 + 16) in front of another sink.
final class GzipSink: ByteSink {
    private let inner: any ByteSink
    private let name: String
    private let stream: UnsafeMutablePointer<z_stream>
    private let output: UnsafeMutablePointer<UInt8>
    private let outputSize = 1 << 17
    private var open = true

    init(wrapping inner: any ByteSink, name: String) throws {
        self.inner = inner
        self.name = name
        stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        output = UnsafeMutablePointer<UInt8>.allocate(capacity: outputSize)
        let code = deflateInit2_(
            stream, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard code == Z_OK else {
            stream.deallocate()
            output.deallocate()
            throw CSVError.cannotWrite(file: name, reason: "cannot initialise zlib (\(code))")
        }
    }

    deinit {
        deflateEnd(stream)
        stream.deallocate()
        output.deallocate()
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard bytes.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(bytes.count)
        try pump(flush: Z_NO_FLUSH)
    }

    func finish() throws {
        guard open else { return }
        open = false
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try pump(flush: Z_FINISH)
        try inner.finish()
    }

    func abandon() {
        open = false
        inner.abandon()
    }

    var isAtomic: Bool { inner.isAtomic }

    /// Deflates the pending input and passes the compressed bytes on.
    private func pump(flush: Int32) throws {
        while true {
            stream.pointee.next_out = output
            stream.pointee.avail_out = UInt32(outputSize)
            let code = deflate(stream, flush)
            guard code == Z_OK || code == Z_STREAM_END || code == Z_BUF_ERROR else {
                throw CSVError.cannotWrite(file: name, reason: "zlib deflate error \(code)")
            }
            let produced = outputSize - Int(stream.pointee.avail_out)
            if produced > 0 { try inner.write(UnsafeRawBufferPointer(start: output, count: produced)) }
            if flush == Z_FINISH {
                if code == Z_STREAM_END { return }
            } else if stream.pointee.avail_out != 0 {
                return  // all input consumed
            }
        }
    }
}
