import Areas
import Indicators

/// What every method table needs: the input, how to group it, the levels and the error policy.
public struct MethodRequest: Sendable {
    /// The input CSV (plain or `.csv.gz`).
    public var input: String
    /// The grouping columns (`--by`); empty means one group of every row.
    public var by: [String]
    /// Confidence levels, in the order their columns are written.
    public var levels: [ConfidenceLevel]
    /// Worker threads for methods that run groups in parallel.
    public var threads: Int
    /// Stop at a rejected group, or suppress it with a note.
    public var onError: ErrorPolicy

    /// Creates a request.
    public init(
        input: String, by: [String] = [], levels: [ConfidenceLevel] = ConfidenceLevel.defaults,
        threads: Int = 1, onError: ErrorPolicy = .fail
    ) {
        self.input = input
        self.by = by
        self.levels = levels
        self.threads = threads
        self.onError = onError
    }
}

extension GroupedTable {
    /// Runs `body` on every group; a rejected group stops the run or, with `.suppress`, becomes
    /// `suppressed(note)` rows and a warning.
    func mapGroups(
        policy: ErrorPolicy, bandColumn: String?,
        _ body: (Group, inout [String]) throws(IndicatorError) -> [[String]],
        suppressed: (Group, String) -> [[String]]
    ) throws(InputError) -> (rows: [[String]], warnings: [String]) {
        var rows: [[String]] = []
        var warnings: [String] = []
        for group in groups {
            do {
                rows += try body(group, &warnings)
            } catch {
                let located = locate(error, in: group, bandColumn: bandColumn)
                guard policy == .suppress else { throw located }
                warnings.append("suppressed: \(located.description)")
                rows += suppressed(group, error.note)
            }
        }
        return (rows, warnings)
    }
}
