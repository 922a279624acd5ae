import CSVStream
import Foundation
import Indicators

/// The replicates' records of an experiment (or of one shard's range of replicates), with what is
/// needed to summarise them: targets and truths, levels, and what names the experiment.
///
/// A run and a merge of shards both summarise an `ExperimentResults` holding every replicate in
/// order, so the two write the same bytes.
public struct ExperimentResults: Sendable, Equatable {
    /// The experiment's title.
    public var name: String
    /// Its description.
    public var description: String
    /// The SHA-256 of the experiment file's bytes.
    public var experimentSHA256: String
    /// The seed.
    public var seed: UInt64
    /// The experiment's replicate count (all shards).
    public var replicates: Int
    /// Levels, 95% first.
    public var levels: [ConfidenceLevel]
    /// Targets in output order.
    public var targets: [ExperimentTarget]
    /// The first replicate held.
    public var first: Int
    /// Per replicate held, in order: per target the estimate, then lower and upper per level (NaN: none).
    public var records: [Double]

    /// Numbers per target and replicate.
    public var recordWidth: Int { 1 + 2 * levels.count }

    /// How many replicates are held.
    public var count: Int { targets.isEmpty ? 0 : records.count / (targets.count * recordWidth) }

    /// Two results are equal when every field is, with NaN equal to NaN in the records.
    public static func == (a: Self, b: Self) -> Bool {
        a.name == b.name && a.description == b.description && a.experimentSHA256 == b.experimentSHA256
            && a.seed == b.seed && a.replicates == b.replicates && a.levels == b.levels
            && a.first == b.first && a.targets.count == b.targets.count
            && zip(a.targets, b.targets).allSatisfy {
                $0.variant == $1.variant && $0.name == $1.name && $0.truth.bitPattern == $1.truth.bitPattern
            }
            && a.records.count == b.records.count
            && zip(a.records, b.records).allSatisfy { $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }
    }
}

/// One row of `experiment.csv`: a target's bias, error and coverage over the replicates.
public struct TargetSummary: Sendable {
    /// The target.
    public var target: ExperimentTarget
    /// Replicates run.
    public var replicates: Int
    /// Replicates with no estimate or no limits (suppressed or refused).
    public var failures: Int
    /// Mean estimate minus truth, over the replicates with an estimate.
    public var bias: Double
    /// Bias over truth.
    public var relativeBias: Double
    /// √(mean (estimate − truth)²).
    public var rmse: Double
    /// Per level: the share of intervals holding the truth.
    public var coverage: [Double]
    /// Per level: its Wilson 95% interval (Monte Carlo error of the coverage).
    public var coverageInterval: [ConfidenceLimits]
    /// Per level: the mean width upper − lower.
    public var meanWidth: [Double]
}

extension ExperimentResults {
    /// The summary of every target, from all `replicates` replicates in order.
    ///
    /// For each target only replicates with an estimate and every limit count (the rest are
    /// `failures`); sums run in replicate order, so the numbers do not depend on how the
    /// replicates were split into shards or threads.
    /// - Complexity: O(replicates × targets × levels).
    public func summarise() -> [TargetSummary] {
        let width = recordWidth
        let n = count
        return targets.enumerated().map { t, target in
            var used = 0
            var sum = 0.0
            var squares = 0.0
            var covered = [Int](repeating: 0, count: levels.count)
            var widths = [Double](repeating: 0, count: levels.count)
            for r in 0..<n {
                let o = (r * targets.count + t) * width
                let value = records[o]
                guard value.isFinite, (1..<width).allSatisfy({ records[o + $0].isFinite }) else { continue }
                used += 1
                let error = value - target.truth
                sum += error
                squares += error * error
                for k in levels.indices {
                    let lower = records[o + 1 + 2 * k]
                    let upper = records[o + 2 + 2 * k]
                    if lower <= target.truth && target.truth <= upper { covered[k] += 1 }
                    widths[k] += upper - lower
                }
            }
            let m = Double(used)
            let bias = used > 0 ? sum / m : .nan
            return TargetSummary(
                target: target, replicates: n, failures: n - used, bias: bias,
                relativeBias: target.truth != 0 ? bias / target.truth : .nan,
                rmse: used > 0 ? (squares / m).squareRoot() : .nan,
                coverage: covered.map { used > 0 ? Double($0) / m : .nan },
                coverageInterval: covered.map {
                    used > 0 ? WilsonScore.limits(successes: Double($0), trials: m, level: .ninetyFive) : .missing
                },
                meanWidth: widths.map { used > 0 ? $0 / m : .nan })
        }
    }

    /// A level as written in column names: `95`, `99_8`.
    static func suffix(_ level: ConfidenceLevel) -> String {
        let tenths = Int((level.fraction * 1000).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)" : "\(tenths / 10)_\(tenths % 10)"
    }

    /// The bytes of `experiment.csv`.
    ///
    /// Columns: `variant,target,replicates,truth,bias,relative_bias,rmse,coverage95,coverage95_lower,
    /// coverage95_upper,mean_width95,failures`, then `coverageXX,coverageXX_lower,coverageXX_upper,mean_widthXX`
    /// for each other level.
    public func experimentCSV(_ rows: [TargetSummary]) -> [UInt8] {
        var header = [
            "variant", "target", "replicates", "truth", "bias", "relative_bias", "rmse", "coverage95", "coverage95_lower",
            "coverage95_upper", "mean_width95", "failures",
        ]
        for level in levels.dropFirst() {
            let s = Self.suffix(level)
            header += ["coverage\(s)", "coverage\(s)_lower", "coverage\(s)_upper", "mean_width\(s)"]
        }
        var lines = [Self.csvLine(header)]
        for row in rows {
            var fields = [
                row.target.variant, row.target.name, "\(row.replicates)", CSVWriter.format(row.target.truth),
                CSVWriter.format(row.bias), CSVWriter.format(row.relativeBias), CSVWriter.format(row.rmse),
            ]
            for k in levels.indices {
                let level = [
                    CSVWriter.format(row.coverage[k]), CSVWriter.format(row.coverageInterval[k].lower),
                    CSVWriter.format(row.coverageInterval[k].upper), CSVWriter.format(row.meanWidth[k]),
                ]
                fields += level
                if k == 0 { fields.append("\(row.failures)") }
            }
            lines.append(Self.csvLine(fields))
        }
        return Array(lines.joined().utf8)
    }

    /// The bytes of `replicates.csv`: every replicate's estimate and limits per target.
    public func replicatesCSV() -> [UInt8] {
        var header = ["replicate", "variant", "target", "value"]
        for level in levels {
            let s = Self.suffix(level)
            header += ["lower\(s)", "upper\(s)"]
        }
        var out = Array(Self.csvLine(header).utf8)
        let width = recordWidth
        for r in 0..<count {
            for (t, target) in targets.enumerated() {
                let o = (r * targets.count + t) * width
                var fields = ["\(first + r + 1)", target.variant, target.name]
                for i in 0..<width { fields.append(CSVWriter.format(records[o + i])) }
                out += Array(Self.csvLine(fields).utf8)
            }
        }
        return out
    }

    /// One CSV line; fields with a comma, quote or line break are quoted.
    static func csvLine(_ fields: [String]) -> String {
        fields.map { field in
            field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" })
                ? "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : field
        }.joined(separator: ",") + "\n"
    }
}
