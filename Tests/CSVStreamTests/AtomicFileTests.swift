import CSVStream
import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// The permission bits of `path`.
private func mode(_ path: String) -> mode_t {
    var status = stat()
    _ = stat(path, &status)
    return status.st_mode & 0o7777
}

@Suite("AtomicFile: the one output sink")
struct AtomicFileTests {
    @Test func writesAnyBytesAndReplacesOnCommit() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let target = directory + "/manifest.json"
        let file = try AtomicFile(path: target)
        #expect(file.isAtomic)
        try file.write("{\"rows\": ")
        try file.write([0x31, 0x7D, 0x0A])
        #expect(!FileManager.default.fileExists(atPath: target), "nothing appears before commit()")
        try file.commit()
        try file.commit()  // a second commit does nothing
        #expect(try fileBytes(target) == Array("{\"rows\": 1}\n".utf8))
        #expect(try directoryListing(directory) == ["manifest.json"])
    }

    @Test func discardAndReleaseLeaveNoTemporaryFile() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let target = directory + "/out.bin"
        let discarded = try AtomicFile(path: target)
        try discarded.write([1, 2, 3])
        #expect(try directoryListing(directory).count == 1)
        discarded.discard()
        discarded.discard()
        #expect(try directoryListing(directory).isEmpty)
        do {
            let released = try AtomicFile(path: target)
            try released.write([4])
        }
        #expect(try directoryListing(directory).isEmpty)
    }

    @Test func keepsTheTargetsPermissionBits() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        for bits: mode_t in [0o600, 0o640, 0o604] {
            let target = directory + "/secret-\(String(bits, radix: 8)).csv"
            #expect(FileManager.default.createFile(atPath: target, contents: Data("old\n".utf8)))
            #expect(chmod(target, bits) == 0)
            let writer = try CSVWriter(path: target)
            try writer.write(row: ["new"])
            try writer.finish()
            #expect(mode(target) == bits, "mode \(String(mode(target), radix: 8))")
            #expect(try fileBytes(target) == Array("new\n".utf8))
        }
        // A new file gets the usual 0666 less the umask.
        let mask = umask(0o022)
        umask(mask)
        let fresh = try AtomicFile(path: directory + "/fresh.txt")
        try fresh.commit()
        #expect(mode(directory + "/fresh.txt") == 0o666 & ~mask)
    }

    @Test func refusesWhatIsNotARegularFile() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let real = directory + "/real.csv"
        #expect(FileManager.default.createFile(atPath: real, contents: Data("keep\n".utf8)))
        #expect(mkdir(directory + "/folder", 0o755) == 0)
        #expect(mkfifo(directory + "/fifo", 0o600) == 0)
        #expect(symlink(real, directory + "/link") == 0)
        let cases: [(String, String)] = [
            (
                directory + "/folder",
                "it is a directory, not a regular file: give the path of a regular file (or write to standard output)"
            ),
            (
                directory + "/fifo",
                "it is a FIFO (named pipe), not a regular file: give the path of a regular file (or write to standard output)"
            ),
            (
                directory + "/link",
                "it is a symbolic link, not a regular file: give the path of the file it points to, or remove the link"
            ),
            (
                "/dev/full",
                "it is a character device, not a regular file: give the path of a regular file (or write to standard output)"
            ),
            (
                directory + "/",
                "it is a directory, not a regular file: give the path of a regular file (or write to standard output)"
            ),
            ("missing/", "it names a directory: give the path of a file"),
        ]
        for (path, reason) in cases {
            #expect(throws: CSVError.cannotWrite(file: path, reason: reason)) { _ = try AtomicFile(path: path) }
            #expect(throws: CSVError.cannotWrite(file: path, reason: reason)) { _ = try CSVWriter(path: path) }
        }
        #expect(try directoryListing(directory) == ["fifo", "folder", "link", "real.csv"], "no temporary files")
        #expect(try fileBytes(real) == Array("keep\n".utf8))
    }

    @Test func aTargetThatBecomesADirectoryFailsTheCommitCleanly() throws {
        let directory = makeTemporaryDirectory()
        defer { removeDirectory(directory) }
        let target = directory + "/out.csv"
        let writer = try CSVWriter(path: target)
        try writer.write(row: ["a"])
        #expect(mkdir(target, 0o755) == 0)
        #expect(throws: CSVError.self) { try writer.finish() }
        #expect(try directoryListing(directory) == ["out.csv"], "only the directory, no temporary file")
    }

    @Test func writeErrorsOnADescriptorAreReported() throws {
        // `> /dev/full`: every write fails with ENOSPC, which must not pass as success.
        let full = open("/dev/full", O_WRONLY)
        try #require(full >= 0)
        defer { close(full) }
        let output = AtomicFile(descriptor: full, name: "<stdout>")
        #expect(!output.isAtomic)
        #expect(throws: CSVError.cannotWrite(file: "<stdout>", reason: "No space left on device")) {
            try output.write([0x41])
        }
        // Through a writer: its buffer hides the error until finish(), which reports it.
        let writer = try CSVWriter(output: AtomicFile(descriptor: full, name: "<stdout>"))
        try writer.write(row: ["a", "b"])
        #expect(throws: CSVError.cannotWrite(file: "<stdout>", reason: "No space left on device")) {
            try writer.finish()
        }
    }

    @Test func aPipeWhoseReaderHasGoneIsAnError() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        close(ends[0])
        defer { close(ends[1]) }
        // With SIGPIPE ignored (as a test process must, to survive), the write fails with EPIPE.
        let previous = signal(SIGPIPE, SIG_IGN)
        defer { signal(SIGPIPE, previous) }
        let writer = try CSVWriter(output: AtomicFile(descriptor: ends[1], name: "<stdout>"))
        for i in 0..<100_000 { try? writer.write(row: ["\(i)"]) }
        #expect(throws: CSVError.cannotWrite(file: "<stdout>", reason: "Broken pipe")) { try writer.finish() }
    }
}
