import CSVStream
import Foundation
import Testing
import _TestSupport

/// The IMD 2025 folder: copies byte-identical to `../shared`, hashes as
/// the README states them, and the counts the README and the docs quote.
@Suite struct DataFilesTests {
    static let data = Fixtures.projectRoot.appendingPathComponent("Data")
    static let imd2025Files = [
        "imd2025_lsoa21_ranks.csv.gz", "lsoa21_ward_lad.csv.gz", "lad24_region_icb.csv", "lsoa11_lsoa21.csv.gz",
    ]

    static func path(_ relative: String) -> String { data.appendingPathComponent(relative).path }

    @Test(arguments: imd2025Files)
    func theIMD2025CopyIsByteIdenticalToShared(file: String) throws {
        let ours = try Data(contentsOf: URL(fileURLWithPath: Self.path("imd2025/" + file)))
        let shared = try Data(contentsOf: URL(fileURLWithPath: Fixtures.sharedPath("data/imd2025/" + file)))
        #expect(ours == shared, "Data/imd2025/\(file) differs from ../shared/data/imd2025/\(file)")
    }

    @Test func theReadmeStatesEachFilesSHA256() throws {
        let readme = try String(contentsOfFile: Self.path("imd2025/README.md"), encoding: .utf8)
        for file in Self.imd2025Files {
            let line = try #require(readme.split(separator: "\n").first { $0.hasPrefix("| `\(file)`") })
            let stated = try #require(line.split(separator: "`").dropLast().last.map(String.init))
            #expect(try sha256(Self.path("imd2025/" + file)) == stated, "README hash of \(file)")
        }
    }

    @Test func englandHas33755LSOAsAndCheshireAndMerseysideItsPlaces() throws {
        let (header, rows) = try CSVReader.readAll(path: Self.path("imd2025/imd2025_lsoa21_ranks.csv.gz"))
        #expect(rows.count == 33_755)
        let lad = try #require(header.firstIndex(of: "lad24_code"))
        let decile = try #require(header.firstIndex(of: "imd_decile"))
        let (lHeader, lRows) = try CSVReader.readAll(path: Self.path("imd2025/lad24_region_icb.csv"))
        let icb = try #require(lHeader.firstIndex(of: "icb24_code"))
        let places = Set(lRows.filter { $0[icb] == "E54000008" }.map { $0[0] })
        #expect(places.count == 9)
        var lsoas: [String: Int] = [:], core20: [String: Int] = [:]
        for row in rows where places.contains(row[lad]) {
            lsoas[row[lad], default: 0] += 1
            if let d = Int(row[decile]), d <= 2 { core20[row[lad], default: 0] += 1 }
        }
        let expected: [String: (Int, Int)] = [
            "E06000049": (244, 21), "E06000050": (222, 36), "E06000006": (80, 36), "E08000011": (100, 54),
            "E08000012": (302, 162), "E08000014": (191, 52), "E08000013": (121, 44), "E06000007": (132, 21),
            "E08000015": (209, 68),
        ]
        for (code, (n, c)) in expected {
            #expect(lsoas[code] == n && core20[code] == c, "\(code): \(lsoas[code] ?? 0) LSOAs, \(core20[code] ?? 0) Core20")
        }
        #expect(lsoas.values.reduce(0, +) == 1_601 && core20.values.reduce(0, +) == 494)
    }

    /// The hex SHA-256 of a file, by coreutils (independent of the project's own hashing).
    private func sha256(_ path: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: output, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}
