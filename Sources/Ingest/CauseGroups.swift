import CSVStream

/// Broad cause-of-death groups defined by ICD-10 code ranges, read from a table, and a fast
/// classifier of underlying-cause codes into them.
///
/// The table (`Data/causes/segment-groups.csv`, or a user's file of the same shape) has columns
/// `group,label,rule,codes`, one row per code range:
/// - `rule` `codes`: `codes` is one code (`G30`, `U50.9`) or a range (`I00-I99`, `U07.1-U07.2`).
///   A three-character bound covers all its four-character codes (`I99` is `I99.0`–`I99.9`).
/// - `rule` `age_under_28_days`: the group of every death under 28 days old, whatever its code
///   (the Segment Tool's "deaths under 28 days"); at most one such group.
/// - `rule` `rest`: the group of every code no range lists, and of blank codes; exactly one.
/// A group may have several rows (same label). Two three-character ranges of different groups
/// must not overlap, nor two four-character ones; a four-character range inside a
/// three-character one refines it (`U07.1-U07.2` takes those two codes from whatever holds `U07`).
///
/// Codes are read as the registrations write them: `I21.9`, `I219`, `i21.9`, ` I21 `, `C34`,
/// `C34X` or `C34-` (no fourth character), `U07.1`, with a dagger or asterisk mark (`A17.0†`,
/// `G01*`, `A17.0+`); a fifth character is ignored. Classifying is one table look-up on the
/// letter and two digits, and a second one for the few codes a four-character range refines.
public struct CauseGroups: Sendable {
    /// One row of the table.
    public struct Row: Sendable, Equatable {
        /// The group's identifier (`circulatory`), used in output columns.
        public var group: String
        /// The group's name for people (`Circulatory`).
        public var label: String
        /// `codes`, `age_under_28_days` or `rest`.
        public var rule: String
        /// The code or range, for `codes` rows.
        public var codes: String

        /// Creates a row.
        public init(group: String, label: String, rule: String, codes: String) {
            self.group = group
            self.label = label
            self.rule = rule
            self.codes = codes
        }
    }

    /// The group identifiers, in the order of their first row.
    public let groups: [String]
    /// The group labels, in `groups` order.
    public let labels: [String]
    /// The index of the residual group (`rest`).
    public let restGroup: Int
    /// The index of the group for deaths under 28 days, if the table has one.
    public let under28DaysGroup: Int?
    /// Per letter and two digits (`letter × 100 + number`): a group index (with `unlistedFlag` when
    /// no range lists the code), or `-1 - k` for refinement table `k`.
    private let cells: [Int16]
    /// Marks a code that falls to the rest group because no range lists it.
    private static let unlistedFlag: Int16 = 0x4000
    /// Refinement tables of 11 entries: the fourth character 0–9, then a code without one.
    private let refinements: [Int16]

    /// The groups of `rows`.
    ///
    /// - Parameter source: the file name, for messages.
    /// - Throws: `CauseGroupsError` naming the row of an unknown rule, a malformed code or range,
    ///   a missing or repeated `rest` group, two age groups, or two groups claiming the same codes.
    public init(rows: [Row], source: String = "cause groups") throws(CauseGroupsError) {
        var groups: [String] = [], labels: [String] = []
        var rest: Int?, under28: Int?
        var cell3 = [Int16](repeating: -1, count: 2600), owner3 = [Int](repeating: -1, count: 2600)
        var cell4 = [Int16](repeating: -1, count: 26_000), owner4 = [Int](repeating: -1, count: 26_000)
        for (r, row) in rows.enumerated() {
            let line = r + 2
            func fail(_ message: String) -> CauseGroupsError {
                CauseGroupsError(source: source, line: line, message: message)
            }
            let id = row.group.trimmingBlanks
            guard !id.isEmpty else { throw fail("the group is empty") }
            let g: Int
            if let known = groups.firstIndex(of: id) {
                g = known
                guard labels[g] == row.label.trimmingBlanks else {
                    throw fail("group \(id) has the label \"\(row.label)\" here and \"\(labels[g])\" on an earlier row")
                }
            } else {
                guard groups.count < Int(Self.unlistedFlag) else { throw fail("too many groups") }
                groups.append(id)
                labels.append(row.label.trimmingBlanks)
                g = groups.count - 1
            }
            switch row.rule.trimmingBlanks.lowercased() {
            case "rest":
                if let rest, rest != g { throw fail("a second rest group (\(id); \(groups[rest]) came first): keep one") }
                rest = g
            case "age_under_28_days":
                if let under28, under28 != g {
                    throw fail("a second age_under_28_days group (\(id); \(groups[under28]) came first): keep one")
                }
                under28 = g
            case "codes":
                guard let range = Self.parseRange(row.codes) else {
                    throw fail(
                        "\"\(row.codes)\" is not an ICD-10 code or range (expected e.g. I00-I99, G30, U07.1-U07.2)")
                }
                if range.lower.digit == nil && range.upper.digit == nil {
                    for c in range.lower.cell...range.upper.cell {
                        if cell3[c] >= 0 && Int(cell3[c]) != g {
                            throw fail(
                                "\(row.codes) overlaps codes of group \(groups[Int(cell3[c])]) (line \(owner3[c])) at "
                                    + Self.name(cell: c))
                        }
                        cell3[c] = Int16(g)
                        owner3[c] = line
                    }
                } else {
                    let from = range.lower.cell * 10 + (range.lower.digit ?? 0)
                    let to = range.upper.cell * 10 + (range.upper.digit ?? 9)
                    for k in from...to {
                        if cell4[k] >= 0 && Int(cell4[k]) != g {
                            throw fail(
                                "\(row.codes) overlaps codes of group \(groups[Int(cell4[k])]) (line \(owner4[k])) at "
                                    + "\(Self.name(cell: k / 10)).\(k % 10)")
                        }
                        cell4[k] = Int16(g)
                        owner4[k] = line
                    }
                }
            default:
                throw fail("rule \"\(row.rule)\" is not codes, age_under_28_days or rest")
            }
        }
        guard let rest else {
            throw CauseGroupsError(
                source: source, line: nil, message: "no rest group: add a row such as other,Other,rest, for unlisted codes")
        }
        var cells = [Int16](repeating: 0, count: 2600)
        var refinements: [Int16] = []
        for c in 0..<2600 {
            let whole = cell3[c] >= 0 ? cell3[c] : Int16(rest) | Self.unlistedFlag
            let fourth = cell4[(c * 10)..<(c * 10 + 10)]
            if fourth.allSatisfy({ $0 < 0 }) {
                cells[c] = whole
            } else {
                cells[c] = -1 - Int16(refinements.count / 11)
                refinements.append(contentsOf: fourth.map { $0 >= 0 ? $0 : whole })
                refinements.append(whole)
            }
        }
        self.groups = groups
        self.labels = labels
        self.restGroup = rest
        self.under28DaysGroup = under28
        self.cells = cells
        self.refinements = refinements
    }

    /// The groups of a table file (plain CSV or gzip) with columns `group,label,rule,codes`.
    ///
    /// - Throws: `CSVError` when the file cannot be read or lacks a column; `CauseGroupsError` as `init(rows:source:)`.
    public static func load(path: String) throws -> CauseGroups {
        let reader = try CSVReader(path: path)
        let h = reader.header
        let columns = try ["group", "label", "rule", "codes"].map { try h.requireIndex(of: $0) }
        var rows: [Row] = []
        try reader.forEachRow { row in
            rows.append(Row(group: row[columns[0]], label: row[columns[1]], rule: row[columns[2]], codes: row[columns[3]]))
        }
        return try CauseGroups(rows: rows, source: path)
    }

    /// What a cause field held, beside the group it was put in.
    public enum Reading: Sendable, Equatable {
        /// A code in one of the table's ranges.
        case listed
        /// A well-formed code in no range: the rest group.
        case unlisted
        /// A blank field: the rest group.
        case blank
        /// A death under 28 days old: the age group, whatever the code.
        case underAge
    }

    /// The group of one death, from its underlying cause and (when known) its age in days.
    ///
    /// - Throws: `RecordFieldError` with reason `.badCause` when the field is neither blank nor an ICD-10 code.
    /// - Complexity: O(n) in the field's length; no allocation.
    public func classify(_ code: some StringProtocol, ageInDays: Int? = nil) throws(RecordFieldError) -> (
        group: Int, reading: Reading
    ) {
        let result = Array(code.utf8).withUnsafeBufferPointer { classify(utf8: $0, ageInDays: ageInDays) }
        guard let result else {
            throw RecordFieldError(
                field: "cause", value: String(code),
                expected: "an ICD-10 code such as I21.9, I219, C34 or U07.1 (or a blank field)", reason: .badCause)
        }
        return result
    }

    /// `classify(_:ageInDays:)` on the field's bytes; nil for a malformed code.
    ///
    /// - Complexity: O(n) in the field's length; no allocation.
    public func classify(utf8 bytes: UnsafeBufferPointer<UInt8>, ageInDays: Int? = nil) -> (group: Int, reading: Reading)? {
        if let under28DaysGroup, let ageInDays, ageInDays >= 0, ageInDays < 28 { return (under28DaysGroup, .underAge) }
        switch Self.parseCode(bytes) {
        case .blank: return (restGroup, .blank)
        case .malformed: return nil
        case .code(let cell, let digit):
            var v = cells[cell]
            if v < 0 { v = refinements[Int(-1 - v) * 11 + (digit ?? 10)] }
            return (Int(v & ~Self.unlistedFlag), v & Self.unlistedFlag != 0 ? .unlisted : .listed)
        }
    }

    /// The group index of an identifier, or nil.
    public func index(of group: String) -> Int? { groups.firstIndex(of: group) }

    /// A running count of deaths per group, with the blank and unlisted codes the rest group holds.
    public struct Tally: Sendable, Equatable {
        /// Deaths per group, in `groups` order.
        public private(set) var counts: [Int]
        /// Deaths with a blank cause (in the rest group).
        public private(set) var blank = 0
        /// Deaths with a well-formed code no range lists (in the rest group).
        public private(set) var unlisted = 0

        /// An empty tally for `groups`.
        public init(_ groups: CauseGroups) {
            counts = [Int](repeating: 0, count: groups.groups.count)
        }

        /// Counts one classified death.
        public mutating func add(group: Int, reading: Reading) {
            counts[group] += 1
            if reading == .blank { blank += 1 }
            if reading == .unlisted { unlisted += 1 }
        }
    }

    // MARK: - Codes

    /// A parsed code field.
    enum ParsedCode: Equatable {
        case blank
        case malformed
        /// `letter × 100 + two digits`, and the fourth character when there is one.
        case code(cell: Int, digit: Int?)
    }

    /// Reads `I21.9`, `I219`, `i21 .9`, `C34`, `C34X`, `C34-`, `A17.0†`, `G01*`; spaces anywhere are ignored.
    static func parseCode(_ bytes: UnsafeBufferPointer<UInt8>) -> ParsedCode {
        var chars: (UInt8, UInt8, UInt8, UInt8, UInt8) = (0, 0, 0, 0, 0)
        var n = 0
        var i = 0
        var dot = false
        while i < bytes.count {
            let b = bytes[i]
            i += 1
            switch b {
            case 0x20, 0x09: continue  // spaces
            case 0x2A, 0x2B, 0x21: continue  // * + ! (asterisk, dagger as typed, ICD "!" marks)
            case 0xE2 where i + 1 < bytes.count && bytes[i] == 0x80 && bytes[i + 1] == 0xA0:  // † U+2020
                i += 2
                continue
            case 0x2E:
                guard n == 3, !dot else { return .malformed }
                dot = true
                continue
            default:
                guard n < 5 else { return .malformed }
                switch n {
                case 0: chars.0 = b
                case 1: chars.1 = b
                case 2: chars.2 = b
                case 3: chars.3 = b
                default: chars.4 = b
                }
                n += 1
            }
        }
        if n == 0 { return dot ? .malformed : .blank }
        let letter = chars.0 & ~0x20  // upper case
        guard n >= 3, letter >= 0x41, letter <= 0x5A, chars.1 &- 48 < 10, chars.2 &- 48 < 10 else { return .malformed }
        let cell = Int(letter - 0x41) * 100 + Int(chars.1 - 48) * 10 + Int(chars.2 - 48)
        guard n >= 4 else { return .code(cell: cell, digit: nil) }
        let fourth = chars.3
        if fourth &- 48 < 10 {
            // A fifth character (a digit) refines further; the groups do not need it.
            guard n == 4 || chars.4 &- 48 < 10 else { return .malformed }
            return .code(cell: cell, digit: Int(fourth - 48))
        }
        // `X` or `-` fill a code that has no fourth character.
        guard n == 4, fourth | 0x20 == 0x78 || fourth == 0x2D else { return .malformed }
        return .code(cell: cell, digit: nil)
    }

    /// A code range of the table: bounds with or without a fourth character.
    static func parseRange(_ text: String) -> (lower: (cell: Int, digit: Int?), upper: (cell: Int, digit: Int?))? {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 1 || parts.count == 2 else { return nil }
        func bound(_ s: Substring) -> (cell: Int, digit: Int?)? {
            let u = Array(s.utf8)
            guard !u.contains(0x2D) else { return nil }
            guard case .code(let cell, let digit) = u.withUnsafeBufferPointer(parseCode) else { return nil }
            return (cell, digit)
        }
        guard let lower = bound(parts[0]), let upper = bound(parts[parts.count - 1]) else { return nil }
        let from = lower.cell * 10 + (lower.digit ?? 0)
        let to = upper.cell * 10 + (upper.digit ?? 9)
        return from <= to ? (lower, upper) : nil
    }

    /// `I21` for a cell index.
    private static func name(cell: Int) -> String {
        let letter = Character(Unicode.Scalar(UInt8(0x41 + cell / 100)))
        let number = cell % 100
        return "\(letter)\(number < 10 ? "0" : "")\(number)"
    }
}

/// A cause-group table that cannot be used, with the file and line at fault.
public struct CauseGroupsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The table's file name.
    public var source: String
    /// The line of the row at fault (the header is line 1), when one is.
    public var line: Int?
    /// What is wrong and what to write instead.
    public var message: String

    /// One sentence: `file:line: message`.
    public var description: String {
        "\(source)\(line.map { ":\($0)" } ?? ""): \(message)"
    }
}
