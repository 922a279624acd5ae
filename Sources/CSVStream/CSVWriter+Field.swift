extension CSVWriter {
    /// Appends a field's CSV bytes to `out`, quoted by the one rule of ``encodeField(_:options:)``,
    /// without a temporary array (for callers that build many records, such as the results tables).
    public static func appendField(_ text: String, to out: inout [UInt8], options: Options = []) {
        var output = ArrayOutput()
        swap(&output.bytes, &out)
        var text = text
        text.withUTF8 { bytes in encode(bytes, neutralise: options.contains(.spreadsheetSafe), into: &output) }
        swap(&output.bytes, &out)
    }

    /// Appends a number in the writer's one number format (``format(_:)``: shortest round trip, empty
    /// when missing).
    public static func appendNumber(_ value: Double?, to out: inout [UInt8]) {
        guard let x = value, x.isFinite else { return }
        if x >= 0 && x < 1e15 && x.rounded(.towardZero) == x {
            appendInteger(Int(x), to: &out)  // the same digits as `format`, without a string
        } else {
            out.append(contentsOf: format(x).utf8)
        }
    }

    /// Appends the decimal digits of a whole number `n` ≥ 0 — what ``format(_:)`` writes for it — without
    /// making a string (the fast path for counts).
    @inline(__always)
    public static func appendInteger(_ n: Int, to out: inout [UInt8]) {
        if n < 10 {
            out.append(UInt8(truncatingIfNeeded: 48 &+ n))
            return
        }
        var v = n
        var reversed: UInt64 = 0  // up to 8 digits packed, most significant last
        var count = 0
        if n < 100_000_000 {
            while v > 0 {
                reversed = reversed << 8 | UInt64(48 &+ v % 10)
                v /= 10
                count += 1
            }
            for _ in 0..<count {
                out.append(UInt8(truncatingIfNeeded: reversed))
                reversed >>= 8
            }
            return
        }
        out.append(contentsOf: String(n).utf8)
    }

    /// Appends a count as ``format(_:)`` writes it (whole numbers through ``appendInteger(_:to:)``).
    @inline(__always)
    public static func appendCount(_ x: Double, to out: inout [UInt8]) {
        appendNumber(x, to: &out)
    }
}
