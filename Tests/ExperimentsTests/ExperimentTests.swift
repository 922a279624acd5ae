import Areas
import Foundation
import Runner
import Testing
import _TestSupport

@testable import Experiments

/// Experiments end to end on the real lookups: coverage, bias, determinism across threads and
/// shards, merge refusals and the checker's line and column.
@Suite struct ExperimentTests {
    static let data = IngestFixtures.data

    /// Parses and resolves experiment text (the lookups are loaded once per process).
    static func design(_ text: String, path: String = "test.yaml") throws -> ExperimentDesign {
        let (experiment, issues) = ExperimentParser.parse(text: text, path: path)
        #expect(issues.isEmpty, "\(issues)")
        return try ExperimentDesign.resolve(
            try #require(experiment), geography: IngestFixtures.geography, deprivation: IngestFixtures.deprivation, data: data)
    }

    /// A small experiment with every kind of variant, quick in a debug build.
    static let small = """
        name: small
        truth:
          areas: E06000006
          years: 2019-2020
        replicates: 12
        seed: 7
        confidence: [95, 99.8]
        variants:
          - id: le
            method: life_expectancy
            at_ages: [0, 65]
          - id: sii_direct
            method: sii
            deprivation: local_quintiles
            repetitions: 1000
          - id: sii_literal
            method: sii
            sexes: [Female]
            deprivation: local_quintiles
            simulation: literal
            repetitions: 1000
          - id: sii_dsr_log
            method: sii
            of: dsr
            transform: true
            sexes: [Male]
            deprivation: local_quintiles
            repetitions: 1000
          - id: dsr_u75
            method: dsr
            ages: 0-74
            deprivation: local_quintiles
        """

    @Test func lifeExpectancyCoverageOnALargePopulationIsNominal() throws {
        // Cheshire and Merseyside, three years: about 8 million person-years per sex.
        let text = """
            name: coverage
            truth:
              areas: E54000008
              years: 2018-2020
            replicates: 300
            seed: 11
            variants:
              - id: le
                method: life_expectancy
                at_ages: [0]
            """
        let design = try Self.design(text)
        let results = ExperimentRunner.compute(design, sha256: "x", range: 0..<300, threads: 2)
        for row in results.summarise() {
            #expect(row.failures == 0)
            // Binomial Monte Carlo error of a coverage estimated from 300 replicates: 4 SE bands.
            let se = (0.95 * 0.05 / 300).squareRoot()
            #expect(abs(row.coverage[0] - 0.95) < 4 * se, "\(row.target.name): coverage \(row.coverage[0])")
            #expect(abs(row.bias) < 4 * row.rmse / 300.squareRoot() + 0.01, "\(row.target.name): bias \(row.bias)")
        }
    }

    @Test func wronglyWeightedSIIShowsItsBias() throws {
        // Liverpool's national deciles are far from equal in population: equal weights move the ridits.
        let text = """
            name: weights
            truth:
              areas: E08000012
              years: 2018-2020
            replicates: 100
            seed: 3
            variants:
              - id: right
                method: sii
                sexes: [Male]
                deprivation: national_quintiles
                repetitions: 1000
              - id: wrong
                method: sii
                sexes: [Male]
                deprivation: national_quintiles
                weights: equal
                repetitions: 1000
            """
        let design = try Self.design(text)
        let rows = ExperimentRunner.compute(design, sha256: "x", range: 0..<100, threads: 2).summarise()
        let right = try #require(rows.first { $0.target.variant == "right" })
        let wrong = try #require(rows.first { $0.target.variant == "wrong" })
        let error = { (row: TargetSummary) in (row.rmse * row.rmse - row.bias * row.bias).squareRoot() / 100.squareRoot() }
        #expect(abs(right.bias) < 4 * error(right), "right: bias \(right.bias)")
        #expect(abs(wrong.bias) > 5 * error(wrong), "wrong: bias \(wrong.bias)")
        #expect(wrong.coverage[0] < right.coverage[0])
    }

    @Test func threadsDoNotChangeTheBytes() throws {
        let design = try Self.design(Self.small)
        let one = ExperimentRunner.files(ExperimentRunner.compute(design, sha256: "x", range: 0..<12, threads: 1))
        let two = ExperimentRunner.files(ExperimentRunner.compute(design, sha256: "x", range: 0..<12, threads: 2))
        for (a, b) in zip(one, two) { #expect(a.bytes == b.bytes, "\(a.name)") }
        let csv = String(decoding: one[0].bytes, as: UTF8.self)
        #expect(
            csv.hasPrefix(
                "variant,target,replicates,truth,bias,relative_bias,rmse,coverage95,coverage95_lower,coverage95_upper,mean_width95,failures,coverage99_8,coverage99_8_lower,coverage99_8_upper,mean_width99_8\n"
            ))
        #expect(csv.contains("le,male/le65,12,"))
        #expect(csv.contains("sii_literal,female/sii_le0,12,"))
        #expect(csv.contains("sii_dsr_log,male/sii_dsr,12,"))
        #expect(csv.contains("dsr_u75,female/quintile5/dsr,12,"))
        let html = String(decoding: one[1].bytes, as: UTF8.self)
        #expect(html.contains("role=\"img\"") && html.contains("<title id=\"t0\">") && html.contains("<desc id=\"d0\">"))
        #expect(html.contains("<details>"))
    }

    @Test func threeShardsMergedGiveTheBytesOfOneRun() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/small.yaml"
        try Self.small.write(toFile: file, atomically: true, encoding: .utf8)

        var whole = ExperimentRequest(experiment: file, data: Self.data, output: folder + "/whole")
        whole.threads = 2
        _ = try ExperimentRunner.run(whole)
        for k in 1...3 {
            var request = ExperimentRequest(experiment: file, data: Self.data, output: folder + "/shards")
            request.shard = (k, 3)
            _ = try ExperimentRunner.run(request)
        }
        _ = try ExperimentRunner.merge([folder + "/shards"], output: folder + "/merged")
        for name in ["experiment.csv", "experiment.html", "replicates.csv"] {
            let a = FileManager.default.contents(atPath: folder + "/whole/" + name)
            let b = FileManager.default.contents(atPath: folder + "/merged/" + name)
            #expect(a != nil && a == b, "\(name)")
        }

        // Refusals: each leaves the published output as it was.
        let before = FileManager.default.contents(atPath: folder + "/merged/experiment.csv")
        func refused(_ paths: [String], _ fragment: String) {
            #expect(throws: ExperimentError.self) { try ExperimentRunner.merge(paths, output: folder + "/merged") }
            do {
                _ = try ExperimentRunner.merge(paths, output: folder + "/merged")
            } catch {
                #expect("\(error)".contains(fragment), "\(error)")
            }
            #expect(FileManager.default.contents(atPath: folder + "/merged/experiment.csv") == before)
        }
        let shard = { (k: Int) in folder + "/shards/shard-\(k)-of-3.csv" }
        refused([shard(1), shard(3)], "shard 2 of 3 is missing")
        refused([shard(1), shard(2), shard(3), shard(2)], "shard 2 of 3 is given more than once")
        // Another seed: the same experiment file but for its seed.
        let other = folder + "/other.yaml"
        try Self.small.replacingOccurrences(of: "seed: 7", with: "seed: 8").write(
            toFile: other, atomically: true, encoding: .utf8)
        var otherRequest = ExperimentRequest(experiment: other, data: Self.data, output: folder + "/other")
        otherRequest.shard = (2, 3)
        _ = try ExperimentRunner.run(otherRequest)
        refused([shard(1), folder + "/other/shard-2-of-3.csv", shard(3)], "another experiment file")
        // A half-written shard: cut before its end line.
        let text = try String(contentsOfFile: shard(2), encoding: .utf8)
        let cut = folder + "/cut/shard-2-of-3.csv"
        try FileManager.default.createDirectory(atPath: folder + "/cut", withIntermediateDirectories: true)
        try String(text.prefix(text.count / 2)).write(toFile: cut, atomically: true, encoding: .utf8)
        refused([shard(1), cut, shard(3)], "is incomplete")
    }

    @Test func checkReportsEveryMistakeWithLineAndColumn() throws {
        let text = """
            name: broken
            truth:
              areas: E06000006
              yeras: 2019
            replicates: many
            variants:
              - id: le
                method: life_expectancy
                transform: true
              - id: s
                method: slope
              - id: s2
                method: sii
                of: life_expectancy
                transform: true
                deprivation: local_decile
            """
        let (_, issues) = ExperimentParser.parse(text: text, path: "broken.yaml")
        let lines = issues.map(\.description)
        #expect(lines.first?.hasPrefix("broken.yaml:4:3: error: truth: unknown key 'yeras' (known keys: areas, years") == true)
        #expect(lines.contains { $0.hasPrefix("broken.yaml:5:13: error: replicates: 'many' is not a whole number") })
        #expect(
            lines.contains {
                $0.hasPrefix("broken.yaml:9:5: error: variant 'le': transform does not apply to method life_expectancy")
            })
        #expect(lines.contains { $0.hasPrefix("broken.yaml:11:13: error: variant 's': method 'slope' is not one of") })
        #expect(lines[4].hasPrefix("broken.yaml:15:16: error: variant 's2': transform applies to rates"))
        #expect(
            lines.contains {
                $0.hasPrefix("broken.yaml:16:18: error: variant 's2': deprivation 'local_decile'")
                    && $0.contains("did you mean 'local_deciles'")
            })
        #expect(issues.count == 6, "\(lines.joined(separator: "\n"))")

        // Mistakes only the lookups can find, also with their place.
        let unknown = """
            name: unknown
            truth:
              areas: [E06000006, E99999999]
            replicates: 2
            variants:
              - id: le
                method: life_expectancy
            """
        let (experiment, parseIssues) = ExperimentParser.parse(text: unknown, path: "u.yaml")
        #expect(parseIssues.isEmpty)
        #expect(throws: ExperimentError.self) {
            _ = try ExperimentDesign.resolve(
                try #require(experiment), geography: IngestFixtures.geography, deprivation: IngestFixtures.deprivation,
                data: Self.data)
        }
        do {
            _ = try ExperimentDesign.resolve(
                try #require(experiment), geography: IngestFixtures.geography, deprivation: IngestFixtures.deprivation,
                data: Self.data)
        } catch {
            #expect("\(error)".hasPrefix("u.yaml:3:22: error: truth.areas: 'E99999999' is not"), "\(error)")
        }
    }

    @Test func theCommandChecksAndRefusesWithExit78() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("experiment-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        let file = folder + "/bad.yaml"
        try "name: bad\ntruth: {areas: E06000006}\nreplicates: 2\nvariants:\n  - {id: s, method: sii}\n".write(
            toFile: file, atomically: true, encoding: .utf8)
        let check = try Healthgap.run(["experiment", "check", file])
        #expect(check.status == 78)
        #expect(check.stderr.contains("bad.yaml:5:5: error: variant 's': the SII needs deprivation"), "\(check.stderr)")
        let run = try Healthgap.run(["experiment", file, "--output", folder + "/out"])
        #expect(run.status == 78)
        #expect(!FileManager.default.fileExists(atPath: folder + "/out"))
        let good = try Healthgap.run(["experiment", "check", "Data/experiments/le-bias-small-populations.yaml"])
        #expect(good.status == 0, "\(good.stderr)")
        #expect(good.stdout.contains(": ok: "))
    }
}
