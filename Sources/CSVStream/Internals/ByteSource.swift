// Where the reader's bytes come from: a memory buffer, a file (or pipe, or device), or a gzip
// stream inflated on a second thread (see GzipSource.swift). Every source hands out bytes through
// one call, so the record scanner never knows which one it is reading.
//
// A file that is not a regular file (a FIFO such as `<(zcat x.gz)`, a character device) is read
// once, front to back: the two bytes read to recognise gzip are handed back before the rest, never
// re-read with `pread`, which fails on a pipe.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A stream of bytes read in chunks.
protocol ByteSource: AnyObject {
    /// Copies up to `capacity` bytes into `destination` and returns how many; 0 means the end.
    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(CSVError) -> Int
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

/// An open file descriptor read with `read(2)`, after any bytes already taken from it; closed when
/// the source is released.
final class FileSource: ByteSource {
    private let descriptor: Int32
    private let name: String
    private var prefix: [UInt8]

    /// Reads `prefix` (bytes already read from `descriptor`), then the rest of `descriptor`.
    init(descriptor: Int32, name: String, prefix: [UInt8] = []) {
        self.descriptor = descriptor
        self.name = name
        self.prefix = prefix
    }

    deinit { _ = close(descriptor) }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(CSVError) -> Int {
        if !prefix.isEmpty {
            let n = min(capacity, prefix.count)
            for k in 0..<n { destination[k] = prefix[k] }
            prefix.removeFirst(n)
            return n
        }
        return try readRetrying(descriptor, destination, capacity, name: name)
    }
}

/// `read(2)`, retried on `EINTR`; a failure becomes ``CSVError/cannotOpen(file:reason:)``.
func readRetrying(_ descriptor: Int32, _ destination: UnsafeMutablePointer<UInt8>, _ capacity: Int, name: String)
    throws(CSVError) -> Int
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

/// The kind of file a `stat` mode describes, in words, for messages ("a directory", "a FIFO").
func fileKind(_ mode: mode_t) -> String {
    switch mode & S_IFMT {
    case S_IFREG: return "a regular file"
    case S_IFDIR: return "a directory"
    case S_IFIFO: return "a FIFO (named pipe)"
    case S_IFCHR: return "a character device"
    case S_IFBLK: return "a block device"
    case S_IFLNK: return "a symbolic link"
    case S_IFSOCK: return "a socket"
    default: return "not a regular file"
    }
}

/// Opens `path` as a plain or gzip source, deciding by the gzip magic bytes `1f 8b`.
///
/// A path ending in `.gz` whose content is not gzip is an error rather than being read as text.
/// A directory is refused; a pipe or device is read once, as a stream.
func openSource(path: String, chunkSize: Int) throws(CSVError) -> any ByteSource {
    let descriptor = open(path, O_RDONLY | O_CLOEXEC)
    guard descriptor >= 0 else {
        throw CSVError.cannotOpen(file: path, reason: systemMessage(errno))
    }
    var status = stat()
    guard fstat(descriptor, &status) == 0 else {
        let reason = systemMessage(errno)
        _ = close(descriptor)
        throw CSVError.cannotOpen(file: path, reason: reason)
    }
    if status.st_mode & S_IFMT == S_IFDIR {
        _ = close(descriptor)
        throw CSVError.cannotOpen(file: path, reason: "it is a directory: give the path of a CSV file")
    }
    // The first two bytes, read (not `pread`) so that a pipe is consumed exactly once.
    var prefix: [UInt8] = []
    var magic: (UInt8, UInt8) = (0, 0)
    while prefix.count < 2 {
        let got = withUnsafeMutableBytes(of: &magic) { raw in
            read(descriptor, raw.baseAddress.unsafelyUnwrapped, 2 - prefix.count)
        }
        if got < 0 && errno == EINTR { continue }
        if got < 0 {
            let reason = systemMessage(errno)
            _ = close(descriptor)
            throw CSVError.cannotOpen(file: path, reason: reason)
        }
        if got == 0 { break }
        prefix.append(magic.0)
        if got == 2 { prefix.append(magic.1) }
    }
    let isGzip = prefix == [0x1f, 0x8b]
    if isGzip {
        return GzipSource(input: .descriptor(descriptor, prefix: prefix), name: path, chunkSize: chunkSize)
    }
    if path.hasSuffix(".gz") {
        _ = close(descriptor)
        throw CSVError.gzip(file: path, reason: "not in gzip format")
    }
    return FileSource(descriptor: descriptor, name: path, prefix: prefix)
}
