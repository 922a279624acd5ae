extension CSVWriter {
    /// A field's CSV bytes under the writer's one quoting rule: quoted when it has a comma, quote, CR
    /// or LF, or starts or ends with a space or tab, with quotes doubled (RFC 4180).
    public static func encodeField(_ text: String) -> [UInt8] {
        var out: [UInt8] = []
        appendField(text, to: &out)
        return out
    }

    /// Appends a field's CSV bytes (see ``encodeField(_:)``) to `out`.
    public static func appendField(_ text: String, to out: inout [UInt8]) {
        var text = text
        text.withUTF8 { bytes in
            let special = bytes.contains { $0 == 0x2C || $0 == 0x22 || $0 == 0x0A || $0 == 0x0D }
            let first = bytes.first ?? 0, last = bytes.last ?? 0
            let padded = first == 0x20 || first == 0x09 || last == 0x20 || last == 0x09
            guard special || padded else {
                out.append(contentsOf: bytes)
                return
            }
            out.append(0x22)
            for b in bytes {
                if b == 0x22 { out.append(0x22) }
                out.append(b)
            }
            out.append(0x22)
        }
    }

    /// A whole row's CSV bytes: the fields joined by commas under the one quoting rule, then `\n`.
    public static func encodeRow(_ fields: [String]) -> [UInt8] {
        var out: [UInt8] = []
        for (i, field) in fields.enumerated() {
            if i > 0 { out.append(0x2C) }
            appendField(field, to: &out)
        }
        out.append(0x0A)
        return out
    }

    /// Appends a number in the writer's one number format (``format(_:)``: shortest round trip, empty
    /// when missing).
    public static func appendNumber(_ value: Double?, to out: inout [UInt8]) {
        out.append(contentsOf: format(value).utf8)
    }
}
