/// The sex written on one input record, read from the codes NHS and ONS files use.
///
/// Accepted, in any case and with surrounding spaces: `1`, `M`, `Male`, `Males`, `Man`, `Men`
/// (male); `2`, `F`, `Female`, `Females`, `Woman`, `Women` (female); `P`, `Person`, `Persons`,
/// `People`, `All`, `All persons`, `All people`, `Both`, `Both sexes`, `Total` (both sexes
/// together, as ONS totals rows are); blank, `9`, `0`, `X`, `U`, `I`, `Indeterminate`, `Unknown`,
/// `Unspecified`, `Not known`, `Not stated`, `Not specified`, `Not recorded` (set aside as
/// indeterminate: NHS Data Dictionary codes 9 = indeterminate, 0 or X = not known; ISO 5218
/// 0 = not known).
public enum SexCode: UInt8, Sendable, CaseIterable, CustomStringConvertible {
    /// Males (index 0, as the count cubes order sexes).
    case male = 0
    /// Females (index 1).
    case female = 1
    /// Both sexes together: a totals row, which must not be added to the male and female rows.
    case persons = 2

    /// `Male`, `Female` or `Persons`, as output tables write them.
    public var description: String {
        switch self {
        case .male: return "Male"
        case .female: return "Female"
        case .persons: return "Persons"
        }
    }

    /// What the parsers say the accepted codes are, for error messages and the docs.
    public static let accepted =
        "1, M, Male, Males; 2, F, Female, Females; P, Persons, All; "
        + "or 9, 0, X, U, Indeterminate, Unknown, Not known (set aside); any case"

    /// Reads one sex field.
    ///
    /// - Throws: `RecordFieldError` with reason `.indeterminateSex` for an indeterminate or
    ///   unknown code (a blank field included), `.badSex` for anything not listed above.
    /// - Complexity: O(n) in the field's length; no allocation for the usual one-character codes.
    public static func parse(_ text: some StringProtocol) throws(RecordFieldError) -> SexCode {
        let bytes = Array(text.utf8)
        if let code = bytes.withUnsafeBufferPointer({ parse(utf8: $0) }) {
            switch code {
            case .sex(let sex): return sex
            case .indeterminate:
                throw RecordFieldError(
                    field: "sex", value: String(text), expected: "male or female (this row is set aside as indeterminate)",
                    reason: .indeterminateSex)
            }
        }
        throw RecordFieldError(field: "sex", value: String(text), expected: accepted, reason: .badSex)
    }

    /// What a sex field holds once read.
    public enum Reading: Sendable, Equatable {
        /// A male, female or persons code.
        case sex(SexCode)
        /// A code for indeterminate, not known or not stated (the row is set aside).
        case indeterminate
    }

    /// Reads one sex field from its bytes; nil when it is not an accepted code (a blank field is indeterminate).
    ///
    /// - Complexity: O(n) in the field's length; allocates only for words longer than one character.
    @inline(__always)
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) -> Reading? {
        var start = 0
        var end = bytes.count
        while start < end, bytes[start] == 0x20 || bytes[start] == 0x09 { start += 1 }
        while end > start, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        if end - start == 1 {
            switch bytes[start] | 0x20 {  // ASCII lower case; digits are unchanged by the OR
            case 0x31, 0x6D: return .sex(.male)  // 1, m
            case 0x32, 0x66: return .sex(.female)  // 2, f
            case 0x70: return .sex(.persons)  // p
            case 0x39, 0x30, 0x78, 0x75, 0x69: return .indeterminate  // 9, 0, x, u, i
            default: return nil
            }
        }
        if start == end { return .indeterminate }
        let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<end]), as: UTF8.self).lowercased()
        return words[word]
    }

    /// The accepted words (lower case) and what they mean.
    private static let words: [String: Reading] = [
        "male": .sex(.male), "males": .sex(.male), "man": .sex(.male), "men": .sex(.male),
        "female": .sex(.female), "females": .sex(.female), "woman": .sex(.female), "women": .sex(.female),
        "person": .sex(.persons), "persons": .sex(.persons), "people": .sex(.persons), "all": .sex(.persons),
        "all persons": .sex(.persons), "all people": .sex(.persons), "both": .sex(.persons),
        "both sexes": .sex(.persons), "total": .sex(.persons),
        "indeterminate": .indeterminate, "unknown": .indeterminate, "not known": .indeterminate,
        "not stated": .indeterminate, "not specified": .indeterminate, "unspecified": .indeterminate,
        "not recorded": .indeterminate,
    ]
}
