import Foundation
import Report
import Testing
import _TestSupport

/// Loads the fixture report's pages in headless Chromium, from disk with the network off: no console
/// line, a screenshot that is not blank, and a PDF. Skipped, with the reason, when Chromium is absent.
@Suite(.serialized) struct ReportBrowserTests {
    static let folder: String = {
        let folder = NSTemporaryDirectory() + "healthgap-report-browser-\(getpid())"
        _ = try? ReportWriter.write(store: ReportFixture.store(), context: ReportFixture.context, into: folder)
        return folder
    }()

    /// Runs a project script; its exit status and what it printed on stdout and stderr.
    static func run(_ script: String, _ arguments: [String]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/bash")
        process.arguments = [Services.script(script).path] + arguments
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (
            process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self)
        )
    }

    @Test(
        .enabled(if: Services.chromiumPath != nil, Comment(rawValue: Services.chromiumReason)),
        arguments: ["index.html", "place-liverpool.html", "methods.html"])
    func pageLoadsQuietlyDrawsAndPrints(_ page: String) throws {
        let path = Self.folder + "/" + page
        let (status, console, _) = try Self.run("page-console.sh", [path])
        #expect(status == 0)
        #expect(console.isEmpty, "\(page) wrote to the console: \(console)")

        let png = Self.folder + "/" + page + ".png"
        let shot = try Self.run("screenshot.sh", [path, png, "1280,1600"])
        #expect(shot.0 == 0, "\(shot.2)")
        #expect(!shot.2.contains("console:"), "\(shot.2)")
        let bytes = try Data(contentsOf: URL(fileURLWithPath: png))
        // A blank 1280×1600 PNG compresses to a few kilobytes; a page of text and charts to far more.
        #expect(bytes.count > 40_000, "\(page): screenshot of \(bytes.count) bytes looks blank")

        let pdf = Self.folder + "/" + page + ".pdf"
        let printed = try Self.run("print-pdf.sh", [path, pdf])
        #expect(printed.0 == 0, "\(printed.2)")
        let head = try Data(contentsOf: URL(fileURLWithPath: pdf)).prefix(5)
        #expect(String(decoding: head, as: UTF8.self) == "%PDF-")
    }
}
