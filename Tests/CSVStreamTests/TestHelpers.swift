import CSVStream
import Foundation
import NumericCore

/// The header, rows and row line numbers of CSV text read with the given chunk size.
struct Parsed: Equatable {
    var header: [String]
    var rows: [[String]]
    var lines: [Int]
}

/// Reads all of `text` with chunks of `chunkSize` bytes.
func parse(_ text: String, chunkSize: Int = 1 << 20, name: String = "test.csv") throws -> Parsed {
    try parse(bytes: Array(text.utf8), chunkSize: chunkSize, name: name)
}

/// Reads all of `bytes` with chunks of `chunkSize` bytes.
func parse(bytes: [UInt8], chunkSize: Int = 1 << 20, name: String = "test.csv") throws -> Parsed {
    let reader = try CSVReader(bytes: bytes, name: name, options: .init(chunkSize: chunkSize))
    var result = Parsed(header: reader.header.names, rows: [], lines: [])
    try reader.forEachRow { row in
        result.rows.append(row.fields)
        result.lines.append(row.line)
    }
    return result
}

/// The error thrown while reading all of `text` with chunks of `chunkSize`, or nil if none.
func parseError(_ text: String, chunkSize: Int = 1 << 20, name: String = "test.csv") -> CSVError? {
    do {
        _ = try parse(text, chunkSize: chunkSize, name: name)
        return nil
    } catch let error as CSVError {
        return error
    } catch {
        return nil
    }
}

/// A fresh empty directory under the system's temporary directory.
func makeTemporaryDirectory() -> String {
    let path = NSTemporaryDirectory() + "/csvstream-tests-\(UInt64.random(in: 0...UInt64.max))"
    try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// Moves a file (replacing nothing).
func renameFile(_ from: String, to: String) throws {
    try FileManager.default.moveItem(atPath: from, toPath: to)
}

/// The bytes of a file.
func fileBytes(_ path: String) throws -> [UInt8] {
    Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

/// The names in a directory.
func directoryListing(_ path: String) throws -> [String] {
    try FileManager.default.contentsOfDirectory(atPath: path).sorted()
}

/// Removes a directory made by `makeTemporaryDirectory()` and everything in it.
func removeDirectory(_ path: String) {
    try? FileManager.default.removeItem(atPath: path)
}
