// Where the writer's bytes go: an `AtomicFile` (a file replaced atomically, or standard output),
// memory, or a deflate stream in front of either (for `.gz` targets).

internal import CZlib

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A destination for bytes.
protocol ByteSink: AnyObject {
    /// Writes all of `bytes`.
    func write(_ bytes: UnsafeRawBufferPointer) throws(CSVError)
    /// Completes the output (for a file: flushes, syncs and renames it into place).
    func finish() throws(CSVError)
    /// Drops the output without completing it (for a file: removes the temporary file).
    func abandon()
    /// Whether the output only appears on `finish()` (a file); otherwise a released writer flushes what it has.
    var isAtomic: Bool { get }
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

    init(wrapping inner: any ByteSink, name: String) throws(CSVError) {
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

    func write(_ bytes: UnsafeRawBufferPointer) throws(CSVError) {
        guard bytes.count > 0 else { return }
        stream.pointee.next_in = UnsafeMutablePointer(
            mutating: bytes.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(bytes.count)
        try pump(flush: Z_NO_FLUSH)
    }

    func finish() throws(CSVError) {
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
    private func pump(flush: Int32) throws(CSVError) {
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
