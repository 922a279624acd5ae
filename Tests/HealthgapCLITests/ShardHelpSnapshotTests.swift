import Foundation
import Testing
import _TestSupport

// The help of `merge` and `slurm` (flags, defaults, exit codes) is pinned like the others' by
// snapshots in Snapshots/, re-recorded with RECORD_SNAPSHOTS=1 after an intended change.

@Suite struct ShardHelpSnapshotTests {
    @Test(arguments: [["merge"], ["slurm"], ["slurm", "generate"], ["slurm", "status"], ["slurm", "resubmit"]])
    func helpTextIsPinned(command: [String]) throws {
        let result = try Healthgap.run(command + ["--help"])
        #expect(result.status == 0)
        let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots").appendingPathComponent(command.joined(separator: "-") + ".help.txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
            try result.stdout.write(to: snapshot, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(
            result.stdout == expected,
            "help for '\(command.joined(separator: " "))' changed; re-record with RECORD_SNAPSHOTS=1 if intended")
    }
}
