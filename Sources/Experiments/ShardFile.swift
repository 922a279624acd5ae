import CSVStream
import Foundation
import Indicators

// A shard file holds one contiguous range of replicates' records, and everything needed to
// summarise them without the experiment file or the lookups:
//
//     # healthgap experiment shard 1
//     # {"experiment_sha256": …, "seed": …, "replicates": …, "shard": K, "shards": M, "first": …, …}
//     replicate,target,value,lower95,upper95,…
//     …one line per replicate and target…
//     # end N records
//
// Numbers are written in their shortest round-trip form (empty: none), so a merge reads back
// exactly the doubles the shard computed. The last line is written last: a file without it (a
// task killed while writing) is refused by the merge.

/// The header of a shard file.
struct ShardHeader: Codable, Equatable {
    var name: String
    var description: String
    var experimentSHA256: String
    var seed: String
    var replicates: Int
    var shard: Int
    var shards: Int
    var first: Int
    var count: Int
    /// Level fractions, in their shortest round-trip text.
    var levels: [String]
    /// Per target: variant, target name, truth (round-trip text; empty for none).
    var targets: [[String]]

    enum CodingKeys: String, CodingKey {
        case name, description, seed, replicates, shard, shards, first, count, levels, targets
        case experimentSHA256 = "experiment_sha256"
    }
}

enum ShardFile {
    static let magic = "# healthgap experiment shard 1"

    /// The file name of shard K of M.
    static func name(shard: Int, of shards: Int) -> String { "shard-\(shard)-of-\(shards).csv" }

    /// The bytes of a shard file.
    static func bytes(_ results: ExperimentResults, shard: Int, of shards: Int) -> [UInt8] {
        let header = ShardHeader(
            name: results.name, description: results.description, experimentSHA256: results.experimentSHA256,
            seed: "\(results.seed)", replicates: results.replicates, shard: shard, shards: shards, first: results.first,
            count: results.count, levels: results.levels.map { "\($0.fraction)" },
            targets: results.targets.map { [$0.variant, $0.name, CSVWriter.format($0.truth)] })
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let json = (try? encoder.encode(header)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
        var text = magic + "\n# " + json + "\n"
        var columns = ["replicate", "target", "value"]
        for level in results.levels {
            let s = ExperimentResults.suffix(level)
            columns += ["lower\(s)", "upper\(s)"]
        }
        text += columns.joined(separator: ",") + "\n"
        var out = Array(text.utf8)
        let width = results.recordWidth
        var lines = 0
        for r in 0..<results.count {
            for t in results.targets.indices {
                let o = (r * results.targets.count + t) * width
                var line = "\(results.first + r + 1),\(t)"
                for i in 0..<width { line += "," + CSVWriter.format(results.records[o + i]) }
                out += Array((line + "\n").utf8)
                lines += 1
            }
        }
        out += Array("# end \(lines) records\n".utf8)
        return out
    }

    /// Reads a shard file back.
    ///
    /// - Throws: `ExperimentError.unreadable` for a file that cannot be read; `.shards` for one
    ///   that is not a shard file, is half-written, or has a malformed record (naming the line).
    static func read(_ path: String) throws(ExperimentError) -> (ShardHeader, ExperimentResults) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw .unreadable(path: path, reason: "no such file, or not readable")
        }
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lines.count >= 3, lines[0] == magic, lines[1].hasPrefix("# ") else {
            throw .shards("\(path) is not a healthgap experiment shard file")
        }
        guard let header = try? JSONDecoder().decode(ShardHeader.self, from: Data(lines[1].dropFirst(2).utf8)),
            let seed = UInt64(header.seed)
        else {
            throw .shards("\(path):2: the shard header cannot be read")
        }
        var levels: [ConfidenceLevel] = []
        for text in header.levels {
            guard let f = Double(text), let level = ConfidenceLevel(f) else {
                throw .shards("\(path):2: '\(text)' is not a confidence level")
            }
            levels.append(level)
        }
        var targets: [ExperimentTarget] = []
        for t in header.targets {
            guard t.count == 3 else { throw .shards("\(path):2: a target is not variant, name and truth") }
            targets.append(ExperimentTarget(variant: t[0], name: t[1], truth: t[2].isEmpty ? .nan : Double(t[2]) ?? .nan))
        }
        // The last non-empty line must be the end marker, with the number of records.
        var end = lines.count - 1
        while end > 2 && lines[end].isEmpty { end -= 1 }
        let expected = header.count * targets.count
        guard lines[end] == "# end \(expected) records" else {
            throw .shards(
                "\(path) is incomplete (no '# end \(expected) records' line): the task that wrote it did not finish; run that shard again"
            )
        }
        let width = 1 + 2 * levels.count
        var records: [Double] = []
        records.reserveCapacity(expected * width)
        guard end - 3 == expected else {
            throw .shards("\(path) has \(end - 3) records where its header says \(expected)")
        }
        for (n, line) in lines[3..<end].enumerated() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            let r = n / max(targets.count, 1)
            let t = n % max(targets.count, 1)
            guard fields.count == 2 + width, Int(fields[0]) == header.first + r + 1, Int(fields[1]) == t else {
                throw .shards("\(path):\(n + 4): expected replicate \(header.first + r + 1), target \(t) and \(width) numbers")
            }
            for field in fields[2...] {
                if field.isEmpty {
                    records.append(.nan)
                } else if let x = Double(field) {
                    records.append(x)
                } else {
                    throw .shards("\(path):\(n + 4): '\(field)' is not a number")
                }
            }
        }
        let results = ExperimentResults(
            name: header.name, description: header.description, experimentSHA256: header.experimentSHA256, seed: seed,
            replicates: header.replicates, levels: levels, targets: targets, first: header.first, records: records)
        return (header, results)
    }
}
