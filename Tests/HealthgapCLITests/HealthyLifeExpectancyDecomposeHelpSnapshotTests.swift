import Foundation
import Testing
import _TestSupport

// The help of `hle` and `decompose` is part of the contract (flags, defaults, output columns):
// pinned by snapshots in Snapshots/, re-recorded with RECORD_SNAPSHOTS=1 after an intended
// change. The top-level help that lists them is pinned by HelpSnapshotTests.

@Suite struct HealthyLifeExpectancyDecomposeHelpSnapshotTests {
    @Test(arguments: ["hle", "decompose"])
    func helpTextIsPinned(command: String) throws {
        let result = try Healthgap.run([command, "--help"])
        #expect(result.status == 0)
        let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots").appendingPathComponent(command + ".help.txt")
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
            try result.stdout.write(to: snapshot, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(result.stdout == expected, "help for '\(command)' changed; re-record with RECORD_SNAPSHOTS=1 if intended")
    }
}
