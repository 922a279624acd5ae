import Areas
import Ingest
import Results

/// One mistake in a plan file, with where it is: the plan's line and column (from 1).
///
/// `healthgap plan check` and `healthgap run` report every issue of a plan at once, each as
/// `plan.yaml:12:5: error: …`, the form editors and terminals link to.
public struct PlanIssue: Error, Sendable, Equatable, CustomStringConvertible {
    /// The plan file, as the user named it.
    public var file: String
    /// Line in the plan file (1-based); 0 when the problem is the file as a whole.
    public var line: Int
    /// Column in the plan file (1-based); 0 when unknown.
    public var column: Int
    /// What is wrong and what would be right.
    public var message: String

    /// Creates an issue.
    public init(file: String, line: Int, column: Int, message: String) {
        self.file = file
        self.line = line
        self.column = column
        self.message = message
    }

    /// `file:line:column: error: message`.
    public var description: String {
        let place = line > 0 ? (column > 0 ? "\(file):\(line):\(column)" : "\(file):\(line)") : file
        return "\(place): error: \(message)"
    }
}
