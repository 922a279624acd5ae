import Foundation

/// The project's `Data/` folder: the IMD files (`imd2019/`) and geography lookups (`lookups/`).
///
/// The binary must find them from any working directory. `locate(explicit:executable:)` tries, in
/// order: a folder the caller names (the CLI passes `--data-dir` or `HEALTHGAP_DATA`); `Data/` in
/// the folder of the executable or any folder above it (a build in `.build/release/` of a checkout,
/// or an install that puts `Data/` beside `bin/`); and the `Data/` of the checkout this file was
/// compiled from. A folder counts only if it holds the IMD 2019 ranks file.
public struct DataDirectory: Sendable, Equatable {
    /// The folder's absolute path.
    public let path: String

    /// A data directory at `path` (not checked).
    public init(path: String) {
        self.path = path
    }

    /// The path of `relative` inside the folder, e.g. `lookups/lsoa11_ward19.csv.gz`.
    public func file(_ relative: String) -> String {
        path.hasSuffix("/") ? path + relative : path + "/" + relative
    }

    /// The file whose presence marks a data directory.
    static let marker = "imd2019/imd2019_lsoa11_ranks.csv.gz"

    /// Finds the data directory (see the type's documentation for the search order).
    ///
    /// - Throws: `InputError.usage` when an explicit folder lacks the data, or nothing is found.
    /// - Complexity: O(depth of the executable's path) file-existence checks.
    public static func locate(explicit: String? = nil, executable: String? = nil) throws(InputError) -> DataDirectory {
        let files = FileManager.default
        func holdsData(_ folder: String) -> Bool {
            files.fileExists(atPath: DataDirectory(path: folder).file(marker))
        }
        if let explicit {
            guard holdsData(explicit) else {
                throw .usage("data directory \(explicit) has no \(marker)")
            }
            return DataDirectory(path: explicit)
        }
        var tried: [String] = []
        if let executable {
            var folder = URL(fileURLWithPath: executable).resolvingSymlinksInPath().deletingLastPathComponent()
            while folder.path.count > 1 {
                let candidate = folder.appendingPathComponent("Data").path
                if holdsData(candidate) { return DataDirectory(path: candidate) }
                tried.append(candidate)
                folder = folder.deletingLastPathComponent()
            }
        }
        // This file is Sources/Areas/DataDirectory.swift in the checkout.
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Data").path
        if holdsData(source) { return DataDirectory(path: source) }
        tried.append(source)
        throw .usage(
            "cannot find the data directory (looked for \(marker) in \(tried.joined(separator: ", "))); "
                + "pass --data-dir or set HEALTHGAP_DATA")
    }
}
