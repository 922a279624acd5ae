import Areas
import Foundation
import Ingest
import Results

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Nightly-safe publishing of a run's outputs: staged in full, then made visible in one step.
///
/// `--output DIR` is a symbolic link to the newest complete run directory, kept beside it in
/// `.DIR.runs/`. A run writes everything into `.DIR.runs/staging-…`, renames it to its run name,
/// then points a temporary link at it and renames the link onto `DIR` (`rename(2)` replaces the
/// old link atomically). Readers see the old set or the new set, never a mixture; a run killed
/// at any point leaves `DIR` as it was. One run at a time holds `.DIR.lock` (`flock`, released by
/// the kernel if the process dies); the next run deletes the staging directories left by killed
/// runs, and after publishing keeps only the new and the previous run directories.
public final class OutputPublisher {
    /// `DIR` as given.
    let output: String
    /// The folder holding `DIR`, `.DIR.runs/` and `.DIR.lock`.
    let parent: String
    /// `DIR`'s last path component.
    let base: String
    /// `.DIR.runs`, inside `parent`.
    public let runsDirectory: String
    private let lockPath: String
    private var lockDescriptor: Int32 = -1

    /// Takes the output's lock and checks that `DIR` is absent or a link.
    ///
    /// - Throws: `RunnerError.busy` when another run holds the lock; `.output` when `DIR` is a
    ///   real file or directory, or the folders cannot be created.
    public init(output: String) throws(RunnerError) {
        var path = output
        while path.count > 1 && path.hasSuffix("/") { path.removeLast() }
        self.output = path
        let url = URL(fileURLWithPath: path)
        parent = url.deletingLastPathComponent().path
        base = url.lastPathComponent
        runsDirectory = parent + "/." + base + ".runs"
        lockPath = parent + "/." + base + ".lock"
        do {
            try FileManager.default.createDirectory(atPath: runsDirectory, withIntermediateDirectories: true)
        } catch {
            throw .output(path: path, reason: "cannot create \(runsDirectory): \(error.localizedDescription)")
        }
        var info = stat()
        if lstat(path, &info) == 0 && (info.st_mode & S_IFMT) != S_IFLNK {
            throw .output(
                path: path,
                reason:
                    "\(path) exists and is not a link made by healthgap run (the output is a link to the newest complete run); move it away or choose another --output"
            )
        }
        let fd = open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw .output(path: path, reason: "cannot open \(lockPath): \(String(cString: strerror(errno)))") }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            close(fd)
            throw .busy(lock: lockPath)
        }
        lockDescriptor = fd
    }

    deinit { release() }

    /// Releases the lock.
    public func release() {
        if lockDescriptor >= 0 {
            flock(lockDescriptor, LOCK_UN)
            close(lockDescriptor)
            lockDescriptor = -1
        }
    }

    /// The published run's manifest, if `DIR` points at a complete run.
    public func currentManifest() -> Data? {
        FileManager.default.contents(atPath: output + "/manifest.json")
    }

    /// The run directory `DIR` points at (its name inside `.DIR.runs`), if any.
    public func currentRun() -> String? {
        guard let target = try? FileManager.default.destinationOfSymbolicLink(atPath: output) else { return nil }
        return URL(fileURLWithPath: target).lastPathComponent
    }

    /// Deletes staging directories left by runs that were killed; returns their names.
    public func removeStaleStaging() -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory)) ?? []
        var removed: [String] = []
        for name in names.sorted() where name.hasPrefix("staging-") {
            if (try? FileManager.default.removeItem(atPath: runsDirectory + "/" + name)) != nil { removed.append(name) }
        }
        return removed
    }

    /// Creates a fresh staging directory (and its `tables/` folder).
    ///
    /// - Throws: `RunnerError.output`.
    public func makeStaging() throws(RunnerError) -> String {
        let path = runsDirectory + "/staging-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try FileManager.default.createDirectory(atPath: path + "/tables", withIntermediateDirectories: true)
        } catch {
            throw .output(path: output, reason: "cannot create \(path): \(error.localizedDescription)")
        }
        return path
    }

    /// Publishes a complete staging directory as run `name`: rename it into place, swap the
    /// link, then delete every run directory but the new and the previous one.
    ///
    /// - Returns: the run directory's path.
    /// - Throws: `RunnerError.output` (the previous outputs are then still published).
    public func publish(staging: String, name: String) throws(RunnerError) -> String {
        var runName = name
        var suffix = 2
        while FileManager.default.fileExists(atPath: runsDirectory + "/" + runName) {
            runName = "\(name)-\(suffix)"
            suffix += 1
        }
        let final = runsDirectory + "/" + runName
        // Every file of the run on disk before it becomes visible: one filesystem flush.
        Self.syncFilesystem(of: staging)
        guard rename(staging, final) == 0 else {
            throw .output(path: output, reason: "cannot rename \(staging) to \(final): \(String(cString: strerror(errno)))")
        }
        syncDirectory(runsDirectory)
        let previous = currentRun()
        let temporary = parent + "/." + base + ".link-\(getpid())"
        unlink(temporary)
        guard symlink("." + base + ".runs/" + runName, temporary) == 0 else {
            throw .output(path: output, reason: "cannot create the link \(temporary): \(String(cString: strerror(errno)))")
        }
        guard rename(temporary, output) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .output(path: output, reason: "cannot replace the link \(output): \(reason)")
        }
        syncDirectory(parent)
        // Old runs: keep the new one and the one readers may still be reading.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: runsDirectory)) ?? []
        for old in names where old != runName && old != previous && !old.hasPrefix("staging-") {
            try? FileManager.default.removeItem(atPath: runsDirectory + "/" + old)
        }
        return final
    }

    /// Flushes every dirty page of the filesystem holding `path`: Linux `syncfs(2)` (looked up at
    /// run time: Glibc's Swift module does not export it), else `sync(2)`.
    private static func syncFilesystem(of path: String) {
        typealias SyncFS = @convention(c) (Int32) -> Int32
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        if fd >= 0, let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "syncfs") {
            if unsafeBitCast(symbol, to: SyncFS.self)(fd) == 0 { return }
        }
        sync()
    }

    /// Flushes a directory's entries to disk (best effort).
    private func syncDirectory(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }
}
