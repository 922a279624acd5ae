// Implementation goals, in priority order: results within a few ulps of the C library's
// `exp` over the whole double range, then no branches in the kernel, so that a loop over an
// array of arguments is vectorised by the optimiser (two lanes with the baseline SSE2 target).
// The C library's `exp` is an opaque call per element: 5.3 ns per element against 2.8 ns for
// this kernel, measured in a loop over 1,024 values on the project's build host.
//
// Method (the textbook one, e.g. Muller, "Elementary Functions", 3rd ed., ch. 11):
// - Range reduction: x = n·ln 2 + r with n = round(x/ln 2) and |r| ≤ ln 2 / 2. The rounding
//   adds and subtracts 1.5·2^52, which rounds to the nearest integer without a call to
//   `rint` (not an SSE2 instruction); ln 2 is split into a 21-bit head, so n·head is exact,
//   and a tail (Cody and Waite 1980).
// - e^r by the [6/6] Padé approximant, e^r ≈ P(r)/P(−r) with
//   P(r) = Σ_{j=0…6} (12 − j)!·6! / (12!·j!·(6 − j)!) · r^j
//   = 1 + r/2 + 5r²/44 + r³/66 + r⁴/792 + r⁵/15840 + r⁶/665280,
//   evaluated as E(r²) ± r·O(r²). Its truncation error, (6!)²/(12!·13!)·|r|^13, is below
//   2e-19 on |r| ≤ ln 2/2, so the result's error is the rounding of about ten operations.
// - Scaling by 2^n as two factors 2^⌊n/2⌋ and 2^(n − ⌊n/2⌋) built from exponent bits, so
//   that results overflow to +∞ and underflow gradually to 0 exactly where `exp` does.
// The logistic function 1/(1 + e^(−x)) reuses the same pieces with one division in all:
// with t = e^(−|x|) = N·2^n/D it is N·2^n/(N·2^n + D) for x ≤ 0 and D/(N·2^n + D) for x > 0.

/// A branch-free exponential and logistic function for loops the optimiser can vectorise.
///
/// Use the scalar functions inside your own loops (they are `@inlinable` and inline into
/// the caller), or the buffer functions to transform an array in place.
///
/// Accuracy: within 2 ulps of `Foundation.exp` on [−745, 709.78] (checked in
/// `VectorExponentialTests`); `exp` overflows to +∞ above 709.78 and underflows to 0
/// below −745.13 as the C library does; NaN gives NaN.
public enum VectorExponential {
    /// e^x without branches (Cody–Waite reduction and a [6/6] Padé approximant).
    ///
    /// - Complexity: O(1), about 20 floating-point operations and one division.
    @inlinable @inline(__always)
    public static func exp(_ x: Double) -> Double {
        // Clamping keeps n within what two exponent-bit factors can represent; NaN passes
        // through both comparisons unchanged.
        let low = x < -746.0 ? -746.0 : x
        let clamped = low > 710.0 ? 710.0 : low
        let (numerator, denominator, scaleA, scaleB) = reduced(clamped)
        return numerator / denominator * scaleA * scaleB
    }

    /// The logistic function 1/(1 + e^(−x)), the inverse of the logit, without branches.
    ///
    /// Accurate to a few ulps relative to the result everywhere; 0 below −745 and 1 above
    /// about 37 (where 1 − e^(−x) rounds to 1).
    /// - Complexity: O(1), about 20 floating-point operations and one division.
    @inlinable @inline(__always)
    public static func logistic(_ x: Double) -> Double {
        let magnitude = x.magnitude
        let clamped = magnitude > 746.0 ? 746.0 : magnitude
        let (numerator, denominator, scaleA, scaleB) = reduced(-clamped)
        let small = numerator * scaleA * scaleB  // e^(−|x|)·denominator
        let total = small + denominator
        return (x <= 0 ? small : denominator) / total
    }

    /// The largest |x| that `expInRange` and `logisticInRange` accept: e^x and e^(−x) are
    /// then normal doubles, so one power-of-two factor scales the quotient exactly.
    public static let inRangeLimit = 708.0

    /// e^x for |x| ≤ `inRangeLimit`, equal to `exp(_:)` there bit for bit, with fewer
    /// operations: no clamping and one scaling factor instead of two.
    ///
    /// For loops whose arguments the caller has bounded in advance (e.g. mean + se·z with the
    /// ziggurat's |z| < 14). Outside the range the result is meaningless (but no trap).
    /// - Complexity: O(1), about 16 floating-point operations and one division.
    @inlinable @inline(__always)
    public static func expInRange(_ x: Double) -> Double {
        let (numerator, denominator, scale) = reducedInRange(x)
        return numerator / denominator * scale
    }

    /// 1/(1 + e^(−x)) for |x| ≤ `inRangeLimit`, equal to `logistic(_:)` there bit for bit,
    /// without clamping and with one scaling factor.
    ///
    /// - Complexity: O(1), about 18 floating-point operations and one division.
    @inlinable @inline(__always)
    public static func logisticInRange(_ x: Double) -> Double {
        let (numerator, denominator, scale) = reducedInRange(-x.magnitude)
        let small = numerator * scale  // e^(−|x|)·denominator
        let total = small + denominator
        return (x <= 0 ? small : denominator) / total
    }

    /// Replaces each element of `values` by its exponential.
    ///
    /// - Complexity: O(values.count).
    @inlinable
    public static func exp(_ values: UnsafeMutableBufferPointer<Double>) {
        for i in values.indices { values[i] = exp(values[i]) }
    }

    /// Replaces each element of `values` by its logistic function 1/(1 + e^(−x)).
    ///
    /// - Complexity: O(values.count).
    @inlinable
    public static func logistic(_ values: UnsafeMutableBufferPointer<Double>) {
        for i in values.indices { values[i] = logistic(values[i]) }
    }

    /// `reduced` for |x| ≤ 708, where 2^n is one normal double: e^x = numerator/denominator·scale.
    @inlinable @inline(__always)
    static func reducedInRange(_ x: Double) -> (Double, Double, Double) {
        let log2e = 0x1.71547652b82fep+0
        let ln2Head = 0x1.62e42p-1
        let ln2Tail = 0x1.fdf473de6af28p-22
        let shifter = 0x1.8p52
        let shifted = x * log2e + shifter
        let n = shifted - shifter
        let r = (x - n * ln2Head) - n * ln2Tail
        let r2 = r * r
        let even = 1.0 + r2 * (5.0 / 44.0 + r2 * (1.0 / 792.0 + r2 * (1.0 / 665_280.0)))
        let odd = r * (0.5 + r2 * (1.0 / 66.0 + r2 * (1.0 / 15_840.0)))
        // n's bits sit in the low mantissa bits of `shifted`; adding them to 1023 and shifting
        // into the exponent field builds 2^n.
        let exponent = shifted.bitPattern &- shifter.bitPattern
        let scale = Double(bitPattern: (exponent &+ 1023) << 52)
        return (even + odd, even - odd, scale)
    }

    /// Range reduction and the Padé quotient's parts: e^x = numerator/denominator·scaleA·scaleB.
    @inlinable @inline(__always)
    static func reduced(_ x: Double) -> (Double, Double, Double, Double) {
        let log2e = 0x1.71547652b82fep+0
        let ln2Head = 0x1.62e42p-1  // 21 significant bits: n·ln2Head is exact
        let ln2Tail = 0x1.fdf473de6af28p-22
        let shifter = 0x1.8p52  // adding it rounds to an integer (ties to even)
        let shifted = x * log2e + shifter
        let n = shifted - shifter
        let r = (x - n * ln2Head) - n * ln2Tail
        let r2 = r * r
        let even = 1.0 + r2 * (5.0 / 44.0 + r2 * (1.0 / 792.0 + r2 * (1.0 / 665_280.0)))
        let odd = r * (0.5 + r2 * (1.0 / 66.0 + r2 * (1.0 / 15_840.0)))
        let exponent = Int64(bitPattern: shifted.bitPattern &- shifter.bitPattern)
        let half = exponent >> 1
        let rest = exponent &- half
        let scaleA = Double(bitPattern: UInt64(bitPattern: (half &+ 1023) << 52))
        let scaleB = Double(bitPattern: UInt64(bitPattern: (rest &+ 1023) << 52))
        return (even + odd, even - odd, scaleA, scaleB)
    }
}
