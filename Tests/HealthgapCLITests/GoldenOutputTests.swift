import Foundation
import Testing
import _TestSupport

// The golden outputs: the demo plan and a small England-shaped plan, run by the built binary with
// 1 and 2 threads, must give the same bytes as the recorded SHA-256s in `Golden/hashes.txt`:
// `results.csv`, every area table, and the manifest with its timings, paths and thread count
// taken out. They were recorded before the results became typed records (issue 8) and pin that
// reshaping, and every later change, to "behaviour does not change".
// `RECORD_GOLDEN=1 swift test --filter GoldenOutputTests` records them anew.

/// The synthetic inputs and plans of the golden runs, made once per test process.
enum GoldenFixture {
    static let folder: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-golden-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: GoldenFixture.folder) }  // generated files go with the process
        return dir
    }()

    /// Cheshire and Merseyside counts, 2013–2022, as the demo makes them.
    static let demoCounts: String = synth(
        "cm-counts.csv",
        areas: "E06000049,E06000050,E06000006,E08000011,E08000012,E08000014,E08000013,E06000007,E08000015",
        years: "2013-2022", seed: "1")

    /// Counts for the North East and a few North West authorities, 2016–2021.
    static let englandCounts: String = synth(
        "england-counts.csv",
        areas: "E06000001,E06000002,E06000003,E06000004,E06000005,E06000047,E08000021,E08000022,E08000023,"
            + "E08000024,E08000037,E06000057,E08000001,E08000002",
        years: "2016-2021", seed: "5")

    static func synth(_ name: String, areas: String, years: String, seed: String) -> String {
        let path = folder.appendingPathComponent(name).path
        let result = try? Healthgap.run(["synth", "--areas", areas, "--years", years, "--seed", seed, "--output", path])
        precondition(result?.status == 0, "synth failed: \(result?.stderr ?? "")")
        return path
    }

    /// A small England-shaped plan: England, two regions, local authorities, every method; each
    /// local authority compared with its region by every comparison rule and every polarity.
    static let englandPlan: String = {
        _ = englandCounts
        let text = """
            name: England-shaped golden plan
            inputs:
              counts:
                file: england-counts.csv
            lookups:
              imd: imd2019
            geographies:
              - england
              - region: [E12000001, E12000002]
              - las: E12000001
            periods:
              - 2021
              - {rolling: 3, from: 2016, to: 2021}
            seed: 11
            repetitions: 1000
            confidence: [95, 99.8]
            benchmarks: [region]
            comparison: ci95_99_8
            indicators:
              - id: le_birth
                name: Life expectancy at birth
                method: life_expectancy
                numerator: deaths
                denominator: population
                deprivation: [local_deciles, national_deciles, national_quintiles, core20]
                inequality: [sii, rii, absolute_range]
                polarity: high_is_good
              - id: le_65
                method: life_expectancy
                numerator: deaths
                denominator: population
                at_age: 65
                sexes: [Female]
                deprivation: [national_quintiles]
                inequality: [sii]
                polarity: high_is_good
                goal: {baseline: 2020, target: {value: 1.5}, by: 2023}
              - id: u75
                method: dsr
                numerator: deaths
                denominator: population
                ages: 0-74
                sexes: [Male, Female, Persons]
                deprivation: [local_deciles, national_quintiles, core20]
                inequality: [sii, rii, absolute_range, relative_range]
                polarity: low_is_good
                comparison: control_limits
              - id: crude_all
                method: crude_rate
                numerator: deaths
                denominator: population
                sexes: [Persons]
                deprivation: [national_deciles]
                inequality: [sii, rii, absolute_range, relative_range]
                sii_transform: false
                polarity: neutral
                comparison: overlap
              - id: isr_all
                method: isr
                numerator: deaths
                denominator: population
                reference: all
                sexes: [Persons]
                deprivation: [national_quintiles]
                polarity: not_applicable

            """
        let path = folder.appendingPathComponent("england-plan.yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        return path
    }()

    /// The SHA-256 of every published file of a run, the manifest normalised.
    static func digests(of output: String) throws -> [String: String] {
        var out: [String: String] = [:]
        for (name, data) in try RunFixture.files(output) where !name.hasPrefix("report/") && name != "plan.yaml" {
            let bytes = name == "manifest.json" ? Data(normalisedManifest(data).utf8) : data
            out[name] = sha256Hex(bytes)
        }
        return out
    }

    /// The manifest without what legitimately differs between runs: timestamps, timings, threads, paths
    /// and the size and hash of report pages (which show the input paths).
    static func normalisedManifest(_ data: Data) -> String {
        let text = String(decoding: data, as: UTF8.self)
        var lines: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if ["\"run\":", "\"threads\":", "\"started_at\":", "\"finished_at\":", "\"timings_seconds\":"].contains(
                where: { trimmed.hasPrefix($0) })
            {
                continue
            }
            var kept = String(line)
            kept = kept.replacingOccurrences(of: #""path": "[^"]*""#, with: #""path": """#, options: .regularExpression)
            // The report's methods page names the inputs by their (temporary) paths; its own tests pin it.
            if kept.contains(#""file": "report/"#) {
                kept = kept.replacingOccurrences(
                    of: #""bytes": [0-9]+, "sha256": "[0-9a-f]+""#, with: #""bytes": _, "sha256": _"#,
                    options: .regularExpression)
            }
            kept = kept.replacingOccurrences(
                of: #""parallel_read": (true|false)"#, with: #""parallel_read": _"#, options: .regularExpression)
            lines.append(kept)
        }
        return lines.joined(separator: "\n")
    }

    /// Lowercase hex SHA-256, by `sha256sum` (the test support target has no crypto dependency).
    static func sha256Hex(_ data: Data) -> String {
        let file = folder.appendingPathComponent("digest-\(UUID().uuidString)")
        FileManager.default.createFile(atPath: file.path, contents: data)
        defer { try? FileManager.default.removeItem(at: file) }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["sha256sum", file.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        try? process.run()
        let out = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(String(decoding: out, as: UTF8.self).prefix(64))
    }

    /// The recorded digests: `case file sha256` per line.
    static let hashesFile = Fixtures.projectRoot.appendingPathComponent("Tests/HealthgapCLITests/Golden/hashes.txt")
}

@Suite(.serialized) struct GoldenOutputTests {
    /// The golden runs: (case name, arguments before `--output`).
    static let cases: [(name: String, arguments: [String])] = [
        (
            "demo",
            [
                "run", "Data/plans/cheshire-and-merseyside.yaml", "--input", "counts=\(GoldenFixture.demoCounts)",
                "--repetitions", "1000",
            ]
        ),
        ("england", ["run", GoldenFixture.englandPlan]),
    ]

    @Test func runsGiveTheRecordedBytesWithOneAndTwoThreads() throws {
        var observed: [String] = []
        for (name, arguments) in Self.cases {
            var perThreads: [[String: String]] = []
            for threads in [1, 2] {
                let output = GoldenFixture.folder.appendingPathComponent("\(name)-\(threads)").path
                let result = try Healthgap.run(arguments + ["--threads", "\(threads)", "--output", output, "--quiet"])
                #expect(result.status == 0, "\(name) with \(threads) threads: \(result.stderr)")
                perThreads.append(try GoldenFixture.digests(of: output))
            }
            #expect(perThreads[0] == perThreads[1], "\(name): 1 and 2 threads differ")
            for (file, digest) in perThreads[0].sorted(by: { $0.key < $1.key }) {
                observed.append("\(name) \(file) \(digest)")
            }
        }
        let text = observed.joined(separator: "\n") + "\n"
        if ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(
                at: GoldenFixture.hashesFile.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data(text.utf8).write(to: GoldenFixture.hashesFile)
            return
        }
        let recorded = try String(contentsOf: GoldenFixture.hashesFile, encoding: .utf8)
        let want = Set(recorded.split(separator: "\n").map(String.init))
        let got = Set(observed)
        #expect(want.subtracting(got).isEmpty, "missing or changed: \(want.subtracting(got).sorted())")
        #expect(got.subtracting(want).isEmpty, "new or changed: \(got.subtracting(want).sorted())")
    }
}
