import Foundation
import Testing
import _TestSupport

// README.md's module graph is drawn from Package.swift: `scripts/module-graph.sh` prints the
// targets and their dependencies, and the block between the `module-graph` markers must equal it.

@Suite struct ModuleGraphTests {
    @Test func theReadmeGraphIsTheOnePackageSwiftDeclares() throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Fixtures.projectRoot.appendingPathComponent("scripts/module-graph.sh").path]
        process.currentDirectoryURL = Fixtures.projectRoot
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let generated = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "scripts/module-graph.sh failed")
        let readme = try String(contentsOf: Fixtures.projectRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "<!-- module-graph -->\n```\n"))
        let end = try #require(readme.range(of: "```\n<!-- /module-graph -->", range: start.upperBound..<readme.endIndex))
        #expect(String(readme[start.upperBound..<end.lowerBound]) == generated)
    }
}
