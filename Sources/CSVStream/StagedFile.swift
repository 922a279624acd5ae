#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A plain file written through a 1 MiB buffer into a staging directory.
///
/// No temporary name and no `fsync` per file: the staging directory as a whole is flushed once
/// (the runner's publisher calls `syncfs`) before it is published, and an unfinished staging
/// directory is never visible, so per-file atomicity would only cost time (one `fsync` per area
/// table: 318 for the England plan).
public final class StagedFile {
    private let path: String
    private var descriptor: Int32
    private var buffer: [UInt8] = []
    /// Data rows written (line feeds after the header).
    public private(set) var lines = 0

    /// Creates (truncates) the file.
    ///
    /// - Throws: `CSVError.cannotWrite`.
    public init(path: String) throws(CSVError) {
        self.path = path
        descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw .cannotWrite(file: path, reason: String(cString: strerror(errno))) }
        buffer.reserveCapacity(1 << 20)
    }

    deinit { if descriptor >= 0 { close(descriptor) } }

    /// Appends bytes, writing the buffer out once it holds 1 MiB.
    ///
    /// - Throws: `CSVError.cannotWrite`.
    public func append(_ bytes: [UInt8]) throws(CSVError) {
        buffer.append(contentsOf: bytes)
        if buffer.count >= 1 << 20 { try flush() }
    }

    private func flush() throws(CSVError) {
        var done = 0
        let count = buffer.count
        while done < count {
            let n = buffer.withUnsafeBytes { write(descriptor, $0.baseAddress! + done, count - done) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .cannotWrite(file: path, reason: String(cString: strerror(errno)))
            }
            done += n
        }
        buffer.removeAll(keepingCapacity: true)
    }

    /// Writes what is buffered and closes the file.
    ///
    /// - Throws: `CSVError.cannotWrite`.
    public func finish() throws(CSVError) {
        try flush()
        let fd = descriptor
        descriptor = -1
        guard close(fd) == 0 else { throw .cannotWrite(file: path, reason: String(cString: strerror(errno))) }
    }
}
