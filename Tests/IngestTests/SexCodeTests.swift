import Testing

@testable import Ingest

@Suite struct SexCodeTests {
    @Test(arguments: [
        ("1", SexCode.male), ("M", .male), ("m", .male), ("Male", .male), ("MALES", .male), (" male ", .male),
        ("2", .female), ("F", .female), ("f", .female), ("Female", .female), ("females", .female),
        ("Persons", .persons), ("P", .persons), ("All persons", .persons), ("ALL", .persons),
    ])
    func readsTheUsualCodes(text: String, expected: SexCode) throws {
        #expect(try SexCode.parse(text) == expected)
    }

    @Test(arguments: ["9", "0", "X", "u", "I", "Indeterminate", "UNKNOWN", "Not known", "not stated", "", "  "])
    func setsAsideIndeterminateAndUnknown(text: String) {
        do {
            _ = try SexCode.parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.reason == .indeterminateSex)
        }
    }

    @Test(arguments: ["3", "Q", "Mal", "boy", "12"])
    func rejectsAnythingElseWithTheAcceptedCodes(text: String) {
        do {
            _ = try SexCode.parse(text)
            Issue.record("\(text) was accepted")
        } catch {
            #expect(error.reason == .badSex)
            #expect(error.description.contains("\"\(text)\"") && error.description.contains("1, M, Male"))
        }
    }

    @Test func theByteReaderAgreesWithoutAllocating() {
        let cases: [(String, SexCode.Reading?)] = [
            ("1", .sex(.male)), ("2", .sex(.female)), ("9", .indeterminate), ("", .indeterminate),
            ("Females", .sex(.female)), ("7", nil),
        ]
        for (text, expected) in cases {
            let reading = Array(text.utf8).withUnsafeBufferPointer { SexCode.parse(utf8: $0) }
            #expect(reading == expected, "\(text)")
        }
        #expect(SexCode.male.rawValue == 0 && SexCode.female.rawValue == 1)
        #expect(SexCode.female.description == "Female")
    }
}
