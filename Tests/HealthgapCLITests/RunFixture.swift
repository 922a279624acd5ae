import Foundation
import _TestSupport

/// Inputs for the `healthgap run` tests: synthetic Cheshire and Merseyside counts for 2017–2021
/// (made once per test process with the built `healthgap synth`) and a small plan on them.
enum RunFixture {
    static let folder: URL = {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("healthgap-run-\(UUID().uuidString)")
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: RunFixture.folder) }  // generated files go with the process
        return dir
    }()

    /// The counts file.
    static let counts: String = {
        let path = folder.appendingPathComponent("counts.csv").path
        let areas = "E06000049,E06000050,E06000006,E08000011,E08000012,E08000014,E08000013,E06000007,E08000015"
        let result = try? Healthgap.run(["synth", "--areas", areas, "--years", "2017-2021", "--seed", "3", "--output", path])
        precondition(result?.status == 0, "synth failed: \(result?.stderr ?? "")")
        return path
    }()

    /// The plan's text: the ICB and two Places, three periods, life expectancy and the under-75 DSR.
    static let planText = """
        # A small plan for the runner's command-line tests.
        name: CLI test plan
        inputs:
          counts:
            file: counts.csv
        geographies:
          - icb: E54000008
          - place: [E08000011, E08000012]
        periods:
          - {rolling: 3, from: 2017, to: 2021}
        seed: 7
        repetitions: 1000
        indicators:
          - id: le_birth
            method: life_expectancy
            numerator: deaths
            denominator: population
            deprivation: [local_deciles, national_deciles, core20]
            inequality: [sii, rii, absolute_range]
          - id: u75
            method: dsr
            numerator: deaths
            denominator: population
            ages: 0-74
            sexes: [Male, Female, Persons]
            deprivation: [local_deciles, national_quintiles, core20]
            inequality: [sii, rii, absolute_range, relative_range]

        """

    /// The plan file, beside the counts (its input path is relative).
    static let plan: String = {
        _ = counts
        let path = folder.appendingPathComponent("plan.yaml").path
        _ = FileManager.default.createFile(atPath: path, contents: Data(planText.utf8))
        return path
    }()

    /// Every file under `directory` (following the output link), by relative path.
    static func files(_ directory: String) throws -> [String: Data] {
        let root = URL(fileURLWithPath: directory).resolvingSymlinksInPath()
        var out: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(atPath: root.path)
        while let name = enumerator?.nextObject() as? String {
            var isDirectory: ObjCBool = false
            let path = root.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), !isDirectory.boolValue {
                out[name] = FileManager.default.contents(atPath: path)
            }
        }
        return out
    }

    /// The CSV files of an output (everything but the manifest, which records timings and threads).
    static func tables(_ directory: String) throws -> [String: Data] {
        try files(directory).filter { $0.key.hasSuffix(".csv") }
    }
}
