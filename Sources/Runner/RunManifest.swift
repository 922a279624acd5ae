import Areas
import Foundation
import Ingest
import Results

/// What decides whether a run would change the published outputs: the tool's version, the plan's
/// bytes, every input's and lookup's SHA-256, the seed and the repetitions.
struct Fingerprint: Sendable {
    /// The SHA-256 of the canonical description below.
    let value: String
    /// The plan's SHA-256.
    let plan: String
    /// Each input's SHA-256 and size, by input name.
    let inputs: [String: (hex: String, bytes: Int)]
    /// Each lookup's name, path and SHA-256.
    let lookups: [(name: String, path: String, hex: String)]

    /// Hashes the plan, inputs and lookups.
    ///
    /// - Throws: `RunnerError.pipeline(.csv(.cannotOpen))` for an unreadable file.
    static func compute(
        planBytes: Data, resolved: ResolvedPlan, data: DataDirectory, geography: Geography, seed: UInt64,
        repetitions: Int, toolVersion: String
    ) throws(RunnerError) -> Fingerprint {
        let plan = FileDigest.sha256(planBytes)
        var inputs: [String: (hex: String, bytes: Int)] = [:]
        var lines = ["healthgap \(toolVersion)", "plan \(plan)", "seed \(seed)", "repetitions \(repetitions)"]
        do {
            for input in resolved.plan.inputs where inputs[input.name] == nil {
                let digest = try FileDigest.sha256(file: input.resolvedPath)
                inputs[input.name] = digest
                lines.append("input \(input.name) \(digest.hex)")
            }
            var lookups: [(String, String, String)] = []
            let files = [
                ("imd", Deprivation.path(for: resolved.imd, data: data)), ("wards", geography.sources.wards),
                ("authorities", geography.sources.authorities), ("places", geography.sources.places),
            ]
            for (name, path) in files {
                let digest = try FileDigest.sha256(file: path)
                lookups.append((name, path, digest.hex))
                lines.append("lookup \(name) \(digest.hex)")
            }
            let value = FileDigest.sha256(Data(lines.joined(separator: "\n").utf8))
            return Fingerprint(value: value, plan: plan, inputs: inputs, lookups: lookups)
        } catch {
            throw .pipeline(error)
        }
    }

    /// The fingerprint recorded in a published manifest, if readable.
    static func published(in manifest: Data) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: manifest) as? [String: Any] else { return nil }
        return object["fingerprint"] as? String
    }
}

/// One output file in the manifest.
struct ManifestFile: Sendable {
    var name: String
    var rows: Int
    var bytes: Int
    var sha256: String
}

/// One input in the manifest (also carried in shard files, so a merge writes the same entries).
struct ManifestInput: Sendable, Codable, Equatable {
    var name: String
    var path: String
    var sha256: String
    var bytes: Int
    var numerator: String
    var denominator: String
    /// More count columns read in the same pass (deaths by cause), or nil when none.
    var extra: [String]?
    var rowsRead: Int
    var rowsAccepted: Int
    var rowsRejected: Int
    var parallel: Bool
}

/// `manifest.json`: what produced a run's outputs, and what they are.
struct RunManifest {
    var toolVersion: String
    var planPath: String
    var planName: String
    var fingerprint: Fingerprint
    var seed: UInt64
    var repetitions: Int
    var threads: Int
    var run: String
    var inputs: [ManifestInput]
    var jobs: Int
    var siiComputations: Int
    var resultRows: Int
    var rowsWithNotes: Int
    var outputs: [ManifestFile]
    var timings: [(stage: String, seconds: Double)]
    var warnings: [String]
    var startedAt: Date

    /// The manifest as JSON, keys in a fixed order.
    func json() -> String {
        func s(_ text: String) -> String { JSONText.string(text) }
        func seconds(_ x: Double) -> String { String(format: "%.3f", x) }
        var lines: [String] = ["{"]
        lines.append("  \"tool\": \"healthgap\",")
        lines.append("  \"version\": \(s(toolVersion)),")
        lines.append("  \"run\": \(s(run)),")
        lines.append("  \"fingerprint\": \(s(fingerprint.value)),")
        lines.append("  \"plan\": {\"path\": \(s(planPath)), \"name\": \(s(planName)), \"sha256\": \(s(fingerprint.plan))},")
        lines.append("  \"seed\": \(seed),")
        lines.append("  \"repetitions\": \(repetitions),")
        lines.append("  \"threads\": \(threads),")
        lines.append("  \"started_at\": \(s(BatchRunner.timestamp(startedAt, compact: false))),")
        lines.append("  \"finished_at\": \(s(BatchRunner.timestamp(Date(), compact: false))),")
        lines.append("  \"inputs\": [")
        lines.append(
            inputs.map { i in
                "    {\"name\": \(s(i.name)), \"path\": \(s(i.path)), \"bytes\": \(i.bytes), \"sha256\": \(s(i.sha256)), "
                    + "\"numerator\": \(s(i.numerator)), \"denominator\": \(s(i.denominator)), "
                    + (i.extra.map { "\"extra_counts\": [\($0.map(s).joined(separator: ", "))], " } ?? "")
                    + "\"rows_read\": \(i.rowsRead), "
                    + "\"rows_accepted\": \(i.rowsAccepted), \"rows_rejected\": \(i.rowsRejected), \"parallel_read\": \(i.parallel)}"
            }.joined(separator: ",\n"))
        lines.append("  ],")
        lines.append("  \"lookups\": [")
        lines.append(
            fingerprint.lookups.map { "    {\"name\": \(s($0.name)), \"path\": \(s($0.path)), \"sha256\": \(s($0.hex))}" }
                .joined(separator: ",\n"))
        lines.append("  ],")
        lines.append("  \"jobs\": \(jobs),")
        lines.append("  \"sii_computations\": \(siiComputations),")
        lines.append("  \"result_rows\": \(resultRows),")
        lines.append("  \"rows_with_notes\": \(rowsWithNotes),")
        lines.append("  \"outputs\": [")
        lines.append(
            outputs.map {
                "    {\"file\": \(s($0.name)), \"rows\": \($0.rows), \"bytes\": \($0.bytes), \"sha256\": \(s($0.sha256))}"
            }
            .joined(separator: ",\n"))
        lines.append("  ],")
        let total = timings.reduce(0) { $0 + $1.seconds }
        lines.append(
            "  \"timings_seconds\": {"
                + (timings.map { "\(s($0.stage)): \(seconds($0.seconds))" } + ["\"total\": \(seconds(total))"])
                .joined(separator: ", ") + "},")
        lines.append("  \"warnings\": [" + warnings.map(s).joined(separator: ", ") + "]")
        lines.append("}")
        return lines.joined(separator: "\n") + "\n"
    }
}

/// JSON string literals.
enum JSONText {
    /// `text` as a quoted JSON string.
    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 {
                    out += String(format: "\\u%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
