import Areas
import ArgumentParser
import Experiments
import Runner

/// An error of healthgap's own, which a command prints as its user should read it and turns into
/// its exit code: the one place that decides how a failure looks on standard error.
protocol CommandFailure: Error, CustomStringConvertible {
    /// The sysexits code the command exits with.
    var exitCode: Int32 { get }
    /// The lines printed on standard error.
    var reportLines: [String] { get }
}

extension CommandFailure {
    /// One line: `healthgap: error: …`.
    var reportLines: [String] { ["healthgap: error: \(description)"] }
}

extension InputError: CommandFailure {}
extension SlurmError: CommandFailure {}

extension RunnerError: CommandFailure {
    /// Plan issues as `file:line:column: error: …` lines (and how many), others as one message.
    var reportLines: [String] {
        switch self {
        case .plan(let issues):
            return issues.map(\.description) + [
                "healthgap: the plan has \(issues.count) mistake\(issues.count == 1 ? "" : "s"); nothing was run or written"
            ]
        case .unreadableInput(let issues):
            return issues.map(\.description)
        default:
            return ["healthgap: error: \(description)"]
        }
    }
}

extension ExperimentError: CommandFailure {
    /// The experiment file's mistakes one per line (and how many), others as one message.
    var reportLines: [String] {
        guard case .experiment(let issues) = self else { return ["healthgap: error: \(description)"] }
        return issues.map(\.description) + [
            "healthgap: the experiment has \(issues.count) mistake\(issues.count == 1 ? "" : "s"); nothing was run or written"
        ]
    }
}

extension MergeError: CommandFailure {
    /// A run's failure as the run prints it; a refused merge says that nothing was published.
    var reportLines: [String] {
        if case .run(let inner) = self { return inner.reportLines }
        return ["healthgap: error: \(description); nothing was published"]
    }
}

/// Runs a command's work; a `CommandFailure` is printed (after `cleanup`, such as clearing the
/// progress bar) and becomes the command's exit code. Other errors pass through unchanged.
func reportingFailures<T>(cleanup: () -> Void = {}, _ work: () throws -> T) throws -> T {
    do {
        return try work()
    } catch let failure as any CommandFailure {
        cleanup()
        for line in failure.reportLines { printToStandardError(line) }
        throw ExitCode(failure.exitCode)
    }
}
