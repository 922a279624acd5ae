// Ziggurat normals from two interleaved generator lanes.
//
// One xoshiro256** stream is a chain: each draw needs the state the previous draw left, and
// the ziggurat's table loads, multiply and compare wait on that draw. With two streams drawn
// in turn the processor works on two independent chains at once, which is what
// `ZigguratNormal.fillBlock` cannot do. Two lanes rather than four because the eight state
// words then stay in registers (four lanes spill them, and measured no faster).
//
// The lanes are the caller's stream (lane 0) and a copy of it advanced by one `longJump()`
// (2^192 steps, lane 1). healthgap's streams are 2^128 apart (`jump()`) and its reliability
// sets a multiple of 2^193 apart, so lane 1 of any stream is a stretch of the period that no
// other stream or set reaches within the ~2^60 draws a run could make.
//
// Each variate is a complete ziggurat draw from its own 64 bits, exactly as in `fillBlock`:
// the fast test in the first pass, and for the ~1.2% of draws that fail it, the wedge or tail
// test of `slowPath` in a second pass, with further bits from lane 0. The values are
// independent standard normals with the distribution of `fill(_:using:)`; only which bits
// make which variate differs.

/// Standard normal variates from two interleaved xoshiro256** lanes (ziggurat, 256 layers).
///
/// Usage: make one per simulation set from the set's stream, fill blocks from it, and read
/// `primary` afterwards for the state of lane 0 (the caller's stream advanced by the draws).
/// The same incoming stream and the same sequence of block sizes give the same variates.
public struct InterleavedNormals: Sendable {
    @usableFromInline var lane0: Xoshiro256StarStar
    @usableFromInline var lane1: Xoshiro256StarStar

    /// Lane 0 is `stream`; lane 1 is `stream` advanced by one `longJump()`.
    ///
    /// - Complexity: O(1) (one long jump, 256 generator steps).
    public init(_ stream: Xoshiro256StarStar) {
        lane0 = stream
        lane1 = stream
        lane1.longJump()
    }

    /// Lane 0's state: the incoming stream advanced past every draw lane 0 has made.
    public var primary: Xoshiro256StarStar { lane0 }

    /// Fills `buffer` with independent standard normal variates, drawing lanes 0 and 1 in
    /// turn (element 2m from lane 0, 2m + 1 from lane 1; wedge and tail draws from lane 0).
    ///
    /// Deterministic: the same lanes and the same sequence of buffer sizes give the same values.
    /// - Complexity: O(buffer.count); about 1.02 draws of 64 bits per variate.
    @inlinable
    public mutating func fill(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard let out = buffer.baseAddress, buffer.count > 0 else { return }
        let n = buffer.count
        let normal = ZigguratNormal.shared
        withUnsafeTemporaryAllocation(of: Int.self, capacity: n) { rejected in
            let rejectedCount = normal.x.withUnsafeBufferPointer { table in
                Self.fastPass(out, count: n, table: table.baseAddress!, rejected: rejected.baseAddress!, &lane0, &lane1)
            }
            for r in 0..<rejectedCount {
                let packed = rejected[r]
                let k = packed >> 8
                let stored = out[k]
                out[k] = normal.slowPath(
                    i: packed & 0xFF, candidate: stored.magnitude, negative: stored.sign == .minus, using: &lane0)
            }
        }
    }

    /// The first pass of `fill`: the fast test for every draw; the positions and layers of the
    /// draws that fail it go to `rejected` (as k·256 + layer), and their count is returned.
    @inlinable
    static func fastPass(
        _ out: UnsafeMutablePointer<Double>, count n: Int, table: UnsafePointer<Double>,
        rejected: UnsafeMutablePointer<Int>, _ lane0: inout Xoshiro256StarStar, _ lane1: inout Xoshiro256StarStar
    ) -> Int {
        // Local copies keep the eight state words in registers for the loop.
        var a = lane0
        var b = lane1
        var rejectedCount = 0
        // A failing draw's slot is written without a branch and kept by counting it.
        @inline(__always) func variate(_ bits: UInt64, at k: Int) {
            let i = Int(bits & 0xFF)
            let u = Double(Int64(bitPattern: bits >> 11)) * 0x1.0p-53
            let candidate = u * table[i]
            rejected[rejectedCount] = k << 8 | i
            rejectedCount &+= candidate >= table[i + 1] ? 1 : 0
            out[k] = Double(bitPattern: candidate.bitPattern | ((bits & 0x100) << 55))
        }
        var k = 0
        while k + 2 <= n {
            let first = a.next()
            let second = b.next()
            variate(first, at: k)
            variate(second, at: k + 1)
            k += 2
        }
        if k < n { variate(a.next(), at: k) }
        lane0 = a
        lane1 = b
        return rejectedCount
    }
}
