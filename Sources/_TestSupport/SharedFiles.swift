/// Locates files in `../shared` (beside the project root) from a test file's `#filePath`.
public enum SharedFiles {
    /// The project root: three levels above a file in `Tests/<Target>/` or `Sources/<Target>/`.
    public static func projectRoot(filePath: String = #filePath) -> String {
        var components = filePath.split(separator: "/", omittingEmptySubsequences: false)
        components.removeLast(3)
        return components.joined(separator: "/")
    }

    /// The path of `relative` inside `../shared`.
    ///
    /// For example `path("data/imd2019/imd2019_lsoa11_ranks.csv.gz")`.
    public static func path(_ relative: String, filePath: String = #filePath) -> String {
        projectRoot(filePath: filePath) + "/../shared/" + relative
    }
}
