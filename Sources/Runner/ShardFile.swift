import CSVStream
import Crypto
import Foundation
import Results

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

// A shard file is JSON lines: the header (`ShardHeader`), one line per batch of records handed to
// the consumers (a JSON array of `ResultRecord`; whole jobs, in job order), and the trailer
// `{"end":{"batches":B,"records":N,"sha256":"…"}}` whose SHA-256 covers every byte before it. It is
// written under a temporary name, flushed and renamed into place, so a file with the final name is
// complete; a copy cut short, or edited, fails the trailer check when a merge reads it.

/// Everything a merge needs to know about a shard without reading its records: what produced it
/// (the plan fingerprint and its parts), which jobs it holds, and the manifest entries of the run.
public struct ShardHeader: Sendable, Codable, Equatable {
    /// `healthgap-shard/1`.
    public var format: String
    /// The tool's version.
    public var toolVersion: String
    /// The plan file, absolute (the merge reads it again to build the outputs).
    public var planPath: String
    /// The plan's name.
    public var planName: String
    /// The plan's SHA-256.
    public var planSHA256: String
    /// The fingerprint: plan, inputs, lookups, seed, repetitions and tool version, hashed.
    public var fingerprint: String
    /// Each input's SHA-256, by input name.
    public var inputHashes: [String: String]
    /// Each lookup's SHA-256, by lookup name.
    public var lookupHashes: [String: String]
    /// `--input NAME=FILE` overrides, with absolute paths.
    public var inputFiles: [String: String]
    /// The SII streams' seed.
    public var seed: UInt64
    /// SII simulation repetitions.
    public var repetitions: Int
    /// The shard's number, 1…`shardCount`.
    public var shard: Int
    /// How many shards the job list was split into.
    public var shardCount: Int
    /// The first job (0-based position in the job list).
    public var firstJob: Int
    /// One past the last job.
    public var endJob: Int
    /// Jobs in the whole plan.
    public var totalJobs: Int
    /// Worker threads the shard used.
    public var threads: Int
    /// The manifest's entry of each input (rows read, accepted, rejected; hashes).
    var inputs: [ManifestInput]
    /// The run's warnings (rejected rows, areas too small for local deciles).
    public var warnings: [String]
    /// Rejects files kept beside the shard (shard 1 only): name in the run folder, rows, file beside the shard, SHA-256.
    public var rejects: [ShardRejects]

    /// The jobs this shard holds.
    public var jobs: Range<Int> { firstJob..<endJob }

    /// The current format.
    public static let currentFormat = "healthgap-shard/1"
}

/// A rejects file of a run, kept beside shard 1 so a merge publishes it too.
public struct ShardRejects: Sendable, Codable, Equatable {
    /// Its name in the run folder (`rejects-counts.csv`).
    public var name: String
    /// Rows rejected.
    public var rows: Int
    /// The copy's file name beside the shard file.
    public var file: String
    /// The copy's SHA-256.
    public var sha256: String
}

/// The trailer: how many batches and records came before it, and the SHA-256 of every byte before it.
struct ShardTrailer: Codable, Equatable {
    var batches: Int
    var records: Int
    var sha256: String
}

/// Reading and writing shard files.
public enum ShardFile {
    /// `hgshard`.
    public static let fileExtension = "hgshard"

    static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return encoder
    }

    static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "+inf", negativeInfinity: "-inf", nan: "nan")
        return decoder
    }

    /// A shard file read and checked: its header, and its record batches still encoded.
    public struct Contents: Sendable {
        /// The file.
        public var path: String
        /// The header.
        public var header: ShardHeader
        /// Records in the file.
        public var records: Int
        /// The batch lines, each a JSON array of records.
        let batches: [Data]

        /// Decodes batch `i`.
        ///
        /// - Throws: `MergeError.incomplete` when it does not decode (the checksum matched, so a bug or a foreign file).
        func batch(_ i: Int) throws(MergeError) -> [ResultRecord] {
            do {
                return try ShardFile.decoder().decode([ResultRecord].self, from: batches[i])
            } catch {
                throw .incomplete(path: path, reason: "batch \(i + 1) does not decode: \(error)")
            }
        }

        /// Number of batches.
        var batchCount: Int { batches.count }
    }

    /// Reads a shard file and checks its trailer: record count and SHA-256.
    ///
    /// - Throws: `MergeError.unreadable`, or `.incomplete` for a file cut short, edited or not a shard file.
    public static func read(_ path: String) throws(MergeError) -> Contents {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "cannot read the file")
        }
        var lines: [Range<Int>] = []
        var start = data.startIndex
        while start < data.endIndex {
            guard let newline = data[start...].firstIndex(of: 0x0A) else {
                throw .incomplete(path: path, reason: "the last line is cut short (the file is half-written or truncated)")
            }
            lines.append(start..<newline)
            start = newline + 1
        }
        guard let first = lines.first else { throw .incomplete(path: path, reason: "the file is empty") }
        let header: ShardHeader
        do {
            header = try decoder().decode(ShardHeader.self, from: data[first])
        } catch {
            throw .incomplete(path: path, reason: "the first line is not a shard header (\(error))")
        }
        guard header.format == ShardHeader.currentFormat else {
            throw .incomplete(path: path, reason: "format \(header.format), expected \(ShardHeader.currentFormat)")
        }
        guard lines.count >= 2, let last = lines.last,
            let wrapper = try? decoder().decode([String: ShardTrailer].self, from: data[last]), let trailer = wrapper["end"]
        else {
            throw .incomplete(path: path, reason: "it has no end line (the file is half-written or truncated)")
        }
        let digest = FileDigest.sha256(data[data.startIndex..<last.lowerBound])
        guard digest == trailer.sha256 else {
            throw .incomplete(path: path, reason: "its checksum does not match its contents (the file was changed or damaged)")
        }
        let batches = lines.dropFirst().dropLast().map { Data(data[$0]) }
        guard batches.count == trailer.batches else {
            throw .incomplete(path: path, reason: "\(batches.count) batches, the end line says \(trailer.batches)")
        }
        return Contents(path: path, header: header, records: trailer.records, batches: batches)
    }
}

/// The consumer that writes a shard file: header, record batches, trailer; then the atomic rename.
final class ShardFileWriter: ResultConsumer {
    private let header: ShardHeader
    private let finalPath: String
    private let temporaryPath: String
    private let encoder = ShardFile.encoder()
    private var file: StagedFile?
    private var hasher = SHA256()
    private var batches = 0
    private var records = 0

    /// A writer of `header`'s shard into `directory` (as `ShardSpec.fileName`).
    init(header: ShardHeader, directory: String, name: String) {
        self.header = header
        finalPath = directory + "/" + name
        temporaryPath = directory + "/." + name + ".tmp-\(getpid())"
    }

    /// Opens the temporary file and writes the header line.
    func begin(staging: String, run: RunDescription) throws(ConsumerError) {
        do {
            file = try StagedFile(path: temporaryPath)
            try write(try encoder.encode(header))
        } catch let error as ConsumerError {
            throw error
        } catch {
            throw ConsumerError(path: temporaryPath, reason: "\(error)")
        }
    }

    /// One line per batch.
    func consume(_ batch: [ResultRecord]) throws(ConsumerError) {
        guard !batch.isEmpty else { return }
        do {
            try write(try encoder.encode(batch))
        } catch let error as ConsumerError {
            throw error
        } catch {
            throw ConsumerError(path: temporaryPath, reason: "cannot encode records: \(error)")
        }
        batches += 1
        records += batch.count
    }

    /// Writes the trailer, flushes the file to disk and renames it to its final name.
    func finish() throws(ConsumerError) -> [WrittenFile] {
        let digest = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let trailer = ShardTrailer(batches: batches, records: records, sha256: digest)
        do {
            try write(try encoder.encode(["end": trailer]))
            try file?.finish()
        } catch let error as ConsumerError {
            throw error
        } catch {
            throw ConsumerError(path: temporaryPath, reason: "\(error)")
        }
        file = nil
        let fd = open(temporaryPath, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            throw ConsumerError(path: finalPath, reason: String(cString: strerror(errno)))
        }
        let directory = URL(fileURLWithPath: finalPath).deletingLastPathComponent().path
        let dfd = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if dfd >= 0 {
            fsync(dfd)
            close(dfd)
        }
        return [WrittenFile(name: finalPath, rows: records)]
    }

    /// Removes the temporary file of a shard that failed.
    func rollback() {
        if let file { try? file.finish() }
        file = nil
        unlink(temporaryPath)
    }

    private func write(_ line: Data) throws(ConsumerError) {
        var bytes = [UInt8](line)
        bytes.append(0x0A)
        hasher.update(data: bytes)
        do {
            try file?.append(bytes)
        } catch {
            throw ConsumerError(path: temporaryPath, reason: error.description)
        }
    }
}
