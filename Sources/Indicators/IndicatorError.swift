/// Invalid input to a method, where the reference tools stop rather than suppress.
///
/// The methods are pure functions over arrays and do not know group keys; they fill `band`
/// and `value`, and the caller (the pipeline) adds `group` before reporting. One
/// `description` writes the sentence, e.g.
/// `group "Area1", band 5-9: population 0 must be positive (DSR)`.
public struct IndicatorError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The group's key as the user wrote it (e.g. `area=Area1`), when known.
    public var group: String?
    /// The age band or quantile the problem is in, when there is one.
    public var band: String?
    /// The offending value as text, when there is one.
    public var value: String?
    /// What is wrong and what was expected, without the location.
    public var message: String

    /// Creates an error with its message and optional location.
    public init(_ message: String, band: String? = nil, value: String? = nil, group: String? = nil) {
        self.message = message
        self.band = band
        self.value = value
        self.group = group
    }

    /// The same error with the group key filled in.
    public func inGroup(_ key: String) -> IndicatorError {
        var copy = self
        copy.group = key
        return copy
    }

    /// One sentence: where (group, band), the value, and what was expected.
    public var description: String {
        var parts: [String] = []
        if let group { parts.append("group \(group)") }
        if let band { parts.append("band \(band)") }
        let location = parts.isEmpty ? "" : parts.joined(separator: ", ") + ": "
        let shown = value.map { " (value \($0))" } ?? ""
        return location + message + shown
    }
}

/// The error of one group of a batch: which group (0-based) and what is wrong with it.
///
/// Every batched method (`DirectlyStandardisedRate.batch`, `HealthyLifeExpectancy.batch`,
/// `LifeExpectancyDecomposition.batch`) stops at the first invalid group in group order and
/// throws this; the caller maps the index to its group key with `error.inGroup(key)`.
public struct IndicatorBatchError: Error, Equatable, Sendable, CustomStringConvertible {
    /// The 0-based index of the first group whose input is invalid.
    public var groupIndex: Int
    /// The error the single-group method throws for that group (band, value, message; no group key).
    public var error: IndicatorError

    /// Creates a batch error.
    public init(groupIndex: Int, error: IndicatorError) {
        self.groupIndex = groupIndex
        self.error = error
    }

    /// The group's error, with `#index` standing in for the group key.
    public var description: String { error.inGroup("#\(groupIndex)").description }
}
