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
// Each variate is a complete ziggurat draw from its own 64 bits, as in `fillBlock`: the fast
// test in the first pass, and for the ~1.2% of draws that fail it, the wedge or tail test of
// `slowPath` in a second pass, with further bits from lane 0. The values are independent
// standard normals with the distribution of `fill(_:using:)`; only which bits make which
// variate differs.
//
// The fast test is written on the 53-bit integer m = bits >> 11 rather than on u = m·2⁻⁵³:
// u·x[i] < x[i+1] becomes m < x[i+1]/x[i]·2⁵³ (`LaneTables.accept`), and the variate is
// m·(±x[i]·2⁻⁵³) from a 512-entry table indexed by the layer and sign bits together
// (`LaneTables.scaled`), so a draw costs one table compare, one conversion and one multiply,
// with no sign arithmetic. The ratio is rounded, so a draw within one rounding of a layer's
// edge can take the other branch than u·x[i] < x[i+1] would; both branches give the same
// value there (the wedge test accepts any candidate below x[i+1]), except on a set of
// probability about 2⁻⁵³ per draw.

/// The ziggurat tables rearranged for `InterleavedNormals`' fast test, indexed by the low
/// nine bits of a draw (layer i = bits 0–7, sign = bit 8).
@usableFromInline
struct LaneTables: Sendable {
    /// m·scaled[j] is the candidate ±u·x[i] (u = m·2⁻⁵³) for the 53-bit integer m.
    @usableFromInline let scaled: [Double]
    /// The fast test passes when Double(m) < accept[j] = x[i+1]/x[i]·2⁵³.
    @usableFromInline let accept: [Double]

    @usableFromInline static let shared = LaneTables(ZigguratNormal.shared)

    init(_ normal: ZigguratNormal) {
        var scaled = [Double](repeating: 0, count: 512)
        var accept = [Double](repeating: 0, count: 512)
        for j in 0..<512 {
            let i = j & 0xFF
            scaled[j] = (j & 0x100 != 0 ? -1 : 1) * normal.x[i] * 0x1.0p-53
            accept[j] = normal.x[i + 1] / normal.x[i] * 0x1.0p53
        }
        self.scaled = scaled
        self.accept = accept
    }
}

/// Standard normal variates from two interleaved xoshiro256** lanes (ziggurat, 256 layers).
///
/// Usage: make one per simulation set from the set's stream, fill blocks from it, and read
/// `primary` afterwards for the state of lane 0 (the caller's stream advanced by the draws).
/// The same incoming stream and the same sequence of block sizes give the same variates.
public struct InterleavedNormals: Sendable {
    @usableFromInline var lane0: Xoshiro256StarStar
    @usableFromInline var lane1: Xoshiro256StarStar
    /// The first pass's list of failed draws, kept between calls (grown to the largest block)
    /// so that filling a block allocates nothing.
    @usableFromInline var rejected: [Int] = []

    /// Lane 0 is `stream`; lane 1 is `stream` advanced by one `longJump()`.
    ///
    /// - Complexity: O(1) (one long jump, 256 generator steps).
    public init(_ stream: Xoshiro256StarStar) {
        lane0 = stream
        lane1 = stream
        lane1.longJump()
    }

    /// A bound on the magnitude of every variate.
    ///
    /// Fast-path and wedge values lie below x[1] = r, and the tail's r + a has
    /// a = −log(1 − u)/r with 1 − u ≥ 2⁻⁵³, so |z| ≤ r + 53·ln 2/r < 13.71.
    /// Callers use it to bound e.g. mean + se·z before a transform that needs a bounded argument.
    public static let largestVariate = 14.0

    /// Lane 0's state: the incoming stream advanced past every draw lane 0 has made.
    public var primary: Xoshiro256StarStar { lane0 }

    /// Fills `buffer` with independent standard normal variates, drawing lanes 0 and 1 in
    /// turn (element 2m from lane 0, 2m + 1 from lane 1; wedge and tail draws from lane 0).
    ///
    /// Deterministic: the same lanes and the same sequence of buffer sizes give the same values.
    /// - Complexity: O(buffer.count); about 1.02 draws of 64 bits per variate. Allocates only
    ///   when the buffer is longer than any before.
    @inlinable
    public mutating func fill(_ buffer: UnsafeMutableBufferPointer<Double>) {
        guard let out = buffer.baseAddress, buffer.count > 0 else { return }
        let n = buffer.count
        let normal = ZigguratNormal.shared
        let tables = LaneTables.shared
        if rejected.count < n { rejected = [Int](repeating: 0, count: n) }
        rejected.withUnsafeMutableBufferPointer { rejected in
            let rejectedCount = tables.scaled.withUnsafeBufferPointer { scaled in
                tables.accept.withUnsafeBufferPointer { accept in
                    Self.fastPass(
                        out, count: n, scaled: scaled.baseAddress!, accept: accept.baseAddress!,
                        rejected: rejected.baseAddress!, &lane0, &lane1)
                }
            }
            for r in 0..<rejectedCount {
                let packed = rejected[r]
                let k = packed >> 9
                let stored = out[k]
                out[k] = normal.slowPath(
                    i: packed & 0xFF, candidate: stored.magnitude, negative: stored.sign == .minus, using: &lane0)
            }
        }
    }

    /// The first pass of `fill`: every draw's candidate goes to `out`; the positions and table
    /// indices of the draws that fail the fast test go to `rejected` (as k·512 + index), and
    /// their count is returned.
    @inlinable
    static func fastPass(
        _ out: UnsafeMutablePointer<Double>, count n: Int, scaled: UnsafePointer<Double>, accept: UnsafePointer<Double>,
        rejected: UnsafeMutablePointer<Int>, _ lane0: inout Xoshiro256StarStar, _ lane1: inout Xoshiro256StarStar
    ) -> Int {
        // Local copies keep the eight state words in registers for the loop.
        var a = lane0
        var b = lane1
        var rejectedCount = 0
        @inline(__always) func variate(_ bits: UInt64, at k: Int) {
            let j = Int(bits & 0x1FF)
            let m = Double(Int64(bitPattern: bits >> 11))
            out[k] = m * scaled[j]
            if _slowPath(m >= accept[j]) {
                rejected[rejectedCount] = k << 9 | j
                rejectedCount &+= 1
            }
        }
        var k = 0
        while k + 2 <= n {
            let first = a.next()
            let second = b.next()
            variate(first, at: k)
            variate(second, at: k + 1)
            k &+= 2
        }
        if k < n { variate(a.next(), at: k) }
        lane0 = a
        lane1 = b
        return rejectedCount
    }
}
