import Foundation
import Testing
import _TestSupport

// The help texts are part of the contract users' scripts and training rely on: each is pinned
// by a snapshot in Snapshots/. Re-record after an intended change with RECORD_SNAPSHOTS=1.

@Suite struct HelpSnapshotTests {
    static let commands = [
        "", "le", "dsr", "isr", "rate", "proportion", "mean", "sii", "quantiles", "synth", "aggregate", "run", "plan",
        "plan check", "plan explain",
    ]

    @Test(arguments: commands)
    func helpTextIsPinned(command: String) throws {
        let words = command.split(separator: " ").map(String.init)
        let arguments = words + ["--help"]
        let result = try Healthgap.run(arguments)
        #expect(result.status == 0)
        let name = (command.isEmpty ? "healthgap" : words.joined(separator: "-")) + ".help.txt"
        let snapshot = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Snapshots").appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
            try result.stdout.write(to: snapshot, atomically: true, encoding: .utf8)
            return
        }
        let expected = try String(contentsOf: snapshot, encoding: .utf8)
        #expect(result.stdout == expected, "help for '\(command)' changed; re-record with RECORD_SNAPSHOTS=1 if intended")
    }

}
