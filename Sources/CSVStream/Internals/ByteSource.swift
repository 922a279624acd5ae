// Where the reader's bytes come from: a memory buffer, a plain file, or a gzip stream inflated on
// a second thread (see GzipSource.swift). Every source hands out bytes through one call, so the
// record scanner never knows which one it is reading.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream of bytes read in chunks.
protocol ByteSource: AnyObject {
    /// Copies up to `capacity` bytes into `destination` and returns how many; 0 means the end.
    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int
}

/// Bytes already in memory, handed out in chunks of the caller's size.
final class MemorySource: ByteSource {
    private let bytes: [UInt8]
    private var offset = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) -> Int {
        let n = min(capacity, bytes.count - offset)
        guard n > 0 else { return 0 }
        bytes.withUnsafeBufferPointer { source in
            // `source.baseAddress` is non-nil because `bytes` is not empty here.
            destination.update(from: source.baseAddress.unsafelyUnwrapped + offset, count: n)
        }
        offset += n
        return n
    }
}

/// An open file descriptor read with `read(2)`; closed when the source is released.
final class FileSource: ByteSource {
    private let descriptor: Int32
    private let name: String

    init(descriptor: Int32, name: String) {
        self.descriptor = descriptor
        self.name = name
    }

    deinit { _ = close(descriptor) }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws -> Int {
        try readRetrying(descriptor, destination, capacity, name: name)
    }
}

/// `read(2)`, retried on `EINTR`; a failure becomes ``CSVError/cannotOpen(file:reason:)``.
func readRetrying(_ descriptor: Int32, _ destination: UnsafeMutablePointer<UInt8>, _ capacity: Int, name: String)
    throws -> Int
{
    while true {
        let n = read(descriptor, destination, capacity)
        if n >= 0 { return n }
        if errno == EINTR { continue }
        throw CSVError.cannotOpen(file: name, reason: systemMessage(errno))
    }
}

/// The C library's message for an `errno` value.
func systemMessage(_ code: Int32) -> String {
    String(cString: strerror(code))
}

/// Opens `path` as a plain or gzip source, deciding by the gzip magic bytes `1f 8b`.
///
/// A path ending in `.gz` whose content is not gzip is an error rather than being read as text.
func openSource(path: String, chunkSize: Int) throws -> any ByteSource {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        throw CSVError.cannotOpen(file: path, reason: systemMessage(errno))
    }
    var magic: (UInt8, UInt8) = (0, 0)
    let got = withUnsafeMutableBytes(of: &magic) { pread(descriptor, $0.baseAddress, 2, 0) }
    let isGzip = got == 2 && magic.0 == 0x1f && magic.1 == 0x8b
    if isGzip {
        return GzipSource(input: .descriptor(descriptor), name: path, chunkSize: chunkSize)
    }
    if path.hasSuffix(".gz") {
        _ = close(descriptor)
        throw CSVError.gzip(file: path, reason: "not in gzip format")
    }
    return FileSource(descriptor: descriptor, name: path)
}
