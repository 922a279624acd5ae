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
        out.append(contentsOf: format(value).utf8)
    }
}
