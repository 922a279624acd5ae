// The one place that writes an output file: under a temporary name beside the target, synced and
// renamed over it only when complete, so readers see the old file or the whole new one.
//
// Checks, in the order they happen:
// - `init`: the target must be absent or a regular file. A symbolic link is refused rather than
//   followed or replaced (renaming over it would replace the link, not the file it names, which
//   is never what was meant); a directory, FIFO, device or socket cannot be replaced atomically.
//   An existing file's permission bits are copied to the temporary file, so a 0600 file stays 0600.
// - `write`: every short write is retried and every failure reported (`/dev/full` gives ENOSPC).
// - `commit`: `fsync` and `close` are checked, then `rename`; the directory is synced, best effort.
// Any failure removes the temporary file; so does releasing the object without `commit()`.

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file written under a temporary name beside its target and renamed over it by ``commit()``.
///
/// ```swift
/// let file = try AtomicFile(path: "out/manifest.json")
/// try file.write(Array(json.utf8))
/// try file.commit()
/// ```
///
/// Usable for any bytes, not only CSV. The temporary file is `.<name>.tmp-<pid>-<random>` in the
/// target's directory. The target must be a regular file or absent: a directory, FIFO, device
/// (`/dev/full`), socket or symbolic link is refused when the object is created. A file released
/// without ``commit()``, or whose write or commit failed, is removed and the target left as it was.
///
/// ``standardOutput()`` (and ``init(descriptor:name:)``) write in place instead, with the same
/// error checks; there ``commit()`` syncs a regular file and ``discard()`` does nothing.
public final class AtomicFile {
    /// The target's path (or the descriptor's name, such as `<stdout>`), for error messages.
    public let path: String
    private let temporaryPath: String?
    private var descriptor: Int32
    private var state = State.open
    /// The first write error: later writes and the commit throw it again.
    private var failure: CSVError?

    private enum State {
        case open, committed, discarded
    }

    /// Creates the temporary file beside `path`, keeping an existing target's permission bits.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if `path` is a directory, a symbolic link
    ///   or anything else but a regular file, or if the temporary file cannot be created.
    public init(path: String) throws(CSVError) {
        self.path = path
        let mode = try Self.targetMode(path)
        let slash = path.lastIndex(of: "/")
        let directory = slash.map { String(path[...$0]) } ?? ""
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        guard !name.isEmpty else {
            throw CSVError.cannotWrite(file: path, reason: "it names a directory: give the path of a file")
        }
        var created: (String, Int32)?
        for _ in 0..<8 {
            let suffix = String(UInt64.random(in: 0...UInt64.max), radix: 16)
            let candidate = "\(directory).\(name).tmp-\(getpid())-\(suffix)"
            let descriptor = open(candidate, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0o666)
            if descriptor >= 0 {
                created = (candidate, descriptor)
                break
            }
            if errno != EEXIST { throw CSVError.cannotWrite(file: path, reason: systemMessage(errno)) }
        }
        guard let (temporaryPath, descriptor) = created else {
            throw CSVError.cannotWrite(file: path, reason: "cannot create a temporary file beside it")
        }
        self.temporaryPath = temporaryPath
        self.descriptor = descriptor
        if let mode, fchmod(descriptor, mode) != 0 {
            let reason = systemMessage(errno)
            discard()
            throw CSVError.cannotWrite(file: path, reason: "cannot set the file's permissions: \(reason)")
        }
    }

    /// Writes in place to an open descriptor (standard output, a pipe), which is never closed here.
    ///
    /// Nothing is atomic: bytes appear as they are written. Write errors are still reported
    /// (`> /dev/full`, a pipe whose reader has gone when `SIGPIPE` is ignored).
    public init(descriptor: Int32, name: String) {
        self.path = name
        self.temporaryPath = nil
        self.descriptor = descriptor
    }

    /// Writes in place to standard output, named `<stdout>` in errors.
    public static func standardOutput() -> AtomicFile {
        AtomicFile(descriptor: STDOUT_FILENO, name: "<stdout>")
    }

    deinit { discard() }

    /// Whether the output appears only on ``commit()`` (a file), rather than as it is written.
    public var isAtomic: Bool { temporaryPath != nil }

    /// Writes all of `bytes`, retrying short writes and `EINTR`.
    ///
    /// After a failure, every later write and ``commit()`` throws the same error.
    /// - Throws: ``CSVError/cannotWrite(file:reason:)``; a temporary file is then removed.
    /// - Complexity: O(*n*) in the number of bytes.
    public func write(_ bytes: UnsafeRawBufferPointer) throws(CSVError) {
        if let failure { throw failure }
        precondition(state == .open, "AtomicFile written after commit() or discard()")
        guard let base = bytes.baseAddress else { return }
        var offset = 0
        while offset < bytes.count {
            let n = systemWrite(descriptor, base + offset, bytes.count - offset)
            if n < 0 {
                if errno == EINTR { continue }
                let error = CSVError.cannotWrite(file: path, reason: systemMessage(errno))
                failure = error
                discard()
                throw error
            }
            offset += n
        }
    }

    /// Writes all of `bytes`.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)``; a temporary file is then removed.
    public func write(_ bytes: [UInt8]) throws(CSVError) {
        var failure: CSVError?
        bytes.withUnsafeBytes { raw in
            do throws(CSVError) { try write(raw) } catch { failure = error }
        }
        if let failure { throw failure }
    }

    /// Writes the UTF-8 bytes of `text`.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)``; a temporary file is then removed.
    public func write(_ text: String) throws(CSVError) {
        try write(Array(text.utf8))
    }

    /// Completes the output: a file is synced, closed and renamed over the target.
    ///
    /// Calling it again does nothing. For a descriptor, a regular file behind it is synced.
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` if `fsync`, `close` or `rename` fails;
    ///   the temporary file is then removed and the target left as it was.
    public func commit() throws(CSVError) {
        if let failure { throw failure }
        guard state == .open else {
            precondition(state == .committed, "AtomicFile committed after discard()")
            return
        }
        guard let temporaryPath else {
            state = .committed
            var status = stat()
            if fstat(descriptor, &status) == 0 && status.st_mode & S_IFMT == S_IFREG && fsync(descriptor) != 0 {
                throw CSVError.cannotWrite(file: path, reason: systemMessage(errno))
            }
            return
        }
        guard fsync(descriptor) == 0 else { throw failCommit(systemMessage(errno)) }
        let closed = close(descriptor)
        descriptor = -1
        guard closed == 0 else { throw failCommit(systemMessage(errno)) }
        // The target may have become something else since `init`; a symbolic link would be replaced.
        do {
            _ = try Self.targetMode(path)
        } catch {
            discard()
            throw error
        }
        guard rename(temporaryPath, path) == 0 else { throw failCommit(systemMessage(errno)) }
        state = .committed
        syncDirectory(of: path)
    }

    /// Abandons the output: a temporary file is closed and removed, and the target left untouched.
    ///
    /// Calling it again, or after ``commit()``, does nothing.
    public func discard() {
        guard state == .open else { return }
        state = .discarded
        guard let temporaryPath else { return }
        if descriptor >= 0 {
            _ = close(descriptor)
            descriptor = -1
        }
        _ = unlink(temporaryPath)
    }

    /// Removes the temporary file and returns the error to throw.
    private func failCommit(_ reason: String) -> CSVError {
        discard()
        return CSVError.cannotWrite(file: path, reason: reason)
    }

    /// The permission bits of the existing target, nil when there is none.
    ///
    /// - Throws: ``CSVError/cannotWrite(file:reason:)`` when the target exists but is not a regular file.
    private static func targetMode(_ path: String) throws(CSVError) -> mode_t? {
        var status = stat()
        guard lstat(path, &status) == 0 else {
            if errno == ENOENT { return nil }
            throw CSVError.cannotWrite(file: path, reason: systemMessage(errno))
        }
        let type = status.st_mode & S_IFMT
        if type == S_IFREG { return status.st_mode & 0o7777 }
        let advice =
            type == S_IFLNK
            ? "give the path of the file it points to, or remove the link"
            : "give the path of a regular file (or write to standard output)"
        throw CSVError.cannotWrite(file: path, reason: "it is \(fileKind(status.st_mode)), not a regular file: \(advice)")
    }

    /// `fsync` of the directory holding `path`, so the rename itself survives a crash; best effort.
    private func syncDirectory(of path: String) {
        let directory = path.lastIndex(of: "/").map { String(path[...$0]) } ?? "."
        let fd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        _ = close(fd)
    }
}

extension AtomicFile: ByteSink {
    func finish() throws(CSVError) { try commit() }
    func abandon() { discard() }
}

/// `write(2)`, under a name that the methods called `write` do not hide.
private func systemWrite(_ descriptor: Int32, _ bytes: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, bytes, count)
}
