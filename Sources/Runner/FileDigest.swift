import Areas
import Crypto
import Foundation
import Ingest
import Results

/// SHA-256 digests of files and bytes, as lowercase hex (swift-crypto: BoringSSL's SHA-256).
enum FileDigest {
    /// The SHA-256 of a file's bytes, read in 4 MiB blocks.
    ///
    /// - Throws: `CSVError.cannotOpen` (as a `InputError`) when the file cannot be read.
    /// - Complexity: O(file size) time; O(1) memory.
    static func sha256(file path: String) throws(InputError) -> (hex: String, bytes: Int) {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else { throw .csv(.cannotOpen(file: path, reason: String(cString: strerror(errno)))) }
        defer { close(fd) }
        var hasher = SHA256()
        let size = 4 << 20
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: size, alignment: 16)
        defer { buffer.deallocate() }
        var total = 0
        while true {
            let n = read(fd, buffer.baseAddress, size)
            if n < 0 {
                if errno == EINTR { continue }
                throw .csv(.cannotOpen(file: path, reason: String(cString: strerror(errno))))
            }
            if n == 0 { break }
            hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: buffer[0..<n]))
            total += n
        }
        return (hex(hasher.finalize()), total)
    }

    /// The SHA-256 of `data`.
    static func sha256<D: DataProtocol>(_ data: D) -> String { hex(SHA256.hash(data: data)) }

    private static func hex(_ digest: SHA256.Digest) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in digest {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 15)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}
