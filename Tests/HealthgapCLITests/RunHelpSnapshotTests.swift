import Foundation
import Testing
import _TestSupport

// The help of `run` and `plan` is part of the contract (flags, defaults, exit codes): pinned by
// snapshots in Snapshots/, re-recorded with RECORD_SNAPSHOTS=1 after an intended change.

@Suite struct RunHelpSnapshotTests {
    @Test(arguments: [["run"], ["plan"], ["plan", "check"], ["plan", "explain"]])
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
