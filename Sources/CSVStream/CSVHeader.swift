/// The column names of a CSV file, with lookup by name that ignores case and whitespace.
///
/// Names are stored as read, with a leading byte-order mark removed and surrounding whitespace
/// (including line breaks inside a quoted name) trimmed. Lookups compare normalised names
/// (see ``normalise(_:)``), so `Age Band`, `ageband` and `AGE BAND` are the same column.
public struct CSVHeader: Sendable, Equatable {
    /// The column names, in file order.
    public let names: [String]
    /// The file the header was read from (used in error messages).
    public let file: String
    /// `names`, normalised.
    private let keys: [String]

    /// Creates a header from column names; `file` names the source in error messages.
    public init(names: [String], file: String = "<memory>") {
        self.names = names
        self.file = file
        self.keys = names.map(Self.normalise)
    }

    /// The number of columns.
    public var count: Int { names.count }

    /// The name of the column at `index` (from 0), or nil when out of range.
    public func name(at index: Int) -> String? {
        names.indices.contains(index) ? names[index] : nil
    }

    /// Lower-cases `name` and removes all whitespace, the key under which columns are matched.
    ///
    /// - Complexity: O(*n*) in the length of `name`.
    public static func normalise(_ name: String) -> String {
        String(String.UnicodeScalarView(name.lowercased().unicodeScalars.filter { !$0.properties.isWhitespace }))
    }

    /// The index (from 0) of the first column matching `name`, or else the first matching an alias.
    ///
    /// - Complexity: O(*c* · *a*) for *c* columns and *a* aliases.
    public func index(of name: String, aliases: [String] = []) -> Int? {
        for candidate in [name] + aliases {
            if let i = keys.firstIndex(of: Self.normalise(candidate)) { return i }
        }
        return nil
    }

    /// The index (from 0) of the column matching `name` or, failing that, one of `aliases`.
    ///
    /// The first of `name`, `aliases[0]`, `aliases[1]`, … that matches any column decides.
    /// - Throws: ``CSVError/missingColumn(file:column:available:)`` when nothing matches, listing
    ///   the columns there are; ``CSVError/duplicateColumn(file:column:matches:)`` when the deciding
    ///   name matches more than one column.
    /// - Complexity: O(*c* · *a*) for *c* columns and *a* aliases.
    public func requireIndex(of name: String, aliases: [String] = []) throws(CSVError) -> Int {
        for candidate in [name] + aliases {
            let key = Self.normalise(candidate)
            let hits = keys.indices.filter { keys[$0] == key }
            if hits.count > 1 {
                throw CSVError.duplicateColumn(file: file, column: candidate, matches: hits.map { names[$0] })
            }
            if let hit = hits.first { return hit }
        }
        throw CSVError.missingColumn(file: file, column: name, available: names)
    }
}
