import NumericCore

/// A two-sided confidence level such as 95% or 99.8% (METHODS.md §0).
///
/// Given as a fraction (0.95) or a percentage (95); stored as the fraction. Its critical
/// value is the exact normal quantile z = Φ⁻¹(1 − (1 − c)/2), never a rounded 1.96.
public struct ConfidenceLevel: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// The level as a fraction in (0, 1), e.g. 0.95.
    public let fraction: Double

    /// The two-sided critical value Φ⁻¹(1 − (1 − c)/2): 1.959964 at 95%, 3.090232 at 99.8%.
    public let z: Double

    /// Creates a level from a fraction (0.95) or a percentage (95); nil outside (0, 100).
    public init?(_ value: Double) {
        let f = value > 1 ? value / 100 : value
        guard f > 0, f < 1, f.isFinite else { return nil }
        self.fraction = f
        self.z = NormalDistribution.z(for: f)
    }

    /// The default levels of every method: 95% and 99.8%.
    public static let defaults: [ConfidenceLevel] = [ConfidenceLevel(0.95)!, ConfidenceLevel(0.998)!]

    /// 95%, the level that width rules and range SEs refer to.
    public static let ninetyFive = ConfidenceLevel(0.95)!

    /// α = 1 − c.
    public var alpha: Double { 1 - fraction }

    /// The percentage with one decimal and `_` for the point, as in column names: `95_0`, `99_8`.
    public var columnSuffix: String {
        let tenths = Int((fraction * 1000).rounded())
        return "\(tenths / 10)_\(tenths % 10)"
    }

    /// The percentage as written by a person: `95`, `99.8`.
    public var description: String {
        let tenths = Int((fraction * 1000).rounded())
        return tenths % 10 == 0 ? "\(tenths / 10)%" : "\(tenths / 10).\(tenths % 10)%"
    }

    /// Orders levels by their fraction.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.fraction < rhs.fraction }

    /// Levels are equal when their fractions are (z follows from the fraction).
    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.fraction == rhs.fraction }

    /// Hashes the fraction.
    public func hash(into hasher: inout Hasher) { hasher.combine(fraction) }
}

/// The lower and upper confidence limits at one level; either may be missing.
public struct ConfidenceLimits: Equatable, Sendable {
    /// The lower limit, or nil where it is not computed.
    public var lower: Double?
    /// The upper limit, or nil where it is not computed.
    public var upper: Double?

    /// Creates limits; non-finite values become nil (METHODS.md §0: missing in output is empty).
    public init(lower: Double?, upper: Double?) {
        self.lower = lower.flatMap { $0.isFinite ? $0 : nil }
        self.upper = upper.flatMap { $0.isFinite ? $0 : nil }
    }

    /// Both limits missing.
    public static let missing = ConfidenceLimits(lower: nil, upper: nil)
}

/// A point estimate with one pair of limits per requested level and an optional note.
///
/// Suppression is part of the method (METHODS.md §0): a suppressed estimate has a nil value,
/// missing limits and a note saying why; it is still one output row.
public struct Estimate: Equatable, Sendable {
    /// The value, or nil where suppressed or not computable.
    public var value: Double?
    /// Limits in the order of the levels asked for.
    public var limits: [ConfidenceLimits]
    /// Why the value or limits are missing, or other remarks; nil when there is nothing to say.
    public var note: String?

    /// Creates an estimate; a non-finite value becomes nil.
    public init(value: Double?, limits: [ConfidenceLimits], note: String? = nil) {
        self.value = value.flatMap { $0.isFinite ? $0 : nil }
        self.limits = limits
        self.note = note
    }

    /// A suppressed estimate: no value, missing limits at each of `levels`, and the reason.
    public static func suppressed(levels: Int, note: String) -> Estimate {
        Estimate(value: nil, limits: Array(repeating: .missing, count: levels), note: note)
    }
}

extension ConfidenceLevel: Codable {
    /// Reads a level written as its percentage (`95`, `99.8`).
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let percent = try container.decode(Double.self)
        guard let level = ConfidenceLevel(percent) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "confidence level \(percent) is not in (0, 100)")
        }
        self = level
    }

    /// Writes the level as its percentage (`95`, `99.8`).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode((fraction * 1000).rounded() / 10)
    }
}
