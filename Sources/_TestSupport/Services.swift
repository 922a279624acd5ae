// The external services some tests need, and why a test skips when one is missing. `.ci/run` starts
// them (scripts/slurm-cluster.sh, scripts/postgres-server.sh) and exports their environment; by hand:
//   eval "$(scripts/slurm-cluster.sh start)"; eval "$(scripts/postgres-server.sh start)"; make test
// Use: @Test(.enabled(if: Services.slurmAvailable, Comment(rawValue: Services.slurmReason)))
import Foundation

/// Which of the services that tests need are here, each with a reason to print when a test skips.
public enum Services {
    /// True when `SLURM_CONF` is set and `sinfo` answers for that cluster within 10 seconds.
    public static var slurmAvailable: Bool { slurm.reason == nil }

    /// Why Slurm tests skip, or a description of the cluster when they run.
    public static var slurmReason: String { slurm.reason ?? "Slurm cluster \(slurm.detail)" }

    /// `HEALTHGAP_TEST_POSTGRES_URL` (`postgres://user:password@127.0.0.1:PORT/healthgap_test`), or nil.
    public static var postgresURL: String? {
        let url = ProcessInfo.processInfo.environment["HEALTHGAP_TEST_POSTGRES_URL"] ?? ""
        return url.isEmpty ? nil : url
    }

    /// Why PostgreSQL tests skip, or the server's address when they run.
    public static var postgresReason: String {
        guard let url = postgresURL else {
            return "HEALTHGAP_TEST_POSTGRES_URL is not set: start a server with "
                + "`eval \"$(scripts/postgres-server.sh start)\"` (.ci/run does)"
        }
        let hidden = url.replacingOccurrences(
            of: #"://([^:@/]*):[^@/]*@"#, with: "://$1:***@", options: .regularExpression)
        return "PostgreSQL at \(hidden)"
    }

    /// The headless browser for the report tests: `$CHROMIUM`, or `chromium` (Debian's, installed by
    /// scripts/install-system-deps.sh), `chromium-browser` or `google-chrome` on `PATH`; nil when none.
    public static var chromiumPath: String? {
        if let chosen = ProcessInfo.processInfo.environment["CHROMIUM"], !chosen.isEmpty {
            return chosen.contains("/")
                ? (FileManager.default.isExecutableFile(atPath: chosen) ? chosen : nil)
                : executable(named: chosen)
        }
        return ["chromium", "chromium-browser", "google-chrome"].lazy.compactMap(executable(named:)).first
    }

    /// Why Chromium tests skip, or the browser's path when they run.
    public static var chromiumReason: String {
        if let path = chromiumPath { return "Chromium at \(path)" }
        if let chosen = ProcessInfo.processInfo.environment["CHROMIUM"], !chosen.isEmpty {
            return "CHROMIUM=\(chosen) is not an executable"
        }
        return "no chromium on PATH: scripts/install-system-deps.sh (run by make test) installs Debian's chromium"
    }

    /// A project script, e.g. `script("screenshot.sh")` for `scripts/screenshot.sh`.
    public static func script(_ name: String) -> URL {
        Fixtures.projectRoot.appendingPathComponent("scripts").appendingPathComponent(name)
    }

    /// The outcome of asking `sinfo` once per test process: nil reason when the cluster answered.
    private static let slurm: (reason: String?, detail: String) = {
        let environment = ProcessInfo.processInfo.environment
        guard let conf = environment["SLURM_CONF"], !conf.isEmpty else {
            return (
                "SLURM_CONF is not set: start a one-node cluster with "
                    + "`eval \"$(scripts/slurm-cluster.sh start)\"` (.ci/run does)", ""
            )
        }
        guard FileManager.default.fileExists(atPath: conf) else {
            return ("SLURM_CONF=\(conf) does not exist (a cluster stopped since?)", "")
        }
        guard let sinfo = executable(named: "sinfo") else {
            return ("SLURM_CONF is set but sinfo is not on PATH (scripts/slurm-cluster.sh installs slurm-wlm)", "")
        }
        guard let (status, output) = run(sinfo, ["-h", "-o", "%n %t"], timeout: 10) else {
            return ("sinfo did not answer within 10 s (SLURM_CONF=\(conf))", "")
        }
        let answer = output.trimmingCharacters(in: .whitespacesAndNewlines)
        guard status == 0, !answer.isEmpty else {
            return ("sinfo failed (exit \(status)) for SLURM_CONF=\(conf): \(answer.prefix(200))", "")
        }
        return (nil, "\(answer.replacingOccurrences(of: "\n", with: ", ")) (SLURM_CONF=\(conf))")
    }()

    /// The first executable called `name` in the directories of `PATH`.
    private static func executable(named name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Runs `tool` with `arguments`; its status and output (stdout and stderr), or nil after `timeout` seconds.
    private static func run(_ tool: String, _ arguments: [String], timeout: Double) -> (Int32, String)? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        let done = DispatchSemaphore(value: 0)
        process.terminationHandler = { _ in done.signal() }
        do { try process.run() } catch { return nil }
        if done.wait(timeout: .now() + timeout) == .timedOut {
            process.terminate()
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
