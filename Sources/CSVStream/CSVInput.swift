#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Questions about an input path, asked before reading it.
///
/// ``CSVReader`` reads any path once, front to back, so a FIFO (`<(zcat x.gz)`), a character
/// device or standard input works. A caller that reads a file twice (to hash it, to split it into
/// blocks, to read its header first) must refuse those, whose bytes are gone once read.
public enum CSVInput {
    /// Whether `path` names a regular file (following symbolic links): false for a FIFO, a device,
    /// a socket, a directory, or a path that does not exist.
    ///
    /// - Complexity: one `stat` call.
    public static func isRegularFile(_ path: String) -> Bool {
        var status = stat()
        guard stat(path, &status) == 0 else { return false }
        return status.st_mode & S_IFMT == S_IFREG
    }

    /// What `path` is, in words for a message ("a regular file", "a FIFO (named pipe)", "a
    /// directory"), or nil when it cannot be examined (it does not exist, or is not reachable).
    ///
    /// - Complexity: one `stat` call.
    public static func kind(of path: String) -> String? {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        return fileKind(status.st_mode)
    }
}
