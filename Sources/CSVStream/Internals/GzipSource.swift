// Gzip input, inflated on its own thread so that decompression and parsing overlap on two cores.
//
// A producer thread reads compressed bytes, inflates them into one of a few fixed buffers and
// queues it; the reader's thread copies bytes out of the queued buffers and hands each buffer
// back once empty. The queue is bounded by the buffer count, so memory stays constant whatever
// the file size. `inflateInit2` with windowBits 15 + 32 accepts gzip and zlib headers, and a
// new member after a member's end is inflated too (concatenated gzip files, as `cat a.gz b.gz`).

internal import CZlib
internal import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where compressed bytes come from.
enum CompressedInput: @unchecked Sendable {
    /// An open file descriptor, closed by the producer when it finishes, after `prefix`: bytes
    /// already read from it (the magic number, when the descriptor is a pipe that cannot be re-read).
    case descriptor(Int32, prefix: [UInt8])
    /// Bytes in memory.
    case memory([UInt8])
}

/// The reader's end of a gzip pipeline.
final class GzipSource: ByteSource {
    private let pipeline: GzipPipeline
    private var current: Int?
    private var offset = 0

    init(input: CompressedInput, name: String, chunkSize: Int) {
        let size = min(max(chunkSize, 1 << 16), 1 << 22)
        pipeline = GzipPipeline(input: input, name: name, bufferSize: size, bufferCount: 3)
        let pipeline = self.pipeline
        let thread = Thread { pipeline.produce() }
        thread.name = "CSVStream.gunzip"
        thread.start()
    }

    deinit { pipeline.cancelAndWait() }

    func read(into destination: UnsafeMutablePointer<UInt8>, capacity: Int) throws(CSVError) -> Int {
        while true {
            if let index = current {
                let available = pipeline.lengths[index] - offset
                if available > 0 {
                    let n = min(available, capacity)
                    destination.update(from: pipeline.buffers[index] + offset, count: n)
                    offset += n
                    return n
                }
            }
            guard let next = try pipeline.exchange(returning: current) else {
                current = nil
                return 0
            }
            current = next
            offset = 0
        }
    }
}

/// State shared by the producer thread and the reader; everything mutable is guarded by `condition`.
final class GzipPipeline: @unchecked Sendable {
    let buffers: [UnsafeMutablePointer<UInt8>]
    /// Valid bytes in each buffer, written by the producer before the buffer is queued.
    ///
    /// A raw pointer, not an array, so that the two threads never share an array's reference count.
    let lengths: UnsafeMutablePointer<Int>
    private let bufferSize: Int
    private let input: CompressedInput
    private let name: String
    private let condition = NSCondition()
    private var free: [Int]
    private var ready: [Int] = []
    private var failure: String?
    private var finished = false
    private var cancelled = false
    private var exited = false

    init(input: CompressedInput, name: String, bufferSize: Int, bufferCount: Int) {
        self.input = input
        self.name = name
        self.bufferSize = bufferSize
        buffers = (0..<bufferCount).map { _ in UnsafeMutablePointer<UInt8>.allocate(capacity: bufferSize) }
        lengths = UnsafeMutablePointer<Int>.allocate(capacity: bufferCount)
        lengths.initialize(repeating: 0, count: bufferCount)
        free = Array(0..<bufferCount)
    }

    deinit {
        for buffer in buffers { buffer.deallocate() }
        lengths.deallocate()
    }

    /// Hands back the buffer the reader has emptied (if any) and waits for the next full one;
    /// nil at the end of the stream.
    /// - Throws: ``CSVError/gzip(file:reason:)`` once the queued data is used up, if inflating failed.
    func exchange(returning emptied: Int?) throws(CSVError) -> Int? {
        condition.lock()
        defer { condition.unlock() }
        if let emptied {
            free.append(emptied)
            condition.broadcast()
        }
        while ready.isEmpty && failure == nil && !finished {
            condition.wait()
        }
        if !ready.isEmpty { return ready.removeFirst() }
        if let failure { throw CSVError.gzip(file: name, reason: failure) }
        return nil
    }

    /// Stops the producer and waits until it has let go of the buffers.
    func cancelAndWait() {
        condition.lock()
        cancelled = true
        condition.broadcast()
        while !exited { condition.wait() }
        condition.unlock()
    }

    /// The producer thread's body: inflate into free buffers until the input ends or the reader goes.
    func produce() {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let inputSize = 1 << 18
        let inputBuffer = UnsafeMutablePointer<UInt8>.allocate(capacity: inputSize)
        var memoryOffset = 0
        defer {
            inflateEnd(stream)
            stream.deallocate()
            inputBuffer.deallocate()
            if case .descriptor(let descriptor, _) = input { _ = close(descriptor) }
            condition.lock()
            exited = true
            condition.broadcast()
            condition.unlock()
        }
        guard inflateInit2_(stream, 15 + 32, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            publish(failure: "cannot initialise zlib")
            return
        }
        var inputEnded = false
        var atMemberEnd = false
        var prefixUsed = false
        while true {
            guard let index = takeFreeBuffer() else { return }
            let output = buffers[index]
            var filled = 0
            var done = false
            while filled < bufferSize {
                if stream.pointee.avail_in == 0 && !inputEnded {
                    let n: Int
                    switch input {
                    case .descriptor(let descriptor, let prefix):
                        if !prefixUsed && !prefix.isEmpty {
                            prefixUsed = true
                            n = prefix.count
                            for k in 0..<n { inputBuffer[k] = prefix[k] }
                        } else {
                            do {
                                n = try readRetrying(descriptor, inputBuffer, inputSize, name: name)
                            } catch {
                                if case .cannotOpen(_, let reason) = error {
                                    publish(failure: "read failed: \(reason)")
                                } else {
                                    publish(failure: "read failed: \(error)")
                                }
                                return
                            }
                        }
                    case .memory(let bytes):
                        n = min(inputSize, bytes.count - memoryOffset)
                        bytes.withUnsafeBufferPointer { source in
                            if n > 0 {
                                inputBuffer.update(from: source.baseAddress.unsafelyUnwrapped + memoryOffset, count: n)
                            }
                        }
                        memoryOffset += n
                    }
                    if n == 0 {
                        inputEnded = true
                    } else {
                        stream.pointee.next_in = inputBuffer
                        stream.pointee.avail_in = UInt32(n)
                    }
                }
                if stream.pointee.avail_in == 0 && inputEnded {
                    guard atMemberEnd else {
                        publish(failure: "unexpected end of compressed data (the file is truncated)")
                        return
                    }
                    done = true
                    break
                }
                stream.pointee.next_out = output + filled
                stream.pointee.avail_out = UInt32(bufferSize - filled)
                let code = inflate(stream, Z_NO_FLUSH)
                filled = bufferSize - Int(stream.pointee.avail_out)
                switch code {
                case Z_OK, Z_BUF_ERROR:
                    atMemberEnd = false
                case Z_STREAM_END:
                    // Another member may follow; reset so the next bytes are read as a new header.
                    inflateReset(stream)
                    atMemberEnd = true
                default:
                    let message = stream.pointee.msg.map { String(cString: $0) } ?? "zlib error \(code)"
                    publish(failure: message)
                    return
                }
            }
            publish(index: index, length: filled, finished: done)
            if done { return }
        }
    }

    /// Waits for a free buffer; nil when the reader has gone away.
    private func takeFreeBuffer() -> Int? {
        condition.lock()
        defer { condition.unlock() }
        while free.isEmpty && !cancelled { condition.wait() }
        return cancelled ? nil : free.removeFirst()
    }

    /// Queues a filled buffer (an empty one goes straight back to the free list).
    private func publish(index: Int, length: Int, finished isLast: Bool) {
        condition.lock()
        lengths[index] = length
        if length > 0 { ready.append(index) } else { free.append(index) }
        if isLast { finished = true }
        condition.broadcast()
        condition.unlock()
    }

    /// Records a failure, reported to the reader after the bytes already queued.
    private func publish(failure message: String) {
        condition.lock()
        failure = message
        condition.broadcast()
        condition.unlock()
    }
}
