import Areas
import Foundation

/// The real lookups and IMD 2019 as shipped in `Data/`, loaded once per test process.
public enum IngestFixtures {
    /// The data directory of the checkout.
    public static let data = DataDirectory(path: Fixtures.projectRoot.appendingPathComponent("Data").path)
    /// The geography lookups as shipped.
    public static let geography: Geography = try! Geography.load(data: data)
    /// IMD 2019, joined to the geography.
    public static let deprivation: Deprivation = try! Deprivation.load("imd2019", data: data, geography: geography)
    /// The nine Cheshire and Merseyside districts (IMD README).
    public static let cheshireAndMerseyside = [
        "E06000049", "E06000050", "E06000006", "E08000011", "E08000012", "E08000014", "E08000013", "E06000007",
        "E08000015",
    ]

    /// METHODS.md §7 written out again, independently of `DeprivationQuantiles`: an LSOA whose
    /// rank within its N is i (1 + the number with a lower IMD rank, so ties share the smallest)
    /// gets ⌊(Q + 1) − ⌈((N + 1) − i)/(N/Q)⌉⌋, at least 1.
    public static func section7(position i: Int, of n: Int, quantiles q: Int) -> Int {
        let raw = (Double(q + 1) - (Double(n + 1 - i) / (Double(n) / Double(q))).rounded(.up)).rounded(.down)
        return max(1, Int(raw))
    }
}
