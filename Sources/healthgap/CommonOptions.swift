import Areas
import ArgumentParser
import Foundation
import Indicators
import Ingest
import MethodTables
import Results
import Runner

/// The options every method command shares: input, grouping, levels, output, threads and error policy.
struct CommonOptions: ParsableArguments {
    @Option(help: ArgumentHelp("The input CSV file (plain or .csv.gz).", valueName: "file"))
    var input: String

    @Option(
        help: ArgumentHelp(
            "Columns whose values define the groups, comma-separated (none: one group of every row).",
            valueName: "col,col…"))
    var by: String?

    @Option(
        help: ArgumentHelp(
            "Confidence levels as percentages or fractions, comma-separated.", valueName: "levels"))
    var confidence: String = "95,99.8"

    @Option(help: ArgumentHelp("Where to write the result CSV (default: standard output).", valueName: "file"))
    var output: String?

    @Option(
        help: ArgumentHelp(
            "Worker threads for methods that run groups in parallel (default: the number of cores).", valueName: "n"))
    var threads: Int?

    @Option(
        name: .customLong("on-error"),
        help: ArgumentHelp(
            "What to do when a group's data is invalid: fail (stop, exit 65) or suppress (write the group with the message as its note).",
            valueName: "fail|suppress"))
    var onError: ErrorPolicyArgument = .fail

    var levels: [ConfidenceLevel] {
        get throws {
            let parts = confidence.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            guard !parts.isEmpty else { throw ValidationError("--confidence needs at least one level, e.g. 95,99.8") }
            return try parts.map { text in
                guard let number = Double(text), let level = ConfidenceLevel(number) else {
                    throw ValidationError("--confidence: '\(text)' is not a level between 0 and 100 (e.g. 95 or 99.8)")
                }
                return level
            }
        }
    }

    var byColumns: [String] {
        (by ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    func validate() throws {
        _ = try levels
        if let threads, threads < 1 { throw ValidationError("--threads must be at least 1") }
    }

    /// The pipeline's request for these options.
    func request() throws -> MethodRequest {
        MethodRequest(
            input: input, by: byColumns, levels: try levels, threads: threads ?? ProcessInfo.processInfo.activeProcessorCount,
            onError: onError.policy)
    }
}

/// `--on-error` values.
enum ErrorPolicyArgument: String, ExpressibleByArgument, CaseIterable {
    case fail, suppress

    var policy: ErrorPolicy { self == .fail ? .fail : .suppress }
}

/// Runs a pipeline step: writes its table, prints its warnings to standard error, and turns a
/// `InputError` into its message and exit code.
func execute(output: String?, _ body: () throws(InputError) -> ResultTable) throws {
    do {
        let table = try body()
        for warning in table.warnings { printToStandardError("healthgap: warning: \(warning)") }
        try table.write(to: output)
    } catch {
        printToStandardError("healthgap: error: \(error.description)")
        throw ExitCode(error.exitCode)
    }
}

/// Writes one line to standard error.
func printToStandardError(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}

/// Parses a comma-separated list of column names.
func columnList(_ text: String?) -> [String] {
    (text ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
}

/// A number option whose default prints as a person writes it (`100000`, not `100000.0`).
struct Number: ExpressibleByArgument, Sendable {
    /// The value.
    var value: Double

    init(_ value: Double) { self.value = value }

    init?(argument: String) {
        guard let value = Double(argument), value.isFinite else { return nil }
        self.value = value
    }

    var defaultValueDescription: String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int64(value)) : "\(value)"
    }
}
